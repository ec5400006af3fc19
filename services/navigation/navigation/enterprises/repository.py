"""Every query of district enterprises (a short list the district office keeps; every caller reads
all of it)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from navigation.models import DistrictEnterprise


async def district_enterprises(session: AsyncSession) -> Sequence[DistrictEnterprise]:
    """The district's enterprises by name."""
    rows = await session.execute(select(DistrictEnterprise).order_by(col(DistrictEnterprise.name)))
    return rows.scalars().all()


async def district_enterprise(session: AsyncSession, credit_code: str) -> DistrictEnterprise | None:
    """One district enterprise, locked for its change."""
    return await session.get(DistrictEnterprise, credit_code, with_for_update=True)


async def district_names(session: AsyncSession) -> list[str]:
    """Every name and alias of the district's enterprises (the landscape's "own applicants")."""
    names: list[str] = []
    for enterprise in await district_enterprises(session):
        names.append(enterprise.name)
        names.extend(enterprise.aliases)
    return names
