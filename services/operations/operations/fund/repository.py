"""Queries of the fund and its investments (operators only)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import Fund, Investment


async def get_fund(session: AsyncSession, fund_id: str, *, for_update: bool = False) -> Fund | None:
    """A fund by id (`for_update` serialises investments against its size)."""
    return await session.get(Fund, fund_id, with_for_update=for_update)


async def get_by_name(session: AsyncSession, name: str) -> Fund | None:
    """A fund by name."""
    return (await session.scalars(select(Fund).where(col(Fund.name) == name))).first()


async def investments_of(session: AsyncSession, fund_ids: Sequence[str]) -> dict[str, list[Investment]]:
    """The investments of each fund, oldest first."""
    result: dict[str, list[Investment]] = {i: [] for i in fund_ids}
    if fund_ids:
        rows = await session.scalars(
            select(Investment)
            .where(col(Investment.fund_id).in_(fund_ids))
            .order_by(col(Investment.invested_on), col(Investment.id))
        )
        for row in rows:
            result[row.fund_id].append(row)
    return result


async def get_investment(session: AsyncSession, investment_id: str, *, for_update: bool = False) -> Investment | None:
    """An investment by id."""
    return await session.get(Investment, investment_id, with_for_update=for_update)


async def list_funds(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[Fund], int]:
    """Funds by name."""
    total = await session.scalar(select(func.count()).select_from(Fund))
    rows = await session.scalars(select(Fund).order_by(col(Fund.name), col(Fund.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def list_investments(
    session: AsyncSession, *, credit_code: str | None, pledge_loan_id: str | None, limit: int, offset: int
) -> tuple[Sequence[Investment], int]:
    """Investments, newest first, by enterprise or by linked pledge loan."""
    query = select(Investment)
    if credit_code is not None:
        query = query.where(col(Investment.credit_code) == credit_code)
    if pledge_loan_id is not None:
        query = query.where(col(Investment.pledge_loan_id) == pledge_loan_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (col(Investment.invested_on).desc(), col(Investment.id))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
