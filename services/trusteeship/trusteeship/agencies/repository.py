"""Queries of agencies; an agency reads only itself."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from trusteeship.models import Agency


async def get_agency(session: AsyncSession, agency_id: str, *, for_update: bool = False) -> Agency | None:
    """An agency by id (`for_update` serialises enrolments against its quota)."""
    return await session.get(Agency, agency_id, with_for_update=for_update)


async def get_agency_by_contract(session: AsyncSession, contract_number: str) -> Agency | None:
    """The agency holding a contract number."""
    return (await session.scalars(select(Agency).where(col(Agency.contract_number) == contract_number))).first()


async def get_agency_by_credit_code(session: AsyncSession, credit_code: str) -> Agency | None:
    """The agency registered with a credit code."""
    return (await session.scalars(select(Agency).where(col(Agency.credit_code) == credit_code))).first()


async def list_agencies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[Agency], int]:
    """Agencies by name: all for operators, its own for an agency."""
    query = select(Agency)
    if not principal.is_operator:
        query = query.where(col(Agency.id) == principal.tenant_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Agency.name), col(Agency.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def readable_agency(session: AsyncSession, principal: Principal, agency_id: str) -> Agency | None:
    """An agency the caller may read (an agency reads only itself)."""
    if not principal.is_operator and principal.tenant_id != agency_id:
        return None
    return await get_agency(session, agency_id)
