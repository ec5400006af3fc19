"""The `/statistics/indicators` answer: every indicator of one owner with its yearly series and
its judgement. Each owning service serves it from its own ledger; the gateway builds the public
progress from its copy with the same function, so the two answers are comparable field by field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.indicators.catalogue import Indicator, Measure, TargetKind, Unit, owned_by
from ipops.indicators.evaluation import BASE_YEAR, Status, judge, judged_year
from ipops.indicators.figures import Group, contribution_groups, yearly_values

DecimalText = Annotated[Decimal, PlainSerializer(lambda d: str(d), return_type=str, when_used="json")]


class YearValue(BaseModel):
    """One year of an indicator."""

    year: int
    value: DecimalText | None = Field(description="yuan with two decimals, counts, or points; null: no figure")
    year_to_date: bool = Field(description="the current year: shown, never judged")


class JudgementPublic(BaseModel):
    """The indicator against its target in the judged year."""

    status: Status
    judged_year: int
    value: DecimalText | None
    average_growth_pct: DecimalText | None = None


class IndicatorSeries(BaseModel):
    """One indicator: what it measures, its target, every year since the base year, the verdict."""

    indicator: str
    owner: str
    goal: int | None
    task: int | None
    title_zh: str
    title_en: str
    measure: Measure
    unit: Unit
    target: TargetKind
    target_value: DecimalText | None
    growth_pct: DecimalText | None
    has_source: bool
    series: list[YearValue]
    judgement: JudgementPublic


class IndicatorStatistics(BaseModel):
    """An owner's indicators (or, at the gateway, all of them)."""

    base_year: int
    current_year: int
    indicators: list[IndicatorSeries]


def build_series(
    entry: Indicator,
    groups: list[Group],
    current_year: int,
    *,
    has_source: bool = True,
    base_year: int = BASE_YEAR,
    year: int | None = None,
) -> IndicatorSeries:
    """One indicator's series from its grouped contributions, judged for `year` (default: the
    dashboard's judged year)."""
    years = list(range(base_year, current_year + 1))
    values = yearly_values(entry, groups, years) if has_source else dict.fromkeys(years)
    verdict = judge(
        entry, values, year if year is not None else judged_year(current_year), current_year,
        has_source=has_source, base_year=base_year,
    )  # fmt: skip
    return IndicatorSeries(
        indicator=entry.id, owner=entry.owner, goal=entry.goal, task=entry.task,
        title_zh=entry.title_zh, title_en=entry.title_en, measure=entry.measure, unit=entry.unit,
        target=entry.target, target_value=entry.target_value, growth_pct=entry.growth_pct,
        has_source=has_source,
        series=[YearValue(year=y, value=values[y], year_to_date=y >= current_year) for y in years],
        judgement=JudgementPublic(
            status=verdict.status, judged_year=verdict.judged_year, value=verdict.value,
            average_growth_pct=verdict.growth_pct,
        ),
    )  # fmt: skip


async def owner_statistics(
    session: AsyncSession, owner: str, current_year: int, *, base_year: int = BASE_YEAR
) -> IndicatorStatistics:
    """The indicators `owner` holds, from its own ledger."""
    entries = owned_by(owner)
    groups = await contribution_groups(session, [e.id for e in entries])
    return IndicatorStatistics(
        base_year=base_year,
        current_year=current_year,
        indicators=[build_series(e, groups.get(e.id, []), current_year, base_year=base_year) for e in entries],
    )
