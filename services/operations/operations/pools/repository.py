"""Queries of pools (pools are a public register: every agency and operator reads them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import Alliance, Pool, PoolMember, PoolPatent, PoolTerm


async def get_pool(session: AsyncSession, pool_id: str, *, for_update: bool = False) -> Pool | None:
    """A pool by id (`for_update` serialises changes to one pool)."""
    return await session.get(Pool, pool_id, with_for_update=for_update)


async def get_by_name(session: AsyncSession, name: str) -> Pool | None:
    """A pool by its name."""
    return (await session.scalars(select(Pool).where(col(Pool.name) == name))).first()


async def alliance_exists(session: AsyncSession, alliance_id: str) -> bool:
    """Whether an alliance is registered."""
    return await session.get(Alliance, alliance_id) is not None


async def members(session: AsyncSession, pool_id: str) -> Sequence[PoolMember]:
    """Every member a pool ever had, by joining date."""
    rows = await session.scalars(
        select(PoolMember)
        .where(col(PoolMember.pool_id) == pool_id)
        .order_by(col(PoolMember.joined_on), col(PoolMember.id))
    )
    return rows.all()


async def patents(session: AsyncSession, pool_id: str) -> Sequence[PoolPatent]:
    """The patents in a pool."""
    rows = await session.scalars(
        select(PoolPatent).where(col(PoolPatent.pool_id) == pool_id).order_by(col(PoolPatent.patent_number))
    )
    return rows.all()


async def latest_terms(session: AsyncSession, pool_id: str) -> PoolTerm | None:
    """The pool's latest licensing terms."""
    rows = await session.scalars(
        select(PoolTerm).where(col(PoolTerm.pool_id) == pool_id).order_by(col(PoolTerm.version).desc()).limit(1)
    )
    return rows.first()


async def list_pools(
    session: AsyncSession, *, industry: str | None, limit: int, offset: int
) -> tuple[Sequence[Pool], int]:
    """Pools by name."""
    query = select(Pool)
    if industry is not None:
        query = query.where(col(Pool.industry) == industry)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Pool.name), col(Pool.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
