"""Queries of alliances (a public register: every agency and operator reads them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import Alliance, AllianceMember


async def get_alliance(session: AsyncSession, alliance_id: str, *, for_update: bool = False) -> Alliance | None:
    """An alliance by id (`for_update` serialises changes to one alliance)."""
    return await session.get(Alliance, alliance_id, with_for_update=for_update)


async def get_by_name(session: AsyncSession, name: str) -> Alliance | None:
    """An alliance by its name."""
    return (await session.scalars(select(Alliance).where(col(Alliance.name) == name))).first()


async def members(session: AsyncSession, alliance_id: str) -> Sequence[AllianceMember]:
    """Every member an alliance ever had, by joining date."""
    rows = await session.scalars(
        select(AllianceMember)
        .where(col(AllianceMember.alliance_id) == alliance_id)
        .order_by(col(AllianceMember.joined_on), col(AllianceMember.id))
    )
    return rows.all()


async def list_alliances(
    session: AsyncSession, *, industry: str | None, limit: int, offset: int
) -> tuple[Sequence[Alliance], int]:
    """Alliances by name."""
    query = select(Alliance)
    if industry is not None:
        query = query.where(col(Alliance.industry) == industry)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Alliance.name), col(Alliance.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
