"""Routes of the calendar: public to read (it is official information), operators to edit, to
declare a year complete and to read the coverage report."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from enforcement.calendar import service
from enforcement.calendar.schemas import (
    CalendarCoverage,
    CalendarDayPublic,
    CalendarDayPut,
    CalendarPage,
    CalendarYearPublic,
    CalendarYearPut,
    CalendarYearView,
    calendar_coverage,
    calendar_day_public,
    calendar_page,
    calendar_year_public,
    calendar_year_view,
)
from ipops.auth import OperatorPrincipal
from ipops.runtime import Runtime

router = APIRouter()

CalendarDate = Annotated[date, Path(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
CalendarYearNumber = Annotated[int, Path(ge=2000, le=2100)]


@router.get("/calendar", response_model=CalendarPage)
async def calendar(runtime: Runtime, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> CalendarPage:
    """The operator's table of public holidays and make-up working days, which overrides the
    official calendar day by day (public: the calendar is official information). The days
    deadlines count on, with their sources, are at `/calendar/years/{year}`."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_calendar(session, year)
    return calendar_page(rows)


@router.get("/calendar/coverage", response_model=CalendarCoverage)
async def calendar_coverage_report(
    principal: OperatorPrincipal,
    runtime: Runtime,
    as_of: Annotated[date | None, Query(ge=date(2000, 1, 1), le=date(2100, 12, 31))] = None,
) -> CalendarCoverage:
    """Which years the holiday calendar covers (the library's, the ones operators declared),
    whether this year and next are covered on `as_of` (default today, district date), whether that
    is an alert (next year missing from 1 December, or this year missing) and how many open cases'
    deadlines wait for which year."""
    async with runtime.sessionmaker() as session:
        state = await service.coverage_report(session, as_of)
    return calendar_coverage(state)


@router.get("/calendar/years/{year}", response_model=CalendarYearView)
async def calendar_year(year: CalendarYearNumber, runtime: Runtime) -> CalendarYearView:
    """A year's public holidays and make-up working days as deadlines count them, each with its
    source (the operator's entry overrides the library's), and whether the year is covered (by the
    library, or by an operator's declaration). Public."""
    async with runtime.sessionmaker() as session:
        state = await service.calendar_year(session, year)
    return calendar_year_view(state)


@router.put("/calendar/years/{year}", response_model=CalendarYearPublic)
async def declare_calendar_year(
    year: CalendarYearNumber, body: CalendarYearPut, principal: OperatorPrincipal, runtime: Runtime
) -> CalendarYearPublic:
    """Declare the operator's table complete for a year (its holidays entered first), naming the
    official notice: deadlines may then count on the year, and those that waited for it are
    computed. Entering days alone never covers a year."""
    async with runtime.transaction() as session:
        row = await service.declare_year(session, year, body, principal)
        return calendar_year_public(row)


@router.delete("/calendar/years/{year}", status_code=204)
async def withdraw_calendar_year(year: CalendarYearNumber, principal: OperatorPrincipal, runtime: Runtime) -> Response:
    """Withdraw a year's declaration; unless the library knows the year, deadlines that need it
    wait again (their dates become null, the case names the year)."""
    async with runtime.transaction() as session:
        await service.withdraw_year(session, year)
    return Response(status_code=204)


@router.put("/calendar/{day}", response_model=CalendarDayPublic)
async def put_calendar_day(
    day: CalendarDate, body: CalendarDayPut, principal: OperatorPrincipal, runtime: Runtime
) -> CalendarDayPublic:
    """Declare a day a public holiday or a make-up working day; open cases' deadlines follow."""
    async with runtime.transaction() as session:
        row = await service.put_calendar_day(session, day, body, principal)
        return calendar_day_public(row)


@router.delete("/calendar/{day}", status_code=204)
async def delete_calendar_day(day: CalendarDate, principal: OperatorPrincipal, runtime: Runtime) -> Response:
    """Make a day ordinary again; open cases' deadlines follow."""
    async with runtime.transaction() as session:
        await service.delete_calendar_day(session, day)
    return Response(status_code=204)
