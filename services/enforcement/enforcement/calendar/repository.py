"""Queries of the calendar: its special days, by date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from enforcement.domain.calendar import SpecialDay
from enforcement.enums import DayKind
from enforcement.models import CalendarDay


async def calendar_days(session: AsyncSession, year: int | None = None) -> Sequence[CalendarDay]:
    """Special days (of one year), by date."""
    statement = select(CalendarDay)
    if year is not None:
        statement = statement.where(
            col(CalendarDay.day) >= date(year, 1, 1), col(CalendarDay.day) < date(year + 1, 1, 1)
        )
    return (await session.scalars(statement.order_by(col(CalendarDay.day)))).all()


async def special_days(session: AsyncSession) -> list[SpecialDay]:
    """The whole calendar, for deadline arithmetic (two entries a week at most: small)."""
    return [SpecialDay(row.day, DayKind(row.kind), row.name) for row in await calendar_days(session)]


async def get_day(session: AsyncSession, day: date) -> CalendarDay | None:
    """The calendar entry of a day, if it has one."""
    return await session.get(CalendarDay, day)
