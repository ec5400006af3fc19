"""Routes of the calendar: public to read (it is official information), operators to edit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from enforcement.calendar import service
from enforcement.calendar.schemas import (
    CalendarDayPublic,
    CalendarDayPut,
    CalendarPage,
    calendar_day_public,
    calendar_page,
)
from ipops.auth import OperatorPrincipal
from ipops.runtime import Runtime

router = APIRouter()

CalendarDate = Annotated[date, Path(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


@router.get("/calendar", response_model=CalendarPage)
async def calendar(runtime: Runtime, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> CalendarPage:
    """Public holidays and make-up working days (public: the calendar is official information)."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_calendar(session, year)
    return calendar_page(rows)


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
