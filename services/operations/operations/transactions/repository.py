"""Queries of transactions; an agency reads only the deals it brokered (another's is None)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from operations.common import own_agency
from operations.models import Pool, PoolPatent, RoyaltyReport, Transaction


async def get_transaction(
    session: AsyncSession, principal: Principal, transaction_id: str, *, for_update: bool = False
) -> Transaction | None:
    """A transaction the caller may see."""
    query = select(Transaction).where(col(Transaction.id) == transaction_id)
    if (mine := own_agency(principal)) is not None:
        query = query.where(col(Transaction.agency_id) == mine)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def royalties_of(session: AsyncSession, transaction_ids: Sequence[str]) -> dict[str, list[RoyaltyReport]]:
    """The royalties of each transaction, by year."""
    result: dict[str, list[RoyaltyReport]] = {i: [] for i in transaction_ids}
    if not transaction_ids:
        return result
    rows = await session.scalars(
        select(RoyaltyReport)
        .where(col(RoyaltyReport.transaction_id).in_(transaction_ids))
        .order_by(col(RoyaltyReport.year))
    )
    for row in rows:
        result[row.transaction_id].append(row)
    return result


async def list_transactions(
    session: AsyncSession,
    principal: Principal,
    *,
    year: int | None,
    pool_id: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Transaction], int]:
    """Transactions the caller may see, newest contract first."""
    query = select(Transaction)
    if (mine := own_agency(principal)) is not None:
        query = query.where(col(Transaction.agency_id) == mine)
    if year is not None:
        query = query.where(col(Transaction.contracted_on).between(date(year, 1, 1), date(year, 12, 31)))
    if pool_id is not None:
        query = query.where(col(Transaction.pool_id) == pool_id)
    if status is not None:
        query = query.where(col(Transaction.status) == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (col(Transaction.contracted_on).desc(), col(Transaction.created_at).desc(), col(Transaction.id))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def get_pool(session: AsyncSession, pool_id: str) -> Pool | None:
    """A pool by id (pools are public to every caller of the register)."""
    return await session.get(Pool, pool_id)


async def pool_patents(session: AsyncSession, pool_id: str) -> set[str]:
    """The patent numbers a pool holds."""
    rows = await session.scalars(select(col(PoolPatent.patent_number)).where(col(PoolPatent.pool_id) == pool_id))
    return set(rows.all())


async def royalty_for(session: AsyncSession, transaction_id: str, year: int) -> RoyaltyReport | None:
    """The royalty reported for a transaction and year, if any."""
    rows = await session.scalars(
        select(RoyaltyReport).where(
            col(RoyaltyReport.transaction_id) == transaction_id, col(RoyaltyReport.year) == year
        )
    )
    return rows.first()
