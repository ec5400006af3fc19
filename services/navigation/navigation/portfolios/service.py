"""Use cases of portfolios: register one, replace its patent list, and check it against the plan's
definition each time; the first time it qualifies is announced. Nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_date, utc_now
from ipops.contracts.navigation import PortfolioQualifiedV1
from ipops.errors import NotFound
from ipops.events import add_to_outbox
from ipops.identifiers import patent_type
from navigation.common import SOURCE
from navigation.domain import portfolio as rules
from navigation.models import Portfolio, PortfolioPatent
from navigation.portfolios import repository
from navigation.portfolios.schemas import PortfolioCreate
from navigation.portfolios.schemas import PortfolioPatent as PatentEntry
from navigation.projects.service import load_project


async def get_portfolio(
    session: AsyncSession, principal: Principal, portfolio_id: str, *, for_update: bool = False
) -> Portfolio:
    """A portfolio the caller may see, or 404."""
    portfolio = await repository.readable_portfolio(session, principal, portfolio_id, for_update=for_update)
    if portfolio is None:
        raise NotFound(f"no portfolio {portfolio_id}")
    return portfolio


async def list_portfolios(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    qualified: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Portfolio], int]:
    """A page of the portfolios the caller may see, newest first, and the total."""
    return await repository.list_portfolios(
        session, principal, credit_code=credit_code, qualified=qualified, limit=limit, offset=offset
    )


async def portfolio_patents(
    session: AsyncSession, principal: Principal, portfolio_id: str
) -> Sequence[PortfolioPatent]:
    """The patents of a portfolio the caller may see."""
    portfolio = await get_portfolio(session, principal, portfolio_id)
    return await repository.portfolio_patents(session, portfolio.id)


def _distinct_patents(portfolio: Portfolio, patents: Sequence[PatentEntry]) -> list[PortfolioPatent]:
    """One row per application number; a patent listed twice is PCT if either line says so."""
    seen: dict[str, PortfolioPatent] = {}
    for patent in patents:
        number = patent.application_number
        kind = patent_type(number)
        assert kind is not None  # PatentNumber validated the type digit
        if number in seen:
            seen[number].pct = seen[number].pct or patent.pct
            continue
        seen[number] = PortfolioPatent(
            portfolio_id=portfolio.id,
            application_number=number,
            patent_type=kind.value,
            pct=patent.pct,
            pct_application_number=patent.pct_application_number,
        )
    return list(seen.values())


def _qualified(portfolio: Portfolio, assessment: rules.Assessment, now: datetime) -> PortfolioQualifiedV1:
    return PortfolioQualifiedV1(
        portfolio_id=portfolio.id,
        credit_code=portfolio.credit_code,
        enterprise_name=portfolio.enterprise_name,
        name=portfolio.name,
        invention_count=assessment.invention_count,
        pct_count=assessment.pct_count,
        project_id=portfolio.project_id,
        qualified_on=district_date(now),
        qualified_at=now,
    )


async def _replace_patents(session: AsyncSession, portfolio: Portfolio, patents: Sequence[PatentEntry]) -> None:
    await repository.delete_portfolio_patents(session, portfolio.id)
    rows = _distinct_patents(portfolio, patents)
    session.add_all(rows)
    assessment = rules.assess(rules.Holding(p.application_number, p.patent_type, p.pct) for p in rows)
    now = utc_now()
    portfolio.patent_count = assessment.patent_count
    portfolio.invention_count = assessment.invention_count
    portfolio.pct_count = assessment.pct_count
    portfolio.qualified = assessment.qualified
    portfolio.updated_at = now
    if assessment.qualified and portfolio.first_qualified_at is None:
        portfolio.first_qualified_at = now
        add_to_outbox(session, _qualified(portfolio, assessment, now), source=SOURCE, key=portfolio.credit_code)
    await session.flush()


async def create_portfolio(session: AsyncSession, principal: Principal, body: PortfolioCreate) -> Portfolio:
    """Register a portfolio; an organisation may link it only to a project of its own."""
    if body.project_id is not None:
        await load_project(session, principal, body.project_id)
    now = utc_now()
    portfolio = Portfolio(
        id=str(uuid.uuid4()),
        credit_code=body.credit_code,
        enterprise_name=body.enterprise_name,
        name=body.name,
        project_id=body.project_id,
        owner_org_id=None if principal.is_operator else principal.tenant_id,
        created_at=now,
        updated_at=now,
    )
    session.add(portfolio)
    await session.flush()
    await _replace_patents(session, portfolio, body.patents)
    return portfolio


async def replace_portfolio_patents(
    session: AsyncSession, principal: Principal, portfolio_id: str, patents: Sequence[PatentEntry]
) -> Portfolio:
    """Replace a portfolio's patent list and check it again."""
    portfolio = await get_portfolio(session, principal, portfolio_id, for_update=True)
    await _replace_patents(session, portfolio, patents)
    portfolio.version += 1
    return portfolio
