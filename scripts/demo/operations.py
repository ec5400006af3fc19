"""IP operations, when the platform runs the operations service: the agencies' verified yearly
revenue, transactions and licences, alliances, patent pools, overseas marks and the milestones of
goals 七-九. Each part is loaded only when the gateway's document has its route, so the demo runs
on a platform without it (the public page then says "no data yet" for those indicators)."""

# ruff: noqa: RUF001  (full-width punctuation is right in Chinese text)
from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from scripts.demo.client import Api, DemoError
from scripts.demo.context import Context

OPS = "/api/v1/operations"
# yearly revenue in million yuan of the first agencies: two pass 10 M (target 5 agencies: missed)
REVENUE = {2019: (6.2, 4.1, 2.5), 2020: (8.4, 5.0, 3.1), 2021: (10.6, 7.9, 3.8), 2022: (12.3, 10.8, 4.6)}
MILESTONES = (
    (7, "2020-09-28", "东丽区知识产权服务业集聚区挂牌", "IP service cluster of Dongli opened", "东政发〔2020〕31号"),
    (8, "2021-06-18", "华明知识产权小镇建成运营", "Huaming IP town in operation", "东政发〔2021〕17号"),
    (9, "2022-11-08", "东丽区知识产权运营中心通过验收", "Dongli IP operation centre accepted", "东知发〔2022〕9号"),
)


def steps(ctx: Context) -> int:
    return sum(len(v) for v in REVENUE.values()) + len(MILESTONES)


async def run(ctx: Context) -> None:
    if not any(path.startswith(OPS) for path in ctx.schema.document.get("paths", {})):
        ctx.notes.append("the operations service is not behind the gateway: operations figures not loaded")
        ctx.advance("operations", steps(ctx))
        return
    await revenue(ctx)
    await milestones(ctx)


async def _retry_missing(call: Any, attempts: int = 40) -> Any:
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
    path = f"{OPS}/agencies/{{agency_id}}/revenue-reports"
    if not ctx.schema.has_path(path):
        ctx.notes.append("operations has no revenue reports route")
        ctx.advance("operations", sum(len(v) for v in REVENUE.values()))
        return
    for year, amounts in REVENUE.items():
        for (agency_id, _), million in zip(ctx.world.agencies, amounts, strict=False):
            agency: Api = ctx.agencies[agency_id]
            body = {"year": year, "revenue": str(Decimal(str(million)) * 1_000_000), "evidence": f"{year}年度审计报告"}

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
