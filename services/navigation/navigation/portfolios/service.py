"""Use cases of portfolios: register one, replace its patent list, and check every portfolio of the
district against the plan's definition each time (a patent counts toward one qualifying portfolio,
so one list's change can qualify or disqualify another); the first time a portfolio qualifies is
announced. Nothing here commits."""

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
            legal_status=patent.legal_status.value,
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


def _record(session: AsyncSession, portfolio: Portfolio, assessment: rules.Assessment, now: datetime) -> None:
    """Store how `portfolio` measures; announce it the first time it qualifies."""
    figures = {
        "patent_count": assessment.patent_count,
        "invention_count": assessment.invention_count,
        "pct_count": assessment.pct_count,
        "inventions_listed": assessment.inventions_listed,
        "inventions_not_in_force": assessment.inventions_not_in_force,
        "inventions_counted_elsewhere": assessment.inventions_counted_elsewhere,
        "pct_counted_elsewhere": assessment.pct_counted_elsewhere,
        "counted_elsewhere_in": list(assessment.counted_elsewhere_in),
        "qualified": assessment.qualified,
    }
    if any(getattr(portfolio, name) != value for name, value in figures.items()):
        for name, value in figures.items():
            setattr(portfolio, name, value)
        portfolio.updated_at = now
    if assessment.qualified and portfolio.first_qualified_at is None:
        portfolio.first_qualified_at = now
        add_to_outbox(session, _qualified(portfolio, assessment, now), source=SOURCE, key=portfolio.credit_code)


async def reassess_all(session: AsyncSession) -> None:
    """Check every portfolio of the district again, in order of seniority, so that no patent counts
    toward two qualifying portfolios (the caller holds `repository.lock_counting`)."""
    await session.flush()
    holdings = await repository.all_holdings(session)
    portfolios = sorted(
        await repository.all_portfolios(session),
        key=lambda p: rules.seniority(p.first_qualified_at, p.created_at, p.id),
    )
    assessments = rules.allocate([(p.id, holdings.get(p.id, [])) for p in portfolios])
    now = utc_now()
    for portfolio in portfolios:
        _record(session, portfolio, assessments[portfolio.id], now)
    await session.flush()


async def _replace_patents(session: AsyncSession, portfolio: Portfolio, patents: Sequence[PatentEntry]) -> None:
    await repository.delete_portfolio_patents(session, portfolio.id)
    session.add_all(_distinct_patents(portfolio, patents))
    portfolio.updated_at = utc_now()
    await reassess_all(session)


async def create_portfolio(session: AsyncSession, principal: Principal, body: PortfolioCreate) -> Portfolio:
    """Register a portfolio; an organisation may link it only to a project of its own."""
    if body.project_id is not None:
        await load_project(session, principal, body.project_id)
    await repository.lock_counting(session)
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
    """Replace a portfolio's patent list and check every portfolio again."""
    await repository.lock_counting(session)
    portfolio = await get_portfolio(session, principal, portfolio_id, for_update=True)
    await _replace_patents(session, portfolio, patents)
    portfolio.version += 1
    return portfolio
