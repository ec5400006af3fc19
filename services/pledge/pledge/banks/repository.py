"""The banks' queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pledge.models import Bank


async def get_bank(session: AsyncSession, bank_id: str, *, for_update: bool = False) -> Bank | None:
    """A bank by id."""
    return await session.get(Bank, bank_id, with_for_update=for_update)


async def list_banks(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[Bank], int]:
    """A page of banks by name, and the total."""
    total = await session.scalar(select(func.count()).select_from(Bank))
    rows = await session.scalars(select(Bank).order_by(col(Bank.name)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
