"""The counts the plan's navigation figures are made of (over every tenant: the figures are the
district's)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from navigation.models import Portfolio, Project


async def project_counts(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(kind, status, count) over all projects."""
    rows = await session.execute(
        select(col(Project.kind), col(Project.status), func.count()).group_by(col(Project.kind), col(Project.status))
    )
    return [(kind, status, int(n)) for kind, status, n in rows.all()]


async def portfolio_counts(session: AsyncSession) -> tuple[int, int]:
    """(registered, qualified) portfolios."""
    row = (
        await session.execute(
            select(func.count(), func.count().filter(col(Portfolio.qualified).is_(True))).select_from(Portfolio)
        )
    ).one()
    return int(row[0]), int(row[1])
