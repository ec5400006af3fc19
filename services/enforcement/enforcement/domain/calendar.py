"""The working-day calendar: weekends, public holidays and make-up working days, and which years
it covers.

Guarantees:
- a day is a working day when it is a make-up working day, or a Monday to Friday that is not a
  holiday; a make-up day wins over everything, a holiday over the weekday;
- the calendar answers only for the years it covers: asking about a day of any other year raises
  `CalendarYearMissing` naming the year (a 409 `calendar-year-missing` problem), never a count of
  weekends only;
- `combine` builds it from its two sources: the official calendar (`official_calendar.py`) and the
  operator's table of special days, which overrides the official calendar day by day; a year is
  covered when the official calendar knows it or an operator has declared it complete (operator
  entries alone never cover a year: a year with one holiday entered is not a year entered);
- `coverage` says whether this year and next are covered and whether that is an alert: next year
  missing from the alert date (1 December by default, `deadline_rules.toml`), or this year missing;
- `add_working_days(start, n)` is the n-th working day *after* `start` (the day of the trigger is
  not counted, as in every Chinese statutory period), so 5 working days from a Friday receipt are
  counted from the Monday;
- dates are China dates: `ipops.clock.district_date` turns an aware timestamp into the date in
  Beijing (UTC+8, no daylight saving), because a receipt at 20:00 UTC happened on the next day there.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from importlib import resources

from enforcement.enums import CalendarSource, DayKind
from ipops.errors import Conflict

ONE_DAY = timedelta(days=1)


class CalendarYearMissing(Conflict):
    """A deadline needs a year whose holidays and make-up working days no source covers."""

    type_slug = "calendar-year-missing"
    title = "Holiday calendar missing for a year"

    def __init__(self, year: int) -> None:
        super().__init__(
            f"no holiday calendar covers {year}: an operator enters its public holidays and make-up working "
            f"days (PUT /calendar/{{day}}) and declares {year} complete (PUT /calendar/years/{year})",
            year=year,
        )
        self.year = year


@dataclass(frozen=True)
class SpecialDay:
    """One calendar entry: a holiday or a make-up working day."""

    day: date
    kind: DayKind
    name: str


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days, in the years it covers."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, days: Iterable[SpecialDay], years: Iterable[int]) -> WorkCalendar:
        """A calendar from its special days, covering `years`."""
        days = list(days)
        return cls(
            holidays=frozenset(d.day for d in days if d.kind is DayKind.HOLIDAY),
            workdays=frozenset(d.day for d in days if d.kind is DayKind.WORKDAY),
            years=frozenset(years),
        )

    def covers(self, year: int) -> bool:
        """Whether the calendar knows the year's holidays and make-up days."""
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        """True on a working day; `CalendarYearMissing` in a year the calendar does not cover."""
        if day.year not in self.years:
            raise CalendarYearMissing(day.year)
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (`start` itself when n is 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in [start, end)."""
        return sum(1 for day in _days(start, end) if self.is_working_day(day))

    def working_day_on_or_after(self, day: date) -> date:
        """`day` when it is a working day, else the next one (a period ending on a rest day ends
        on the next working day)."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


@dataclass(frozen=True)
class OfficialCalendar:
    """The official calendar as a source: its special days, the years it covers, where it is from."""

    days: tuple[SpecialDay, ...]
    years: frozenset[int]
    source: str

    @cached_property
    def holidays(self) -> frozenset[date]:
        """The official holidays."""
        return frozenset(d.day for d in self.days if d.kind is DayKind.HOLIDAY)

    @cached_property
    def workdays(self) -> frozenset[date]:
        """The official make-up working days."""
        return frozenset(d.day for d in self.days if d.kind is DayKind.WORKDAY)


@dataclass(frozen=True)
class EffectiveDay:
    """A special day as the deadlines count it, and the source it comes from."""

    day: SpecialDay
    source: CalendarSource


def effective_days(official: OfficialCalendar, operator: Sequence[SpecialDay]) -> dict[date, EffectiveDay]:
    """Every special day by date: the operator's entry where there is one, else the official one."""
    days = {d.day: EffectiveDay(d, CalendarSource.LIBRARY) for d in official.days}
    days.update({d.day: EffectiveDay(d, CalendarSource.OPERATOR) for d in operator})
    return days


def combine(official: OfficialCalendar, operator: Sequence[SpecialDay], declared: Iterable[int]) -> WorkCalendar:
    """The calendar deadlines count on: the official days overridden by the operator's, covering the
    official years and the years an operator declared complete."""
    kinds = {d.day: d.kind for d in operator}  # one entry a day (the table's key); the last wins
    holidays = {day for day, kind in kinds.items() if kind is DayKind.HOLIDAY}
    workdays = {day for day, kind in kinds.items() if kind is DayKind.WORKDAY}
    overridden = holidays | workdays
    return WorkCalendar(
        holidays=(official.holidays - overridden) | holidays,
        workdays=(official.workdays - overridden) | workdays,
        years=official.years | frozenset(declared),
    )


@dataclass(frozen=True)
class Coverage:
    """Which years the calendar covers, seen from `today` (a district date)."""

    today: date
    official_years: frozenset[int]
    declared_years: frozenset[int]
    alert_from: tuple[int, int]

    @property
    def covered_years(self) -> frozenset[int]:
        """Years some source covers."""
        return self.official_years | self.declared_years

    @property
    def next_year(self) -> int:
        """The year after today's."""
        return self.today.year + 1

    @property
    def this_year_covered(self) -> bool:
        """Whether today's year is covered."""
        return self.today.year in self.covered_years

    @property
    def next_year_covered(self) -> bool:
        """Whether next year is covered."""
        return self.next_year in self.covered_years

    @property
    def alert(self) -> bool:
        """This year missing, or next year missing on or after the alert date."""
        month, day = self.alert_from
        late = self.today >= date(self.today.year, month, day)
        return not self.this_year_covered or (late and not self.next_year_covered)


def coverage(
    today: date, official_years: Iterable[int], declared_years: Iterable[int], *, alert_from: tuple[int, int]
) -> Coverage:
    """The coverage of the calendar on `today`."""
    return Coverage(today, frozenset(official_years), frozenset(declared_years), alert_from)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day < end:
        yield day
        day += ONE_DAY


def load_seed() -> list[SpecialDay]:
    """China's official 2025 and 2026 holidays and make-up days as transcribed from the State
    Council's notices (`holidays_cn.toml`): the days the first migration seeded into the operator's
    table, and a check on the library (a test keeps them equal)."""
    text = resources.files("enforcement.domain").joinpath("holidays_cn.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    days: list[SpecialDay] = []
    for entry in data.get("holiday", []):
        days.extend(
            SpecialDay(d, DayKind.HOLIDAY, entry["name"]) for d in _days(entry["first"], entry["last"] + ONE_DAY)
        )
    for entry in data.get("workday", []):
        days.extend(SpecialDay(d, DayKind.WORKDAY, entry["name"]) for d in entry["days"])
    return sorted(days, key=lambda d: d.day)
