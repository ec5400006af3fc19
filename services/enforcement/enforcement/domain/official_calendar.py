"""China's official calendar of public holidays and make-up working days (调休上班), from the
`chinesecalendar` library (import name `chinese_calendar`), as plain dates.

Guarantees:
- `OFFICIAL` holds every holiday and make-up working day the library knows, named in Chinese and
  English, and the years it covers: every year from its first to its last (2004-2026 in 1.11.0,
  the pinned version; a newer version adds the year the State Council has just published);
- the library is pure data (a dictionary of dates, no I/O), so the domain may import it; a year
  outside its range is simply not in `OFFICIAL.years`, and the calendar refuses it
  (`CalendarYearMissing`) instead of the library's `NotImplementedError`.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar

from enforcement.domain.calendar import OfficialCalendar, SpecialDay
from enforcement.enums import DayKind

_CHINESE = {h.value: h.chinese for h in chinese_calendar.Holiday}


def _holiday_name(english: str) -> str:
    return f"{_CHINESE.get(english, '')} {english}".strip()


def _workday_name(english: str) -> str:
    return f"{_CHINESE.get(english, '')}调休上班 {english} make-up day".strip()


def load_official() -> OfficialCalendar:
    """The library's holidays and make-up working days, and the years it covers."""
    holidays: dict[date, str] = chinese_calendar.holidays
    workdays: dict[date, str] = chinese_calendar.workdays
    days = [SpecialDay(d, DayKind.HOLIDAY, _holiday_name(name)) for d, name in holidays.items()]
    days += [SpecialDay(d, DayKind.WORKDAY, _workday_name(name)) for d, name in workdays.items()]
    first, last = min(holidays).year, max(holidays).year  # the library's own range check
    return OfficialCalendar(
        days=tuple(sorted(days, key=lambda d: d.day)),
        years=frozenset(range(first, last + 1)),
        source=f"chinesecalendar {chinese_calendar.__version__}",
    )


OFFICIAL = load_official()
