"""Queries of ratings, surveys and the statistics' figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from enforcement.models import Case, CaseRating, RatingToken, SatisfactionSurvey
from ipops.db import dialect_name


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


async def lock_survey_year(session: AsyncSession, year: int) -> None:
    """One version of a year's survey at a time (two corrections at once would take the same
    number; the unique key would refuse the second only at commit). PostgreSQL only: SQLite has
    a single writer."""
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"enforcement.survey:{year}"})


async def latest_survey(session: AsyncSession, year: int) -> SatisfactionSurvey | None:
    """The current (highest) version of a year's survey."""
    statement = (
        select(SatisfactionSurvey)
        .where(col(SatisfactionSurvey.year) == year)
        .order_by(col(SatisfactionSurvey.version).desc())
        .limit(1)
    )
    return (await session.scalars(statement)).first()


async def surveys(
    session: AsyncSession, year: int | None, *, limit: int, offset: int
) -> tuple[Sequence[SatisfactionSurvey], int]:
    """Survey versions (of one year, or all), newest year and version first, and the total."""
    where = [col(SatisfactionSurvey.year) == year] if year is not None else []
    total = await session.scalar(select(func.count()).select_from(SatisfactionSurvey).where(*where))
    rows = await session.scalars(
        select(SatisfactionSurvey)
        .where(*where)
        .order_by(col(SatisfactionSurvey.year).desc(), col(SatisfactionSurvey.version).desc())
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def current_surveys(session: AsyncSession) -> Sequence[SatisfactionSurvey]:
    """The current version of every year's survey."""
    latest = (
        select(col(SatisfactionSurvey.year), func.max(SatisfactionSurvey.version).label("version"))
        .group_by(col(SatisfactionSurvey.year))
        .subquery()
    )
    rows = await session.scalars(
        select(SatisfactionSurvey).join(
            latest,
            (col(SatisfactionSurvey.year) == latest.c.year) & (col(SatisfactionSurvey.version) == latest.c.version),
        )
    )
    return rows.all()
