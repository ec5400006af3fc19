"""The annual performance evaluation (分年度绩效评价) of one year: the data both renderings show.

For each indicator of the catalogue: its value in every year from the base year to the report's
year, the average growth and the judgement for the report's year (a complete year is judged, the
current one is "year to date"), its target and its source service, and the records (subjects) that
make up its value of that year (`ipops.indicators.figures.contributing_subjects`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.readmodel import queries
from gateway.readmodel.schemas import GoalMilestones
from ipops.clock import utc_now
from ipops.errors import NotFound, RuleViolation
from ipops.indicators.figures import contributing_subjects
from ipops.indicators.statistics import IndicatorSeries


@dataclass(frozen=True)
class ReportLine:
    """One indicator in the report: its series up to the report's year and the records of that year."""

    series: IndicatorSeries
    subjects: list[str]


@dataclass(frozen=True)
class AnnualReport:
    """The evaluation of `year`."""

    year: int
    base_year: int
    current_year: int
    lines: list[ReportLine]
    milestones: list[GoalMilestones]
    generated_at: datetime

    @property
    def years(self) -> list[int]:
        """The columns: the base year to the report's year."""
        return list(range(self.base_year, self.year + 1))


def check_year(year: int, base_year: int, current_year: int) -> None:
    """A year before the base year has no evaluation (422); one after the current year not yet (404)."""
    if year < base_year:
        raise RuleViolation(f"the evaluation starts with the base year {base_year}", field="path.year")
    if year > current_year:
        raise NotFound(
            f"there is no evaluation of {year} yet (the current year is {current_year})",
            errors=[{"field": "path.year", "message": f"after the current year {current_year}"}],
        )


async def annual_report(session: AsyncSession, year: int, base_year: int, current_year: int) -> AnnualReport:
    """The evaluation of `year`, from the read model."""
    check_year(year, base_year, current_year)
    lines = []
    for series in await queries.indicator_series(session, current_year, base_year, year=year):
        trimmed = series.model_copy(update={"series": [v for v in series.series if v.year <= year]})
        subjects = (
            await contributing_subjects(session, series.indicator, year, series.measure == "stock")
            if series.has_source
            else []
        )
        lines.append(ReportLine(trimmed, subjects))
    return AnnualReport(
        year=year, base_year=base_year, current_year=current_year, lines=lines,
        milestones=await queries.milestones(session), generated_at=utc_now(),
    )  # fmt: skip
