"""Queries of the deadline lists and the overdue scan: the open cases, locking the ones to change,
and the cases waiting for a calendar year."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from enforcement.models import Case


async def open_cases(session: AsyncSession) -> Sequence[Case]:
    """Every case not yet closed (the overdue scan and the deadline lists walk them)."""
    rows = await session.scalars(select(Case).where(col(Case.status) != "closed").order_by(col(Case.received_at)))
    return rows.all()


async def lock_cases(session: AsyncSession, case_ids: Sequence[str]) -> Sequence[Case]:
    """Lock cases for update in id order and re-read them."""
    statement = (
        select(Case)
        .where(col(Case.id).in_(case_ids))
        .order_by(col(Case.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).all()


async def waiting_for_calendar(session: AsyncSession) -> dict[int, int]:
    """Open cases whose deadline waits for a calendar year no source covers, counted by year."""
    statement = (
        select(col(Case.calendar_missing_year), func.count())
        .where(col(Case.status) != "closed", col(Case.calendar_missing_year).is_not(None))
        .group_by(col(Case.calendar_missing_year))
    )
    return {year: int(count) for year, count in (await session.execute(statement)).all() if year is not None}
