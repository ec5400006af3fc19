"""The insurance policies' queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from pledge.models import InsurancePolicy


async def list_policies(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[InsurancePolicy], int]:
    """IP insurance policies, newest first."""
    total = await session.scalar(select(func.count()).select_from(InsurancePolicy))
    rows = await session.scalars(
        select(InsurancePolicy).order_by(col(InsurancePolicy.id).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)
