"""Use cases of district enterprises: the district office keeps the list; every landscape computed
afterwards reads its names and aliases. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import utc_now
from navigation.enterprises import repository
from navigation.enterprises.schemas import DistrictEnterpriseUpsert
from navigation.models import DistrictEnterprise


async def upsert_district_enterprise(
    session: AsyncSession, credit_code: str, body: DistrictEnterpriseUpsert
) -> DistrictEnterprise:
    """Add or change a district enterprise (its names mark "the district's own" applicants)."""
    row = await repository.district_enterprise(session, credit_code)
    now = utc_now()
    if row is None:
        row = DistrictEnterprise(credit_code=credit_code, name=body.name, aliases=body.aliases, updated_at=now)
        session.add(row)
    else:
        row.name, row.aliases, row.updated_at = body.name, list(body.aliases), now
    await session.flush()
    return row


async def list_district_enterprises(session: AsyncSession) -> Sequence[DistrictEnterprise]:
    """The district's enterprises by name."""
    return await repository.district_enterprises(session)


async def district_names(session: AsyncSession) -> list[str]:
    """Every name and alias the district's enterprises file under."""
    return await repository.district_names(session)
