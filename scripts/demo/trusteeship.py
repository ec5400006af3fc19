"""Trusteeship: the agencies the district buys services from, 1,000+ enrolled firms (mostly small
and micro), their first patents and GB/T 29490 certifications, the agencies' work logs (one bulk
JSON Lines upload per agency) and annual fees paid on the docket."""

# ruff: noqa: RUF001  (full-width punctuation is right in Chinese text)
from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from ipops.clock import district_today
from scripts.demo import names
from scripts.demo.client import Api
from scripts.demo.context import Context, each
from scripts.demo.world import Firm

T = "/api/v1/trusteeship"
SERVICE_TYPES = (
    "deadline_watch",
    "search",
    "filing_assistance",
    "training",
    "consultation",
    "management_system",
    "early_warning",
    "valuation_financing",
    "rights_protection",
)
WORK = {
    "deadline_watch": "年费期限监控与提醒",
    "search": "专利检索与查新",
    "filing_assistance": "协助撰写并提交专利申请",
    "training": "知识产权基础知识培训",
    "consultation": "知识产权管理咨询",
    "management_system": "协助建立知识产权管理体系（贯标）",
    "early_warning": "侵权风险预警分析",
    "valuation_financing": "知识产权价值评估与质押融资对接",
    "rights_protection": "维权指导与证据固定",
}
LOGS_A_FIRM = 12
LAST_DAY = date(2022, 12, 31)


def steps(ctx: Context) -> int:
    return len(ctx.world.agencies) + len(ctx.world.firms) + len(ctx.world.agencies)


async def agencies(ctx: Context) -> None:
    """The agencies under government purchase contracts since 2018 (operator)."""
    props = ctx.schema.properties("POST", f"{T}/agencies")
    for i, (agency_id, name) in enumerate(ctx.world.agencies):
        body: dict[str, Any] = {
            "id": agency_id,
            "name": name,
            "contract_number": f"DLZSCQ-2018-{i + 1:03d}",
            "contract_start_date": "2018-01-01",
            "contract_end_date": "2027-12-31",
            "quota": 1000,
            "scope": list(SERVICE_TYPES),
        }
        if "credit_code" in props:
            body["credit_code"] = names.credit_code(9_000 + i)
        await ctx.operator.write("POST", f"{T}/agencies", f"agency:{agency_id}", body, exists=(409,))
        ctx.advance("trusteeship", 1)


async def run(ctx: Context) -> None:
    await each(ctx.world.firms, lambda firm: _firm(ctx, firm))
    await each(ctx.world.agencies, lambda agency: _work_logs(ctx, agency[0]))


# employees and yearly revenue (yuan) a firm of each class declares, within the class's bounds
# of the industrial SME classification (工业: micro < 20 staff or < 3 M; small < 300 or < 20 M; ...)
DECLARED = {
    "micro": (12, "2400000.00"),
    "small": (85, "16000000.00"),
    "medium": (460, "180000000.00"),
    "large": (1800, "950000000.00"),
}


def enterprise_body(ctx: Context, firm: Firm) -> dict[str, Any]:
    """The firm as its agency enrols it, with the size class and, where the API takes them, the
    figures it was declared from."""
    street = names.TRADE_WORDS[firm.serial % 14]
    body: dict[str, Any] = {
        "credit_code": firm.code,
        "name": firm.name,
        "industry": names.INDUSTRY_ZH[firm.industry],
        "size": firm.size,
        "address": f"天津市东丽区{street}路{firm.serial % 300 + 1}号",
    }
    props = ctx.schema.properties("POST", f"{T}/enrolments")
    enterprise = ctx.schema.props_of(props.get("enterprise", {}), None)
    employees, revenue = DECLARED[firm.size]
    if "employees" in enterprise:
        body["employees"] = employees + firm.serial % 7
    if "yearly_revenue" in enterprise:
        body["yearly_revenue"] = revenue
    return body


async def _firm(ctx: Context, firm: Firm) -> None:
    agency = ctx.agencies[firm.agency]
    body = {
        "enterprise": enterprise_body(ctx, firm),
        "start_date": firm.enrolled_on.isoformat(),
        "reason": "政府购买服务：知识产权托管",
    }
    enrolment = await agency.write("POST", f"{T}/enrolments", f"enrolment:{firm.code}", body)
    if firm.patent is not None:
        await _patent(ctx, agency, firm)
    if firm.certified_on is not None:
        await agency.write(
            "PATCH",
            f"{T}/enterprises/{firm.code}",
            f"certified:{firm.code}",
            {"gbt29490_certified_date": firm.certified_on.isoformat()},
        )
    if firm.exited_on is not None:
        exit_body = {"end_date": firm.exited_on.isoformat(), "reason": "企业迁出东丽区"}
        await agency.write("POST", f"{T}/enrolments/{enrolment['id']}/exit", f"exit:{firm.code}", exit_body)
    ctx.advance("trusteeship", 1)


async def _patent(ctx: Context, agency: Api, firm: Firm) -> None:
    assert firm.patent is not None
    number, filed, granted = firm.patent
    body = {
        "number": number,
        "title": f"一种{names.INDUSTRY_WORDS[firm.industry][firm.serial % 4]}装置",
        "filing_date": filed.isoformat(),
        "grant_date": granted.isoformat(),
    }
    await agency.write("POST", f"{T}/enterprises/{firm.code}/patents", f"patent:{number}", body, exists=(409,))


def work_rows(ctx: Context, agency_id: str) -> list[dict[str, Any]]:
    """The agency's work log, 2018-2022: about a dozen entries a year of trusteeship per firm it
    still holds, each on a working day after the enrolment."""
    rng = random.Random(f"{ctx.world.seed}:{agency_id}")
    rows = []
    for firm in ctx.world.firms:
        if firm.agency != agency_id or firm.exited_on is not None:
            continue
        span = (LAST_DAY - firm.enrolled_on).days
        for k in range(LOGS_A_FIRM):
            day = firm.enrolled_on + timedelta(days=rng.randint(0, max(0, span)))
            kind = SERVICE_TYPES[(firm.serial + k) % len(SERVICE_TYPES)]
            row: dict[str, Any] = {
                "credit_code": firm.code,
                "service_type": kind,
                "work_date": day.isoformat(),
                "hours": f"{rng.randint(2, 16) / 2:.1f}",
                "description": WORK[kind],
            }
            if kind == "deadline_watch" and firm.patent is not None:
                row["patent_numbers"] = [firm.patent[0]]
            rows.append(row)
    return rows


async def _work_logs(ctx: Context, agency_id: str) -> None:
    rows = work_rows(ctx, agency_id)
    if rows:
        content = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
        await ctx.agencies[agency_id].write(
            "POST", f"{T}/work-logs/bulk", f"worklogs:{agency_id}", content=content, content_type="application/x-ndjson"
        )
    await _fees(ctx, agency_id)
    ctx.advance("trusteeship", 1)


async def _fees(ctx: Context, agency_id: str) -> None:
    """The agency pays the next annual fee of a few of its firms' patents (the docket lists them
    from the day a patent is recorded; fees whose grace ended before are taken as paid)."""
    agency = ctx.agencies[agency_id]
    holders = [f for f in ctx.world.firms if f.agency == agency_id and f.patent is not None and f.exited_on is None]
    for firm in holders[:: max(1, len(holders) // 8)][:8]:
        docket = await agency.get(f"{T}/enterprises/{firm.code}/docket")
        for deadline in docket.get("items", [])[:1]:
            if deadline.get("status") != "open":
                continue
            body = {
                "paid_date": min(date.fromisoformat(deadline["due_date"]), district_today()).isoformat(),
                "amount": deadline["fee"],
            }
            await agency.write(
                "POST", f"{T}/fee-deadlines/{deadline['id']}/payments", f"fee:{deadline['id']}", body, exists=(409,)
            )
