"""Routes of the calendar: public to read (it is official information), operators to edit, to
declare a year complete and to read the coverage report. Every edit takes an Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

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
from ipops.auth import OperatorPrincipal, Principal
from ipops.fields import BoundedDate
from ipops.http import problem
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime, ServiceRuntime

router = APIRouter()

CalendarDate = Annotated[BoundedDate, Path()]
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
    as_of: Annotated[BoundedDate | None, Query()] = None,
) -> CalendarCoverage:
    """Which years the holiday calendar covers (the library's, the ones operators declared),
    whether this year and next are covered on `as_of` (default today, district date), whether that
    is an alert (next year missing from 1 December, or this year missing) and how many open cases'
    deadlines wait for which year."""
    async with runtime.sessionmaker() as session:
        state = await service.coverage_report(session, as_of)
    return calendar_coverage(state)


@router.api_route(
    "/calendar/coverage",
    methods=["PUT", "DELETE", "POST", "PATCH", "HEAD", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
async def calendar_coverage_methods(request: Request) -> Response:
    """`/calendar/coverage` is read-only: its other methods are 405 here, before `/calendar/{day}`
    (whose `day` is a date, never the word `coverage`, as its pattern declares) would take them."""
    return problem(405, type_slug="http-405", instance=request.url.path, headers={"Allow": "GET"})


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
    year: CalendarYearNumber,
    body: CalendarYearPut,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Declare the operator's table complete for a year (its holidays entered first), naming the
    official notice: deadlines may then count on the year, and those that waited for it are
    computed. Entering days alone never covers a year."""

    async def work(session: AsyncSession) -> tuple[int, CalendarYearPublic]:
        return 200, calendar_year_public(await service.declare_year(session, year, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


class _Done(BaseModel):
    """What a keyed deletion stores (its answer is an empty 204)."""


async def _keyed_deletion(
    runtime: ServiceRuntime, request: Request, principal: Principal, key: str, delete: Callable[[AsyncSession], Any]
) -> Response:
    """A deletion under an Idempotency-Key: done once, answered 204 (replayed with the header)."""

    async def work(session: AsyncSession) -> tuple[int, _Done]:
        await delete(session)
        return 204, _Done()

    stored = await idempotent_write(runtime, request, principal, key, work)
    replayed = {"Idempotent-Replayed": "true"} if "Idempotent-Replayed" in stored.headers else None
    return Response(status_code=204, headers=replayed)


@router.delete("/calendar/years/{year}", status_code=204)
async def withdraw_calendar_year(
    year: CalendarYearNumber,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Withdraw a year's declaration; unless the library knows the year, deadlines that need it
    wait again (their dates become null, the case names the year)."""
    return await _keyed_deletion(
        runtime, request, principal, idempotency_key, lambda session: service.withdraw_year(session, year)
    )


@router.put("/calendar/{day}", response_model=CalendarDayPublic)
async def put_calendar_day(
    day: CalendarDate,
    body: CalendarDayPut,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Declare a day a public holiday or a make-up working day; open cases' deadlines follow."""

    async def work(session: AsyncSession) -> tuple[int, CalendarDayPublic]:
        return 200, calendar_day_public(await service.put_calendar_day(session, day, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.delete("/calendar/{day}", status_code=204)
async def delete_calendar_day(
    day: CalendarDate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Make a day ordinary again; open cases' deadlines follow."""
    return await _keyed_deletion(
        runtime, request, principal, idempotency_key, lambda session: service.delete_calendar_day(session, day)
    )
