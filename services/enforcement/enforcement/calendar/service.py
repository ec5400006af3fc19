"""Use cases of the calendar: read it, declare a special day, make a day ordinary again, declare a
year complete or withdraw the declaration, report and check coverage. Every edit recomputes the
deadlines of open cases, in the same transaction.

Sources, in order: an operator's entry for a day overrides the official calendar (the
`chinesecalendar` library) for that day; a year is covered when the library knows it or an
operator declared it complete (`PUT /calendar/years/{year}`), never by entering days alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.calendar import repository
from enforcement.calendar.schemas import CalendarDayPut, CalendarYearPut, CoverageState, YearState
from enforcement.common import actor_of
from enforcement.deadlines import repository as deadline_cases
from enforcement.deadlines import service as deadlines
from enforcement.domain.calendar import coverage, effective_days
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import CalendarSource
from enforcement.models import CalendarDay, CalendarYear
from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.errors import NotFound, RuleViolation

log = logging.getLogger(__name__)

SERVICE = "enforcement"
NEXT_YEAR_COVERED = Gauge(
    "ipops_enforcement_calendar_next_year_covered",
    "1 when next year's holiday calendar is covered (library or operator declaration), else 0",
    ["service"],
)
CALENDAR_ALERT = Gauge(
    "ipops_enforcement_calendar_alert",
    "1 when this year's holiday calendar is missing, or next year's from the alert date (1 December)",
    ["service"],
)
WAITING = Gauge(
    "ipops_enforcement_deadlines_waiting_for_calendar",
    "Open cases whose deadline waits for a holiday calendar year no source covers",
    ["service"],
)


async def list_calendar(session: AsyncSession, year: int | None) -> Sequence[CalendarDay]:
    """The operator's holidays and make-up working days (of one year), by date."""
    return await repository.calendar_days(session, year)


async def put_calendar_day(session: AsyncSession, day: date, data: CalendarDayPut, principal: Principal) -> CalendarDay:
    """Declare a holiday or make-up day; the deadlines of open cases follow."""
    at = utc_now()
    row = await repository.get_day(session, day)
    if row is None:
        row = CalendarDay(day=day, kind=data.kind.value, name=data.name, updated_by=actor_of(principal), updated_at=at)
        session.add(row)
    else:
        row.kind, row.name, row.updated_by, row.updated_at = data.kind.value, data.name, actor_of(principal), at
    await session.flush()
    await deadlines.refresh_open_cases(session, district_today())
    return row


async def delete_calendar_day(session: AsyncSession, day: date) -> None:
    """Make a day an ordinary day again (the library's, if it names the day)."""
    row = await repository.get_day(session, day)
    if row is None:
        raise NotFound(f"{day} is not in the calendar")
    await session.delete(row)
    await session.flush()
    await deadlines.refresh_open_cases(session, district_today())


async def calendar_year(session: AsyncSession, year: int) -> YearState:
    """A year's special days as deadlines count them, with their sources, and who covers it."""
    declaration = await repository.get_year(session, year)
    covered_by = [CalendarSource.LIBRARY] if year in OFFICIAL.years else []
    if declaration is not None:
        covered_by.append(CalendarSource.OPERATOR)
    days = effective_days(OFFICIAL, await repository.special_days(session))
    in_year = [days[d] for d in sorted(days) if d.year == year]
    return YearState(year, covered_by, declaration, in_year)


async def declare_year(session: AsyncSession, year: int, data: CalendarYearPut, principal: Principal) -> CalendarYear:
    """Declare the operator's table complete for a year: deadlines may count on it. A year the
    library does not know needs its holidays entered first (a declaration of an empty year is a
    mistake). Deadlines that waited for the year are computed."""
    if year not in OFFICIAL.years and not await repository.holidays_in(session, year):
        raise RuleViolation(
            f"{year} has no holiday in the operator's table: enter its public holidays and make-up working "
            "days first (PUT /calendar/{day})",
            field="path.year",
        )
    row = await repository.get_year(session, year)
    if row is None:
        row = CalendarYear(year=year, notice=data.notice, declared_by=actor_of(principal), declared_at=utc_now())
        session.add(row)
    else:
        row.notice, row.declared_by, row.declared_at = data.notice, actor_of(principal), utc_now()
    await session.flush()
    await _after_year_change(session)
    return row


async def withdraw_year(session: AsyncSession, year: int) -> None:
    """Withdraw a declaration: unless the library knows the year, deadlines needing it wait again."""
    row = await repository.get_year(session, year)
    if row is None:
        raise NotFound(f"{year} has not been declared")
    await session.delete(row)
    await session.flush()
    await _after_year_change(session)


async def _after_year_change(session: AsyncSession) -> None:
    today = district_today()
    await deadlines.refresh_open_cases(session, today)
    publish(await coverage_report(session, today))


async def coverage_report(session: AsyncSession, as_of: date | None) -> CoverageState:
    """Which years are covered on `as_of` (default today, district date), whether that is an
    alert, and how many open cases wait for which year."""
    day = as_of or district_today()
    declared = await repository.declared_years(session)
    report = coverage(day, OFFICIAL.years, declared, alert_from=deadlines.RULES.calendar_alert_from)
    return CoverageState(report, OFFICIAL, await deadline_cases.waiting_for_calendar(session))


async def readiness(session: AsyncSession) -> dict[str, Any]:
    """The calendar's part of /readyz: "warn" (still ready) when this year or, from the alert
    date (1 December), next year has no calendar; the missing years and waiting cases named."""
    state = await coverage_report(session, None)
    report = state.coverage
    missing = [y for y in (report.today.year, report.next_year) if y not in report.covered_years]
    if not report.alert:
        return {"status": "up", "covered_years": sorted(report.covered_years)[-3:]}
    return {
        "status": "warn",
        "missing_years": missing,
        "waiting_cases": sum(state.waiting.values()),
        "fix": "enter the year's holidays and make-up working days and declare it "
        "(PUT /api/v1/enforcement/calendar/years/{year}), or upgrade chinesecalendar",
    }


def publish(state: CoverageState) -> None:
    """Set the coverage gauges, and warn when it is an alert."""
    report = state.coverage
    NEXT_YEAR_COVERED.labels(SERVICE).set(1 if report.next_year_covered else 0)
    CALENDAR_ALERT.labels(SERVICE).set(1 if report.alert else 0)
    WAITING.labels(SERVICE).set(sum(state.waiting.values()))
    missing = [y for y in (report.today.year, report.next_year) if y not in report.covered_years]
    if report.alert:
        log.warning(
            f"holiday calendar missing for {missing}: enter the year's holidays and make-up working days and "
            "declare it (PUT /api/v1/enforcement/calendar/years/{year}), or upgrade chinesecalendar",
            extra={"as_of": str(report.today), "missing_years": missing, "waiting_cases": state.waiting},
        )


async def check_calendar(session: AsyncSession, as_of: date) -> list[int]:
    """The daily calendar check (and at start-up): recompute every open case's deadlines on the
    calendar of the day (a year just covered, by a declaration or a newer library, fills in the
    deadlines that waited for it; a year no longer covered makes them wait; a deadline stored as a
    weekends-only count is corrected), set the gauges and warn on an alert. Returns the counts
    [cases recomputed, cases waiting for a calendar year]."""
    recomputed = await deadlines.refresh_open_cases(session, as_of)
    state = await coverage_report(session, as_of)
    publish(state)
    return [recomputed, sum(state.waiting.values())]
