"""Public figures from the read model: the plan's indicators, accepted projects and anonymised
enforcement statistics. Read-only; every figure comes from the gateway's own database, so the
answers do not depend on any service being up.

The indicators are `ipops.indicators.statistics.build_series` over the contributions the owners
announced (`ipops.indicators.figures`): the same function each owner's `/statistics/indicators`
runs on its own ledger, so the public figure and the owner's can only differ while an event is on
its way. An indicator whose owner has not announced itself as its source is "no data yet".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gateway.models import ReadModelState, RmCase, RmIndicatorSource, RmMilestone, RmProject
from gateway.readmodel.schemas import (
    MILESTONE_GOALS,
    GoalMilestones,
    MilestonePublic,
    PlanProgress,
    ReadModelInfo,
)
from ipops.db import district_year
from ipops.indicators.catalogue import CATALOGUE
from ipops.indicators.evaluation import judged_year
from ipops.indicators.figures import contribution_groups
from ipops.indicators.statistics import IndicatorSeries, build_series


async def sources(session: AsyncSession) -> set[str]:
    """The indicators whose owner announced itself as their source."""
    rows = (await session.execute(select(RmIndicatorSource))).scalars().all()
    return {indicator for row in rows for indicator in row.indicators}


async def indicator_series(
    session: AsyncSession, current_year: int, base_year: int, *, year: int | None = None
) -> list[IndicatorSeries]:
    """Every indicator of the catalogue, in its order, judged for `year` (default: the
    dashboard's judged year)."""
    announced = await sources(session)
    groups = await contribution_groups(session, [entry.id for entry in CATALOGUE])
    return [
        build_series(
            entry,
            groups.get(entry.id, []),
            current_year,
            has_source=entry.id in announced,
            base_year=base_year,
            year=year,
        )
        for entry in CATALOGUE
    ]


async def milestones(session: AsyncSession) -> list[GoalMilestones]:
    """Goals 七-九 with the milestones recorded for them, oldest first."""
    order = (col(RmMilestone.achieved_on), col(RmMilestone.milestone_id))
    rows = (await session.execute(select(RmMilestone).order_by(*order))).scalars().all()
    goals = []
    for goal, title_zh, title_en in MILESTONE_GOALS:
        recorded = [MilestonePublic.model_validate(row, from_attributes=True) for row in rows if row.goal == goal]
        status = "recorded" if recorded else "no_data"
        goals.append(
            GoalMilestones(goal=goal, title_zh=title_zh, title_en=title_en, status=status, milestones=recorded)
        )
    return goals


async def progress(session: AsyncSession, current_year: int, base_year: int) -> PlanProgress:
    """Every indicator with its series since `base_year`, target and judgement, and goals 七-九."""
    state = await session.get(ReadModelState, 1)
    return PlanProgress(
        base_year=base_year,
        current_year=current_year,
        judged_year=judged_year(current_year),
        indicators=await indicator_series(session, current_year, base_year),
        milestones=await milestones(session),
        read_model=ReadModelInfo(
            generation=state.generation if state else None, reset_at=state.reset_at if state else None
        ),
    )


async def accepted_projects(
    session: AsyncSession, *, kind: str | None, limit: int, offset: int
) -> tuple[list[RmProject], int]:
    """Accepted navigation projects, newest first."""
    where = [col(RmProject.kind) == kind] if kind else []
    query = select(RmProject).where(*where).order_by(col(RmProject.accepted_at).desc(), col(RmProject.project_id))
    rows = (await session.execute(query.limit(limit).offset(offset))).scalars().all()
    total = (await session.execute(select(func.count()).select_from(RmProject).where(*where))).scalar_one()
    return list(rows), int(total)


def _pct(numerator: int, denominator: int) -> str | None:
    if denominator == 0:
        return None
    return str((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


async def _closed_by_year(session: AsyncSession) -> dict[int, tuple[int, int]]:
    year = district_year(col(RmCase.closed_at))
    in_time = func.sum(case((col(RmCase.closed_within_deadline).is_(True), 1), else_=0))
    query = select(year, func.count(), in_time).where(col(RmCase.closed_at).is_not(None)).group_by(year)
    return {int(y): (int(n), int(t or 0)) for y, n, t in (await session.execute(query)).all()}


async def enforcement_statistics(session: AsyncSession, current_year: int, base_year: int) -> list[dict[str, Any]]:
    """Cases per year by type and by channel, and how many closed (in time), counts only (no
    party, no case id). The enterprises served and the satisfaction are enforcement's indicators
    (`enterprises_protected`, `satisfaction`), not counted here again."""
    year = district_year(col(RmCase.opened_at))
    by_type = await session.execute(
        select(year, col(RmCase.case_type), func.count()).group_by(year, col(RmCase.case_type))
    )
    by_channel = await session.execute(
        select(year, col(RmCase.channel), func.count()).group_by(year, col(RmCase.channel))
    )
    years: dict[int, dict[str, Any]] = {}

    def entry(y: int) -> dict[str, Any]:
        return years.setdefault(y, {"year": y, "total": 0, "by_type": {}, "by_channel": {}})

    for y, case_type, n in by_type.all():
        entry(int(y))["by_type"][case_type] = int(n)
        entry(int(y))["total"] += int(n)
    for y, channel, n in by_channel.all():
        entry(int(y))["by_channel"][channel] = int(n)
    closed = await _closed_by_year(session)
    figures = {s.indicator: s for s in await indicator_series(session, current_year, base_year)}
    served = {v.year: v.value for v in figures["enterprises_protected"].series if v.value}
    satisfaction = {v.year: v.value for v in figures["satisfaction"].series if v.value is not None}
    for y in set(closed) | set(served) | set(satisfaction):
        entry(y)
    for y, row in years.items():
        n, in_time = closed.get(y, (0, 0))
        row["enterprises_served"] = int(served.get(y) or 0)
        row["closed"] = n
        row["closed_within_deadline_pct"] = _pct(in_time, n)
        row["satisfaction"] = str(satisfaction[y]) if y in satisfaction else None
    return [years[y] for y in sorted(years)]
