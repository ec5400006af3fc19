"""Every query of the pledge service."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pledge.models import Bank, CollateralAlert


async def get_bank(session: AsyncSession, bank_id: str) -> Bank | None:
    """A bank by id."""
    return await session.get(Bank, bank_id)


async def list_banks(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[Bank], int]:
    """A page of banks by name, and the total."""
    total = await session.scalar(select(func.count()).select_from(Bank))
    rows = await session.scalars(select(Bank).order_by(Bank.name).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def list_alerts(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[CollateralAlert], int]:
    """Collateral alerts, newest first, and the total."""
    total = await session.scalar(select(func.count()).select_from(CollateralAlert))
    rows = await session.scalars(
        select(CollateralAlert).order_by(CollateralAlert.id.desc()).limit(limit).offset(offset)  # type: ignore[union-attr]
    )
    return rows.all(), int(total or 0)
