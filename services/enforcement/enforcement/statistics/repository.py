"""Queries of ratings and of the plan's figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from enforcement.models import Case, CaseRating, RatingToken


async def rating_token_by_hash(
    session: AsyncSession, token_sha256: str, *, for_update: bool = False
) -> RatingToken | None:
    """The rating token with this hash."""
    statement = select(RatingToken).where(col(RatingToken.token_sha256) == token_sha256)
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def get_rating(session: AsyncSession, case_id: str) -> CaseRating | None:
    """The rating of a case."""
    return await session.get(CaseRating, case_id)


async def cases_between(session: AsyncSession, first: date, last: date) -> Sequence[Case]:
    """Cases received in [first, last] (statistics)."""
    rows = await session.scalars(select(Case).where(col(Case.received_date) >= first, col(Case.received_date) <= last))
    return rows.all()


async def cases_closed_between(session: AsyncSession, start: datetime, end: datetime) -> Sequence[Case]:
    """Cases closed in [start, end) (statistics)."""
    rows = await session.scalars(select(Case).where(col(Case.closed_at) >= start, col(Case.closed_at) < end))
    return rows.all()


async def ratings_between(session: AsyncSession, start: datetime, end: datetime) -> Sequence[CaseRating]:
    """Ratings given in [start, end)."""
    rows = await session.scalars(
        select(CaseRating).where(col(CaseRating.rated_at) >= start, col(CaseRating.rated_at) < end)
    )
    return rows.all()


async def first_received_date(session: AsyncSession) -> date | None:
    """The receipt date of the first case."""
    return await session.scalar(select(func.min(col(Case.received_date))))
