"""Deadlines of a case: which rule applies, when it falls due, how pauses and extensions move it.

Guarantees:
- every limit comes from `deadline_rules.toml` (loaded into `RuleBook`); the functions hold no
  number of their own except the day arithmetic;
- a period counts from the day after its start; a working-day period counts only working days
  of the `WorkCalendar`; a calendar-day or month period that ends on a rest day ends on the next
  working day (the statutory rule for periods);
- a pause stops the clock from its first day up to the day before it ends: a working-day clock
  is pushed back by the working days paused, a calendar clock by the calendar days paused; a
  pause that is still open is counted up to and including `as_of`, so a paused case never
  becomes overdue; pauses beginning after the running due date do not count;
- extensions are in the rule's unit, and the limit plus extensions never exceeds the rule's
  `max_amount` (`check_extension` refuses more, naming the `amount` field);
- with several applicable rules (a rapid case naming a design and an invention patent) the one
  giving the latest due date wins: a case cannot be held to a stricter clock than one of its
  rights allows;
- a due date that needs a year the calendar does not cover raises `CalendarYearMissing`; the
  latest date extensions may reach is then `None` with `max_missing_year`, and the due date stands
  (a 5-month ceiling in next year does not hide a 3-month due date in this one).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

from dateutil.relativedelta import relativedelta

from enforcement.domain.calendar import CalendarYearMissing, WorkCalendar
from enforcement.enums import CaseType, Channel, Clock, DayUnit
from ipops.errors import RuleViolation

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    """One deadline rule."""

    clock: Clock
    amount: int
    unit: DayUnit
    case_type: CaseType | None = None
    channel: Channel = Channel.ORDINARY
    patent_types: frozenset[str] | None = None
    complex_amount: int | None = None
    max_amount: int | None = None
    source: str = ""

    def base_amount(self, complex_case: bool) -> int:
        """The limit before extensions."""
        return self.complex_amount if complex_case and self.complex_amount is not None else self.amount


@dataclass(frozen=True)
class Pause:
    """A stop of the clock: from `started_on` to the day before `ended_on` (None: still paused)."""

    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Deadline:
    """When a clock falls due, and the latest it may ever be extended to (None when that needs a
    year the calendar does not cover: `max_missing_year`)."""

    rule: Rule
    due_date: date
    max_date: date | None
    max_missing_year: int | None = None


@dataclass(frozen=True)
class RuleBook:
    """The acceptance rule and the handling rules."""

    acceptance: Rule
    handling: tuple[Rule, ...]
    calendar_alert_from: tuple[int, int] = (12, 1)

    def handling_rules(self, case_type: CaseType, channel: Channel, patent_types: Collection[str]) -> list[Rule]:
        """The handling rules that apply to a case (at least one; ordinary as the fallback)."""
        same_type = [r for r in self.handling if r.case_type is case_type]
        matches = [
            r
            for r in same_type
            if r.channel is channel and (r.patent_types is None or r.patent_types & set(patent_types))
        ]
        if matches:
            return matches
        ordinary = [r for r in same_type if r.channel is Channel.ORDINARY and r.patent_types is None]
        if not ordinary:
            raise LookupError(f"no ordinary handling rule for {case_type.value}")
        return ordinary


def _rule(clock: Clock, data: dict[str, Any]) -> Rule:
    types = data.get("patent_types")
    return Rule(
        clock=clock,
        amount=int(data["amount"]),
        unit=DayUnit(data["unit"]),
        case_type=CaseType(data["case_type"]) if "case_type" in data else None,
        channel=Channel(data.get("channel", "ordinary")),
        patent_types=frozenset(types) if types is not None else None,
        complex_amount=data.get("complex_amount"),
        max_amount=data.get("max_amount"),
        source=data.get("source", ""),
    )


def load_rules(text: str | None = None) -> RuleBook:
    """The rule book from `deadline_rules.toml` (or from `text`, for tests of other tables)."""
    if text is None:
        text = resources.files("enforcement.domain").joinpath("deadline_rules.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    book = RuleBook(
        acceptance=_rule(Clock.ACCEPTANCE, data["acceptance"]),
        handling=tuple(_rule(Clock.HANDLING, r) for r in data.get("handling", [])),
        calendar_alert_from=_month_day(data.get("calendar", {}).get("next_year_alert_from", "12-01")),
    )
    for case_type in CaseType:  # fail at load, not on the first case of a forgotten type
        book.handling_rules(case_type, Channel.ORDINARY, ())
    return book


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2000, month, day)  # a day every year has (not 29 February): fail at load
    if (month, day) == (2, 29):
        raise ValueError("the alert date must exist every year")
    return month, day


def _raw_end(start: date, amount: int, unit: DayUnit, calendar: WorkCalendar) -> date:
    if unit is DayUnit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    if unit is DayUnit.CALENDAR_DAYS:
        return start + timedelta(days=amount)
    return start + relativedelta(months=amount)


def _paused(pause: Pause, start: date, as_of: date) -> tuple[date, date]:
    first = max(pause.started_on, start + ONE_DAY)
    end = pause.ended_on if pause.ended_on is not None else as_of + ONE_DAY
    return first, max(first, end)


def due_date(
    start: date,
    amount: int,
    unit: DayUnit,
    calendar: WorkCalendar,
    pauses: Iterable[Pause] = (),
    *,
    as_of: date | None = None,
) -> date:
    """The last day of a period of `amount` `unit`s counted from the day after `start`."""
    as_of = as_of or start
    due = _raw_end(start, amount, unit, calendar)
    for pause in sorted(pauses, key=lambda p: p.started_on):
        first, end = _paused(pause, start, as_of)
        if first > due:
            continue
        if unit is DayUnit.WORKING_DAYS:
            due = calendar.add_working_days(due, calendar.working_days_between(first, end))
        else:
            due += end - first
    if unit is DayUnit.WORKING_DAYS:
        return due
    return calendar.working_day_on_or_after(due)


def deadline(
    rules: Sequence[Rule],
    start: date,
    calendar: WorkCalendar,
    *,
    complex_case: bool = False,
    extension: int = 0,
    pauses: Iterable[Pause] = (),
    as_of: date | None = None,
) -> Deadline:
    """The deadline of a clock started on `start`, under the most generous applicable rule."""
    pauses = list(pauses)
    best: Deadline | None = None
    for rule in rules:
        due = due_date(start, rule.base_amount(complex_case) + extension, rule.unit, calendar, pauses, as_of=as_of)
        if best is None or due > best.due_date:
            best = _with_ceiling(rule, due, start, calendar, pauses, as_of)
    if best is None:
        raise LookupError("no rule given")
    return best


def _with_ceiling(
    rule: Rule, due: date, start: date, calendar: WorkCalendar, pauses: list[Pause], as_of: date | None
) -> Deadline:
    if rule.max_amount is None:
        return Deadline(rule, due, due)
    try:
        ceiling = due_date(start, rule.max_amount, rule.unit, calendar, pauses, as_of=as_of)
    except CalendarYearMissing as missing:
        return Deadline(rule, due, None, missing.year)
    return Deadline(rule, due, max(ceiling, due))


def check_extension(rule: Rule, *, complex_case: bool, granted: int, requested: int) -> None:
    """Refuse an extension that would take the limit past the rule's maximum."""
    if requested <= 0:
        raise RuleViolation("an extension must be at least 1", field="amount")
    if rule.max_amount is None:
        raise RuleViolation(f"the {rule.case_type} {rule.channel} deadline cannot be extended", field="amount")
    room = rule.max_amount - rule.base_amount(complex_case) - granted
    if requested > room:
        raise RuleViolation(
            f"at most {max(room, 0)} {rule.unit.value} more may be granted (limit {rule.max_amount})",
            field="amount",
        )


def remaining_working_days(due: date, as_of: date, calendar: WorkCalendar) -> int:
    """Working days left after `as_of` up to and including `due` (negative days never: 0 if past)."""
    if due <= as_of:
        return 0
    return calendar.working_days_between(as_of + ONE_DAY, due + ONE_DAY)


def is_overdue(due: date, as_of: date) -> bool:
    """A clock is overdue once the day after its due date has begun."""
    return as_of > due
