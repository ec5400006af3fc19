"""Every query of portfolios. An organisation reads the portfolios it registered; the district
office reads all. Counting reads every portfolio, whoever registered it: a patent counts toward
one portfolio of the district."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.db import dialect_name
from ipops.indicators.ledger import IndicatorContribution
from navigation.domain.indicators import HIGH_VALUE_PORTFOLIOS
from navigation.domain.portfolio import Holding
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


async def lock_counting(session: AsyncSession) -> None:
    """One change of the district's portfolios at a time (each reassesses all of them); PostgreSQL
    only, since SQLite has a single writer anyway. Held until the transaction ends."""
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('navigation.portfolio'))"))


async def all_portfolios(session: AsyncSession) -> Sequence[Portfolio]:
    """Every portfolio of the district (every tenant's)."""
    return (await session.execute(select(Portfolio))).scalars().all()


async def all_holdings(session: AsyncSession) -> dict[str, list[Holding]]:
    """Every portfolio's patents as the counting rule sees them, by portfolio id."""
    rows = await session.execute(
        select(
            col(PortfolioPatent.portfolio_id),
            col(PortfolioPatent.application_number),
            col(PortfolioPatent.patent_type),
            col(PortfolioPatent.pct),
            col(PortfolioPatent.legal_status),
        )
    )
    out: dict[str, list[Holding]] = {}
    for portfolio_id, number, kind, pct, status in rows.all():
        out.setdefault(portfolio_id, []).append(Holding(number, kind, pct, status))
    return out


async def open_list_contributions(session: AsyncSession) -> Sequence[IndicatorContribution]:
    """The patent lists' contributions that count and have not ended (a changed list's spell is
    ended from here)."""
    table = IndicatorContribution
    rows = await session.execute(
        select(table).where(
            col(table.indicator) == HIGH_VALUE_PORTFOLIOS, col(table.quantity) > 0, col(table.end_on).is_(None)
        )
    )
    return rows.scalars().all()
