"""The working-day calendar: weekends, public holidays and make-up working days.

Guarantees:
- a day is a working day when it is a make-up working day, or a Monday to Friday that is not a
  holiday; a make-up day wins over everything, a holiday over the weekday;
- `add_working_days(start, n)` is the n-th working day *after* `start` (the day of the trigger is
  not counted, as in every Chinese statutory period), so 5 working days from a Friday receipt are
  counted from the Monday;
- dates are China dates: `ipops.clock.district_date` turns an aware timestamp into the date in
  Beijing (UTC+8, no daylight saving), because a receipt at 20:00 UTC happened on the next day there.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

from enforcement.enums import DayKind

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class SpecialDay:
    """One calendar entry: a holiday or a make-up working day."""

    day: date
    kind: DayKind
    name: str


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, days: Iterable[SpecialDay]) -> WorkCalendar:
        """A calendar from its special days."""
        days = list(days)
        return cls(
            holidays=frozenset(d.day for d in days if d.kind is DayKind.HOLIDAY),
            workdays=frozenset(d.day for d in days if d.kind is DayKind.WORKDAY),
        )

    def is_working_day(self, day: date) -> bool:
        """True on a working day."""
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


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day < end:
        yield day
        day += ONE_DAY


def load_seed() -> list[SpecialDay]:
    """China's official 2025 and 2026 holidays and make-up days (`holidays_cn.toml`)."""
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
