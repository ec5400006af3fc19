"""Queries of the yearly figures (read-only, district aggregates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import (
    Commissioner,
    Investment,
    Milestone,
    RevenueReport,
    RoyaltyReport,
    TrainingSession,
    Transaction,
)


def _in(column: Any, year: int) -> Any:
    return col(column).between(date(year, 1, 1), date(year, 12, 31))


async def transaction_figures(session: AsyncSession, year: int) -> tuple[int, int, int, int]:
    """(registered, rescinded, standing contract fen, standing royalty fen) of the year."""
    rows = (
        await session.execute(
            select(col(Transaction.status), func.count(), func.coalesce(func.sum(Transaction.amount_fen), 0))
            .where(_in(Transaction.contracted_on, year))
            .group_by(col(Transaction.status))
        )
    ).all()
    registered = sum(int(n) for _, n, _ in rows)
    rescinded = sum(int(n) for s, n, _ in rows if s == "rescinded")
    standing = sum(int(fen) for s, _, fen in rows if s == "in_force")
    royalties = await session.scalar(
        select(func.coalesce(func.sum(RoyaltyReport.amount_fen), 0))
        .join(Transaction, col(Transaction.id) == col(RoyaltyReport.transaction_id))
        .where(col(RoyaltyReport.year) == year, col(Transaction.status) == "in_force")
    )
    return registered, rescinded, standing, int(royalties or 0)


async def verified_revenue(session: AsyncSession, year: int) -> list[tuple[str, int, int]]:
    """(agency, version, fen) of every verified report of the year."""
    rows = await session.execute(
        select(col(RevenueReport.agency_id), col(RevenueReport.version), col(RevenueReport.revenue_fen)).where(
            col(RevenueReport.year) == year, col(RevenueReport.status) == "verified"
        )
    )
    return [(a, int(v), int(f)) for a, v, f in rows.all()]


async def talent_figures(session: AsyncSession, year: int) -> tuple[int, int, int, int]:
    """(sessions, attendance, commissioners registered in the year, registered by its end)."""
    sessions, attendance = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(TrainingSession.attendance), 0)).where(
                _in(TrainingSession.held_on, year)
            )
        )
    ).one()
    registered = await session.scalar(select(func.count()).where(_in(Commissioner.registered_on, year)))
    total = await session.scalar(select(func.count()).where(col(Commissioner.registered_on) <= date(year, 12, 31)))
    return int(sessions), int(attendance), int(registered or 0), int(total or 0)


async def investment_figures(session: AsyncSession, year: int) -> tuple[int, int]:
    """(investments, fen) made in the year."""
    n, fen = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Investment.amount_fen), 0)).where(
                _in(Investment.invested_on, year)
            )
        )
    ).one()
    return int(n), int(fen)


async def milestone_count(session: AsyncSession, year: int) -> int:
    """Milestones achieved in the year."""
    return int(await session.scalar(select(func.count()).where(_in(Milestone.achieved_on, year))) or 0)
