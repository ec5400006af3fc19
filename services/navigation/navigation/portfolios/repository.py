"""Every query of portfolios. An organisation reads the portfolios it registered; the district
office reads all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from navigation.models import Portfolio, PortfolioPatent


def readable_portfolios(principal: Principal) -> Any:
    """All portfolios for operators; an organisation's own registrations otherwise."""
    query = select(Portfolio)
    if not principal.is_operator:
        query = query.where(col(Portfolio.owner_org_id) == principal.tenant_id)
    return query


async def readable_portfolio(
    session: AsyncSession, principal: Principal, portfolio_id: str, *, for_update: bool = False
) -> Portfolio | None:
    """One portfolio if `principal` may see it."""
    query = readable_portfolios(principal).where(col(Portfolio.id) == portfolio_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def list_portfolios(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    qualified: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Portfolio], int]:
    """A page of readable portfolios, newest first."""
    query = readable_portfolios(principal)
    if credit_code is not None:
        query = query.where(col(Portfolio.credit_code) == credit_code)
    if qualified is not None:
        query = query.where(col(Portfolio.qualified) == qualified)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(
        query.order_by(col(Portfolio.created_at).desc(), col(Portfolio.id)).limit(limit).offset(offset)
    )
    return rows.scalars().all(), total


async def portfolio_patents(session: AsyncSession, portfolio_id: str) -> Sequence[PortfolioPatent]:
    """A portfolio's patents by application number."""
    rows = await session.execute(
        select(PortfolioPatent)
        .where(col(PortfolioPatent.portfolio_id) == portfolio_id)
        .order_by(col(PortfolioPatent.application_number))
    )
    return rows.scalars().all()


async def delete_portfolio_patents(session: AsyncSession, portfolio_id: str) -> None:
    """Remove a portfolio's patents in one statement (a list is replaced whole)."""
    await session.execute(delete(PortfolioPatent).where(col(PortfolioPatent.portfolio_id) == portfolio_id))
