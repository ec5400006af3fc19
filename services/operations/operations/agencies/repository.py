"""Queries of agencies and revenue reports; an agency reads only its own (another's is None)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from operations.common import own_agency
from operations.models import Agency, RevenueReport


async def get_agency(
    session: AsyncSession, principal: Principal | None, agency_id: str, *, for_update: bool = False
) -> Agency | None:
    """An agency the caller may see (None for another agency's; `principal` None: any)."""
    if principal is not None and own_agency(principal) not in (None, agency_id):
        return None
    return await session.get(Agency, agency_id, with_for_update=for_update)


async def list_agencies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[Agency], int]:
    """Agencies by name: all for operators, itself for an agency."""
    query = select(Agency)
    if (mine := own_agency(principal)) is not None:
        query = query.where(col(Agency.id) == mine)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Agency.name), col(Agency.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def versions_of(session: AsyncSession, agency_id: str, year: int) -> Sequence[RevenueReport]:
    """Every version of an agency's report for a year, oldest first."""
    rows = await session.scalars(
        select(RevenueReport)
        .where(col(RevenueReport.agency_id) == agency_id, col(RevenueReport.year) == year)
        .order_by(col(RevenueReport.version))
    )
    return rows.all()


async def verified_reports(session: AsyncSession, agency_id: str) -> Sequence[RevenueReport]:
    """Every verified version of an agency's reports, by year and version."""
    rows = await session.scalars(
        select(RevenueReport)
        .where(col(RevenueReport.agency_id) == agency_id, col(RevenueReport.status) == "verified")
        .order_by(col(RevenueReport.year), col(RevenueReport.version))
    )
    return rows.all()


async def get_report(
    session: AsyncSession, principal: Principal, report_id: str, *, for_update: bool = False
) -> RevenueReport | None:
    """A report the caller may see."""
    query = select(RevenueReport).where(col(RevenueReport.id) == report_id)
    if (mine := own_agency(principal)) is not None:
        query = query.where(col(RevenueReport.agency_id) == mine)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def list_reports(
    session: AsyncSession,
    principal: Principal,
    *,
    agency_id: str | None,
    status: str | None,
    year: int | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[RevenueReport], int]:
    """Reports the caller may see, newest year first, each year's versions in order."""
    query = select(RevenueReport)
    if (mine := own_agency(principal)) is not None:
        query = query.where(col(RevenueReport.agency_id) == mine)
    if agency_id is not None:
        query = query.where(col(RevenueReport.agency_id) == agency_id)
    if status is not None:
        query = query.where(col(RevenueReport.status) == status)
    if year is not None:
        query = query.where(col(RevenueReport.year) == year)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (col(RevenueReport.year).desc(), col(RevenueReport.agency_id), col(RevenueReport.version))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
