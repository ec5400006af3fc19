"""Public figures computed from the read model: the plan's progress, accepted projects and
anonymised enforcement statistics. Read-only; every figure comes from the gateway's own
database, so the answers do not depend on any service being up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway.models import ReadModelState, RmCase, RmEnterprise, RmFact, RmLoan, RmProject
from gateway.readmodel.targets import TARGETS, Target
from ipops.db import district_year
from ipops.money import format_yuan

# Administrative patent and trademark cases (DOMAIN-RULES §4): assistance is a service, not a case.
ADMINISTRATIVE_CASE_TYPES = (
    "patent_infringement_adjudication",
    "patent_mediation",
    "counterfeit_patent",
    "trademark_enforcement",
)

ByYear = dict[int, int] | dict[int, Decimal]


def _year(column: Any) -> Any:
    # The district's year (Beijing), as every service counts it (ipops.clock.district_year).
    return district_year(column)


async def _by_year(session: AsyncSession, value: Any, at: Any, *where: Any) -> dict[int, int]:
    year = _year(at)
    query = select(year, value).where(at.is_not(None), *where).group_by(year)
    return {int(y): int(v or 0) for y, v in (await session.execute(query)).all()}


async def _projects(session: AsyncSession, kind: str) -> dict[int, int]:
    return await _by_year(session, func.count(), col(RmProject.accepted_at), col(RmProject.kind) == kind)


async def _average(session: AsyncSession, metric: str) -> dict[int, Decimal]:
    year = _year(col(RmFact.occurred_at))
    query = (
        select(year, func.sum(col(RmFact.quantity)), func.count()).where(col(RmFact.metric) == metric).group_by(year)
    )
    return {
        int(y): (Decimal(int(total)) / Decimal(int(n))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for y, total, n in (await session.execute(query)).all()
        if n
    }


async def _facts(session: AsyncSession, metric: str) -> dict[int, int]:
    total = func.sum(col(RmFact.quantity))
    return await _by_year(session, total, col(RmFact.occurred_at), col(RmFact.metric) == metric)


SOURCES: dict[str, Callable[[AsyncSession], Awaitable[ByYear]]] = {
    "projects_industry_planning": lambda s: _projects(s, "industry_planning"),
    "projects_enterprise_operation": lambda s: _projects(s, "enterprise_operation"),
    "high_value_portfolios": lambda s: _facts(s, "high_value_portfolios"),
    "trusteeship_enterprises": lambda s: _by_year(s, func.count(), col(RmEnterprise.first_enrolled_at)),
    "pledge_amount": lambda s: _by_year(s, func.sum(col(RmLoan.amount_fen)), col(RmLoan.approved_at)),
    "pledge_count": lambda s: _by_year(s, func.count(), col(RmLoan.approved_at)),
    "mixed_pledges": lambda s: _by_year(s, func.count(), col(RmLoan.approved_at), col(RmLoan.mixed_pledge).is_(True)),
    "enforcement_cases": lambda s: _by_year(
        s, func.count(), col(RmCase.opened_at), col(RmCase.case_type).in_(ADMINISTRATIVE_CASE_TYPES)
    ),
    "enterprises_served": lambda s: _facts(s, "enterprises_served"),
    "satisfaction": lambda s: _average(s, "satisfaction_score"),
}


def _pct(numerator: int | Decimal, denominator: int | Decimal) -> str | None:
    if denominator == 0:
        return None
    return str((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _show(target: Target, value: int | Decimal) -> int | str:
    if isinstance(value, Decimal):
        return str(value)  # an average (satisfaction points, one decimal)
    return format_yuan(value) if target.unit == "yuan" else value


def _progress_of(target: Target, by_year: ByYear | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": target.id,
        "plan_item": target.plan_item,
        "title": {"zh": target.title_zh, "en": target.title_en},
        "kind": target.kind,
        "unit": target.unit,
        "target": {"value": target.target_value, "growth_pct": target.growth_pct, "by_year": target.by_year},
    }
    if by_year is None:
        return {**out, "status": "no_data", "current": None, "met": None, "by_year": []}
    years = sorted(by_year)
    rows: list[dict[str, Any]] = []
    running: int | Decimal = 0
    for year in years:
        value = by_year[year]
        running += value
        row: dict[str, Any] = {"year": year, "value": _show(target, value)}
        previous = by_year.get(year - 1)
        row["growth_pct"] = _pct(value - previous, previous) if previous is not None else None
        if target.kind == "cumulative":
            row["cumulative"] = _show(target, running)
        rows.append(row)
    met: bool | None
    current: int | Decimal
    if target.kind == "cumulative":
        current = running
        met = current >= (target.target_value or 0)
        out["progress_pct"] = _pct(current, target.target_value or 0)
    elif target.kind == "per_year":
        current = by_year[years[-1]] if years else 0
        met = current >= (target.target_value or 0) if years else None
    else:
        current = by_year[years[-1]] if years else 0
        growth = rows[-1]["growth_pct"] if rows else None
        met = None if growth is None else Decimal(growth) >= (target.growth_pct or 0)
        out["latest_growth_pct"] = growth
    out["current_year"] = years[-1] if years else None
    return {**out, "status": "ok", "current": _show(target, current), "met": met, "by_year": rows}


async def progress(session: AsyncSession) -> dict[str, Any]:
    """Every target of the plan with its current value, its target and its trend by year."""
    targets = []
    for target in TARGETS:
        by_year = await SOURCES[target.source](session) if target.source else None
        targets.append(_progress_of(target, by_year))
    state = await session.get(ReadModelState, 1)
    return {
        "targets": targets,
        "read_model": {
            "generation": state.generation if state else None,
            "reset_at": state.reset_at.isoformat() if state else None,
        },
    }


async def accepted_projects(
    session: AsyncSession, *, kind: str | None, limit: int, offset: int
) -> tuple[list[RmProject], int]:
    """Accepted navigation projects, newest first."""
    where = [col(RmProject.kind) == kind] if kind else []
    query = select(RmProject).where(*where).order_by(col(RmProject.accepted_at).desc(), col(RmProject.project_id))
    rows = (await session.execute(query.limit(limit).offset(offset))).scalars().all()
    total = (await session.execute(select(func.count()).select_from(RmProject).where(*where))).scalar_one()
    return list(rows), int(total)


async def enforcement_statistics(session: AsyncSession) -> list[dict[str, Any]]:
    """Cases per year by type and by channel, counts only (no party, no case id)."""
    year = _year(col(RmCase.opened_at))
    by_type = await session.execute(
        select(year, col(RmCase.case_type), func.count()).group_by(year, col(RmCase.case_type))
    )
    by_channel = await session.execute(
        select(year, col(RmCase.channel), func.count()).group_by(year, col(RmCase.channel))
    )
    years: dict[int, dict[str, Any]] = {}
    for y, case_type, n in by_type.all():
        entry = years.setdefault(int(y), {"year": int(y), "total": 0, "by_type": {}, "by_channel": {}})
        entry["by_type"][case_type] = int(n)
        entry["total"] += int(n)
    for y, channel, n in by_channel.all():
        years[int(y)]["by_channel"][channel] = int(n)
    served = await _facts(session, "enterprises_served")
    closed = await _facts(session, "cases_closed")
    in_time = await _facts(session, "cases_closed_in_time")
    satisfaction = await _average(session, "satisfaction_score")
    for y in set(closed) | set(served) | set(satisfaction):
        years.setdefault(y, {"year": y, "total": 0, "by_type": {}, "by_channel": {}})
    for y, entry in years.items():
        entry["enterprises_served"] = served.get(y, 0)
        entry["closed"] = closed.get(y, 0)
        entry["closed_within_deadline_pct"] = _pct(in_time.get(y, 0), closed.get(y, 0))
        entry["satisfaction"] = str(satisfaction[y]) if y in satisfaction else None
    return [years[y] for y in sorted(years)]
