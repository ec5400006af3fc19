"""The HTTP contract of the calendar (the operator's special days, the years and their sources,
the coverage report), what the use cases hand to the presenters, and the presenters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from enforcement.domain.calendar import Coverage, EffectiveDay, OfficialCalendar
from enforcement.enums import CalendarSource, DayKind
from enforcement.models import CalendarDay, CalendarYear


class CalendarDayPut(BaseModel):
    """Declare a day a public holiday or a make-up working day."""

    kind: DayKind
    name: str = Field(min_length=1, max_length=100)


class CalendarDayPublic(BaseModel):
    """A holiday or make-up working day."""

    model_config = ConfigDict(from_attributes=True)

    day: date
    kind: str
    name: str
    updated_by: str
    updated_at: datetime


class CalendarPage(BaseModel):
    """Special days of a year."""

    items: list[CalendarDayPublic]


def calendar_day_public(row: CalendarDay) -> CalendarDayPublic:
    """A calendar entry as the API shows it."""
    return CalendarDayPublic.model_validate(row)


def calendar_page(rows: Sequence[CalendarDay]) -> CalendarPage:
    """Calendar entries as the API shows them."""
    return CalendarPage(items=[calendar_day_public(r) for r in rows])


# --- years: their sources, the operator's declarations, coverage -------------------------------


class CalendarYearPut(BaseModel):
    """Declare the operator's table complete for a year: the year is then covered."""

    notice: str = Field(
        min_length=1,
        max_length=200,
        description="the official source of the year's days, e.g. 国务院办公厅关于2027年部分节假日安排的通知",
    )


class CalendarYearPublic(BaseModel):
    """An operator's declaration that a year is complete."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    notice: str
    declared_by: str
    declared_at: datetime


class EffectiveDayPublic(BaseModel):
    """A holiday or make-up working day as deadlines count it, and its source (the operator's
    entry overrides the library's)."""

    day: date
    kind: DayKind
    name: str
    source: CalendarSource


class CalendarYearView(BaseModel):
    """One year of the calendar: whether deadlines may count on it, which sources cover it, and
    its special days."""

    year: int
    covered: bool
    covered_by: list[CalendarSource]
    declaration: CalendarYearPublic | None
    days: list[EffectiveDayPublic]


class LibraryPublic(BaseModel):
    """The official calendar library and the years it covers."""

    source: str
    first_year: int
    last_year: int


class WaitingYear(BaseModel):
    """Open cases whose deadline waits for a year's calendar."""

    year: int
    cases: int


class CalendarCoverage(BaseModel):
    """Which years the calendar covers on `as_of`, and whether that is an alert: this year not
    covered, or next year not covered on or after `alert_from` (month-day)."""

    as_of: date
    library: LibraryPublic
    declared_years: list[int]
    this_year_covered: bool
    next_year: int
    next_year_covered: bool
    alert_from: str
    alert: bool
    waiting_for_calendar: list[WaitingYear]


@dataclass(frozen=True)
class YearState:
    """One year of the calendar as the use case found it."""

    year: int
    covered_by: list[CalendarSource]
    declaration: CalendarYear | None
    days: list[EffectiveDay]


@dataclass(frozen=True)
class CoverageState:
    """The coverage of the calendar on a day, and the cases waiting for a year."""

    coverage: Coverage
    official: OfficialCalendar
    waiting: dict[int, int]


def calendar_year_public(row: CalendarYear) -> CalendarYearPublic:
    """A declaration as the API shows it."""
    return CalendarYearPublic.model_validate(row)


def calendar_year_view(state: YearState) -> CalendarYearView:
    """A year of the calendar as the API shows it."""
    return CalendarYearView(
        year=state.year,
        covered=bool(state.covered_by),
        covered_by=state.covered_by,
        declaration=calendar_year_public(state.declaration) if state.declaration is not None else None,
        days=[EffectiveDayPublic(day=e.day.day, kind=e.day.kind, name=e.day.name, source=e.source) for e in state.days],
    )


def calendar_coverage(state: CoverageState) -> CalendarCoverage:
    """The coverage report as the API shows it."""
    report, years = state.coverage, sorted(state.official.years)
    month, day = report.alert_from
    return CalendarCoverage(
        as_of=report.today,
        library=LibraryPublic(source=state.official.source, first_year=years[0], last_year=years[-1]),
        declared_years=sorted(report.declared_years),
        this_year_covered=report.this_year_covered,
        next_year=report.next_year,
        next_year_covered=report.next_year_covered,
        alert_from=f"{month:02d}-{day:02d}",
        alert=report.alert,
        waiting_for_calendar=[WaitingYear(year=y, cases=n) for y, n in sorted(state.waiting.items())],
    )
