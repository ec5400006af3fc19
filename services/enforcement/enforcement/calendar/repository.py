"""Queries of the calendar: the operator's special days, by date, and the years operators declared
complete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Date, Integer, String, cast, func, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from enforcement.domain.calendar import SpecialDay
from enforcement.enums import DayKind
from enforcement.models import CalendarDay, CalendarYear


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


async def calendar_source(session: AsyncSession) -> tuple[list[SpecialDay], frozenset[int]]:
    """What deadline arithmetic needs of the operator's calendar, in one statement and as plain
    values (each intake and move reads it): the special days by date, and the declared years. The
    two tables ride in one UNION ALL, a day row with a NULL year and a year row with NULL day."""
    days = select(col(CalendarDay.day), col(CalendarDay.kind), col(CalendarDay.name), cast(null(), Integer))
    years = select(cast(null(), Date), cast(null(), String), cast(null(), String), col(CalendarYear.year))
    special: list[SpecialDay] = []
    declared: set[int] = set()
    for day, kind, name, year in (await session.execute(union_all(days, years))).all():
        if day is None:
            declared.add(year)
        else:
            special.append(SpecialDay(day, DayKind(kind), name))
    special.sort(key=lambda d: d.day)
    return special, frozenset(declared)


async def get_day(session: AsyncSession, day: date) -> CalendarDay | None:
    """The calendar entry of a day, if it has one."""
    return await session.get(CalendarDay, day)


async def holidays_in(session: AsyncSession, year: int) -> int:
    """How many holidays the operator's table has in a year."""
    statement = select(func.count()).where(
        col(CalendarDay.kind) == DayKind.HOLIDAY.value,
        col(CalendarDay.day) >= date(year, 1, 1),
        col(CalendarDay.day) < date(year + 1, 1, 1),
    )
    return int(await session.scalar(statement) or 0)


async def declarations(session: AsyncSession) -> Sequence[CalendarYear]:
    """Every year an operator declared complete, by year."""
    return (await session.scalars(select(CalendarYear).order_by(col(CalendarYear.year)))).all()


async def declared_years(session: AsyncSession) -> frozenset[int]:
    """The years operators declared complete."""
    return frozenset((await session.scalars(select(col(CalendarYear.year)))).all())


async def get_year(session: AsyncSession, year: int) -> CalendarYear | None:
    """An operator's declaration of a year, if there is one."""
    return await session.get(CalendarYear, year)
