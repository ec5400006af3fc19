"""Queries of milestones (public facts of the plan)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import Milestone


async def list_milestones(
    session: AsyncSession, *, goal: int | None, limit: int, offset: int
) -> tuple[Sequence[Milestone], int]:
    """Milestones by goal and date."""
    query = select(Milestone)
    if goal is not None:
        query = query.where(col(Milestone.goal) == goal)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (col(Milestone.goal), col(Milestone.achieved_on), col(Milestone.id))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
