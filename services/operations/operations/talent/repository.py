"""Queries of training sessions and commissioners."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import Commissioner, TrainingSession


async def list_training(
    session: AsyncSession, *, year: int | None, limit: int, offset: int
) -> tuple[Sequence[TrainingSession], int]:
    """Training sessions, newest first."""
    query = select(TrainingSession)
    if year is not None:
        query = query.where(col(TrainingSession.held_on).between(date(year, 1, 1), date(year, 12, 31)))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (col(TrainingSession.held_on).desc(), col(TrainingSession.id))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def list_commissioners(
    session: AsyncSession, *, field: str | None, limit: int, offset: int
) -> tuple[Sequence[Commissioner], int]:
    """Commissioners by name."""
    query = select(Commissioner)
    if field is not None:
        query = query.where(col(Commissioner.field) == field)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(Commissioner.name), col(Commissioner.id)).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)
