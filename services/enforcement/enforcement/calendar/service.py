"""Use cases of the calendar: read it, declare a special day, make a day ordinary again. Every
edit recomputes the running deadlines of open cases, in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.calendar import repository
from enforcement.calendar.schemas import CalendarDayPut
from enforcement.common import actor_of
from enforcement.deadlines import service as deadlines
from enforcement.models import CalendarDay
from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.errors import NotFound


async def list_calendar(session: AsyncSession, year: int | None) -> Sequence[CalendarDay]:
    """Public holidays and make-up working days (of one year), by date."""
    return await repository.calendar_days(session, year)


async def put_calendar_day(session: AsyncSession, day: date, data: CalendarDayPut, principal: Principal) -> CalendarDay:
    """Declare a holiday or make-up day; the running deadlines of open cases follow."""
    at = utc_now()
    row = await repository.get_day(session, day)
    if row is None:
        row = CalendarDay(day=day, kind=data.kind.value, name=data.name, updated_by=actor_of(principal), updated_at=at)
        session.add(row)
    else:
        row.kind, row.name, row.updated_by, row.updated_at = data.kind.value, data.name, actor_of(principal), at
    await session.flush()
    await deadlines.refresh_open_cases(session)
    return row


async def delete_calendar_day(session: AsyncSession, day: date) -> None:
    """Make a day an ordinary day again."""
    row = await repository.get_day(session, day)
    if row is None:
        raise NotFound(f"{day} is not in the calendar")
    await session.delete(row)
    await session.flush()
    await deadlines.refresh_open_cases(session)
