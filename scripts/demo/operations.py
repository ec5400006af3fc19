"""IP operations, when the platform runs the operations service: the agencies' verified yearly
revenue, transactions and licences, alliances, patent pools, overseas marks and the milestones of
goals 七-九. Each part is loaded only when the gateway's document has its route, so the demo runs
on a platform without it (the public page then says "no data yet" for those indicators)."""

# ruff: noqa: RUF001  (full-width punctuation is right in Chinese text)
from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from scripts.demo import names
from scripts.demo.client import Api, DemoError
from scripts.demo.context import Context, each
from scripts.demo.world import YEARS, Firm, day_in, n

OPS = "/api/v1/operations"
# yearly revenue in million yuan of the first agencies: two pass 10 M (target 5 agencies: missed)
REVENUE = {2019: (6.2, 4.1, 2.5), 2020: (8.4, 5.0, 3.1), 2021: (10.6, 7.9, 3.8), 2022: (12.3, 10.8, 4.6)}
MILESTONES = (
    (7, "2020-09-28", "东丽区知识产权服务业集聚区挂牌", "IP service cluster of Dongli opened", "东政发〔2020〕31号"),
    (8, "2021-06-18", "华明知识产权小镇建成运营", "Huaming IP town in operation", "东政发〔2021〕17号"),
    (9, "2022-11-08", "东丽区知识产权运营中心通过验收", "Dongli IP operation centre accepted", "东知发〔2022〕9号"),
)


# transactions and licences a year (count, mean million yuan): x2.4 over 2018-2022, +24 %/year (target 20: met)
TRANSACTIONS = {2018: (8, 5.5), 2019: (10, 5.8), 2020: (12, 6.0), 2021: (14, 6.3), 2022: (16, 6.5)}
KINDS = ("assignment", "exclusive_licence", "ordinary_licence", "sole_licence")
INDUSTRY = {
    "nev_icv": "new_energy_icv",
    "biomedicine": "biomedicine_devices",
    "new_materials": "new_materials",
    "high_end_equipment": "high_end_equipment",
    "modern_metallurgy": "modern_metallurgy",
}
ALLIANCES = 6  # target 5: met
POOLS = 3  # target 5: missed
MARKS = 7  # target 5: met
COUNTRIES = ("US", "DE", "JP", "KR", "GB", "SG", "AU", "RU")


def steps(ctx: Context) -> int:
    s = ctx.world.scale
    return (
        sum(len(v) for v in REVENUE.values())
        + sum(n(c, s) for c, _ in TRANSACTIONS.values())
        + n(ALLIANCES, s)
        + n(POOLS, s)
        + n(MARKS, s)
        + len(MILESTONES)
    )


def _skip(ctx: Context, what: str, count: int) -> None:
    ctx.notes.append(f"operations has no route for {what}: not loaded")
    ctx.advance("operations", count)


async def run(ctx: Context) -> None:
    if not any(path.startswith(OPS) for path in ctx.schema.document.get("paths", {})):
        ctx.notes.append("the operations service is not behind the gateway: operations figures not loaded")
        ctx.advance("operations", steps(ctx))
        return
    await asyncio.gather(revenue(ctx), transactions(ctx), alliances(ctx), marks(ctx), milestones(ctx))
    await pools(ctx)


async def _retry_missing(call: Any, attempts: int = 120) -> Any:
    """The agency reaches operations by event from trusteeship: wait for it (404 until then)."""
    for attempt in range(attempts):
        try:
            return await call()
        except DemoError as exc:
            if exc.status != 404 or attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
    return None


async def revenue(ctx: Context) -> None:
    """Revenue reports by the agencies themselves, verified by the office."""
    path = f"{OPS}/agencies/{{agency_id}}/revenue-reports"
    if not ctx.schema.has_path(path):
        _skip(ctx, "revenue reports", sum(len(v) for v in REVENUE.values()))
        return
    for year, amounts in REVENUE.items():
        for (agency_id, _), million in zip(ctx.world.agencies, amounts, strict=False):
            agency: Api = ctx.agencies[agency_id]
            amount = (Decimal(str(million)) * 1_000_000).quantize(Decimal("0.01"))
            body = {
                "year": year,
                "revenue": str(amount),
                "evidence": f"{year}年度审计报告（津审字〔{year + 1}〕第{len(agency_id)}号）",
            }

            async def submit(agency: Api = agency, agency_id: str = agency_id, body: dict[str, Any] = body) -> Any:
                return await agency.write(
                    "POST", f"{OPS}/agencies/{agency_id}/revenue-reports", f"revenue:{agency_id}:{body['year']}", body
                )

            report = await _retry_missing(submit)
            await ctx.operator.write(
                "POST",
                f"{OPS}/revenue-reports/{report['id']}/verification",
                f"verify:{report['id']}",
                {"note": "经审计报告核实"},
                exists=(409,),
            )
            ctx.advance("operations", 1)


def _party(firm: Firm) -> dict[str, str]:
    return {"credit_code": firm.code, "name": firm.name}


def _right(ctx: Context, firm: Firm, serial: int) -> str:
    return firm.patent[0] if firm.patent else names.patent_number(2016, "1", ctx.world.seed * 10_000 + 7_000 + serial)


async def transactions(ctx: Context) -> None:
    """Assignments and licences brokered by the agencies, dated by the contract; royalties
    reported for the running-royalty licences; one rescinded contract."""
    if not ctx.schema.has_path(f"{OPS}/transactions"):
        _skip(ctx, "transactions", sum(n(c, ctx.world.scale) for c, _ in TRANSACTIONS.values()))
        return
    rng = random.Random(f"{ctx.world.seed}:transactions")
    firms, agencies = ctx.world.firms, [a for a, _ in ctx.world.agencies]
    plan: list[tuple[int, int, int, int, Decimal, date]] = []
    for year, (count, mean) in TRANSACTIONS.items():
        for _ in range(n(count, ctx.world.scale)):
            serial = len(plan)
            plan.append(
                (
                    serial,
                    year,
                    rng.randrange(len(firms)),
                    rng.randrange(len(firms)),
                    Decimal(max(20, round(rng.gauss(mean, mean * 0.4) * 100))) * 10_000,
                    day_in(rng, year),
                )
            )

    async def one(item: tuple[int, int, int, int, Decimal, date]) -> None:
        serial, year, a, b, amount, on = item
        seller, buyer = firms[a], firms[(b if b != a else a + 1) % len(firms)]
        kind = KINDS[serial % len(KINDS)]
        body = {
            "kind": kind,
            "right_kind": "patent",
            "right_numbers": [_right(ctx, seller, serial)],
            "transferor": _party(seller),
            "transferee": _party(buyer),
            "start_date": on.isoformat(),
            "amount": str(amount),
            "payment_form": "running_royalty" if serial % 5 == 1 else "lump_sum",
            "contracted_on": on.isoformat(),
        }
        agency = ctx.agencies[agencies[serial % len(agencies)]]
        created = await agency.write("POST", f"{OPS}/transactions", f"transaction:{serial}", body)
        label = f"transaction:{serial}"
        if body["payment_form"] == "running_royalty" and year < 2022:
            royalty = (amount * Decimal("0.08")).quantize(Decimal("0.01"))
            await agency.write(
                "POST",
                f"{OPS}/transactions/{created['id']}/royalties",
                f"{label}:royalty",
                {"year": year + 1, "amount": str(royalty)},
            )
        if serial == 7:  # one contract rescinded: its amount comes back out of the figure
            await agency.write(
                "POST",
                f"{OPS}/transactions/{created['id']}/rescission",
                f"{label}:rescission",
                {"rescinded_on": f"{year}-12-20", "reason": "受让方未按期支付转让费，合同解除"},
            )
        ctx.advance("operations", 1)

    await each(plan, one)


async def registered(ctx: Context, path: str, label: str, body: dict[str, Any]) -> Any:
    """Register an alliance or a pool, or find the one of that name (names are unique: another
    seed's run on the same platform made it)."""
    created = await ctx.operator.write("POST", path, label, body, exists=(409,))
    if created is not None:
        return created
    listed = await ctx.operator.get(path, limit=100)
    found = [item for item in listed.get("items", []) if item.get("name") == body["name"]]
    if not found:
        raise DemoError(f"POST {path} ({label}): 409, and no entry named {body['name']!r} is listed")
    return found[0]


async def alliances(ctx: Context) -> None:
    """Industry IP alliances of four firms each, in the plan's industries."""
    if not ctx.schema.has_path(f"{OPS}/alliances"):
        _skip(ctx, "alliances", n(ALLIANCES, ctx.world.scale))
        return
    for i in range(n(ALLIANCES, ctx.world.scale)):
        industry = list(INDUSTRY)[i % len(INDUSTRY)]
        founded = date(2019 + i % 4, 3 + i, 18)
        body = {
            "name": f"东丽区{names.INDUSTRY_ZH[industry]}产业知识产权联盟{'' if i < 5 else '（二期）'}",
            "industry": INDUSTRY[industry],
            "founded_on": founded.isoformat(),
        }
        alliance = await registered(ctx, f"{OPS}/alliances", f"alliance:{i}", body)
        for k in range(4):
            firm = ctx.world.firms[(i * 41 + k * 7) % len(ctx.world.firms)]
            member = {**_party(firm), "joined_on": founded.isoformat()}
            await ctx.operator.write("POST", f"{OPS}/alliances/{alliance['id']}/members", f"alliance:{i}:{k}", member)
        ctx.advance("operations", 1)


async def pools(ctx: Context) -> None:
    """Patent pools: patents of at least two member firms and a published licensing term."""
    if not ctx.schema.has_path(f"{OPS}/pools"):
        _skip(ctx, "patent pools", n(POOLS, ctx.world.scale))
        return
    holders = [f for f in ctx.world.firms if f.patent is not None] or ctx.world.firms
    for i in range(n(POOLS, ctx.world.scale)):
        industry = list(INDUSTRY)[i % len(INDUSTRY)]
        on = date(2020 + i % 3, 6, 8)
        body = {"name": f"东丽区{names.INDUSTRY_ZH[industry]}专利池", "industry": INDUSTRY[industry]}
        pool = await registered(ctx, f"{OPS}/pools", f"patent-pool:{i}", body)
        path = f"{OPS}/pools/{pool['id']}"
        for k in range(3):
            firm = holders[(i * 17 + k * 5) % len(holders)]
            await ctx.operator.write(
                "POST", f"{path}/members", f"patent-pool:{i}:member:{k}", {**_party(firm), "joined_on": on.isoformat()}
            )
            patent = {
                "patent_number": _right(ctx, firm, 900 + i * 10 + k),
                "owner_credit_code": firm.code,
                "added_on": on.isoformat(),
            }
            await ctx.operator.write("POST", f"{path}/patents", f"patent-pool:{i}:patent:{k}", patent)
        terms = {
            "summary": "成员专利打包许可，许可费按销售额提成，非歧视许可。",
            "royalty_basis": "产品净销售额的1.5%",
            "published_on": (on + timedelta(days=30)).isoformat(),
        }
        await ctx.operator.write("POST", f"{path}/terms", f"patent-pool:{i}:terms", terms)
        ctx.advance("operations", 1)


async def marks(ctx: Context) -> None:
    """Overseas marks filed through Madrid, each protected in two or three countries."""
    if not ctx.schema.has_path(f"{OPS}/trademarks"):
        _skip(ctx, "overseas trademarks", n(MARKS, ctx.world.scale))
        return
    owners = [f for f in ctx.world.firms if f.size in ("medium", "large")] or ctx.world.firms
    for i in range(n(MARKS, ctx.world.scale)):
        firm = owners[(i * 3) % len(owners)]
        filed = date(YEARS[1 + i % 4], 4 + i, 10)
        designations = [
            {
                "country": COUNTRIES[(i + k) % len(COUNTRIES)],
                "status": "protected",
                "effective_on": (filed + timedelta(days=400 + k * 30)).isoformat(),
            }
            for k in range(2 + i % 2)
        ]
        body = {
            "ir_number": str(1_480_000 + ctx.world.seed % 1000 * 50 + i),
            "basic_mark_number": names.trademark_number(i),
            "mark": firm.name[2:6],
            "owner": _party(firm),
            "nice_classes": [7, 9][: 1 + i % 2],
            "ir_date": filed.isoformat(),
            "designations": designations,
        }
        await ctx.operator.write("POST", f"{OPS}/trademarks", f"mark:{i}", body, exists=(409,))
        ctx.advance("operations", 1)


async def milestones(ctx: Context) -> None:
    path = f"{OPS}/milestones"
    if not ctx.schema.has_path(path):
        ctx.notes.append("operations has no milestones route")
        ctx.advance("operations", len(MILESTONES))
        return
    props = ctx.schema.properties("POST", path)
    for goal, on, zh, en, evidence in MILESTONES:
        values = {
            "goal": goal,
            "achieved_on": on,
            "title_zh": zh,
            "title_en": en,
            "evidence": evidence,
            "evidence_ref": evidence,
            "evidence_reference": evidence,
            "evidence_url": None,
        }
        body = {k: v for k, v in values.items() if k in props and v is not None}
        await ctx.operator.write("POST", path, f"milestone:{goal}", body, exists=(409,))
        ctx.advance("operations", 1)
