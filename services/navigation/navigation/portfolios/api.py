"""Routes of portfolios: parse, authorise, open the transaction, call a use case, present."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from navigation.common import PREFIX
from navigation.portfolios import service
from navigation.portfolios.schemas import (
    PortfolioCreate,
    PortfolioPage,
    PortfolioPatentList,
    PortfolioPatentsReplace,
    PortfolioPublic,
    PortfolioWithdrawal,
    portfolio_patent_public,
    portfolio_public,
)

router = APIRouter(prefix=PREFIX, tags=["navigation"])


@router.post("/portfolios", status_code=201, response_model=PortfolioPublic)
async def create_portfolio(
    body: PortfolioCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register an enterprise's patent portfolio, each patent with its legal status. It qualifies as
    high-value with at least 50 granted, in-force invention patents and at least 10 PCT applications
    filed, none of them already counted toward an earlier-qualified portfolio, and then counts
    toward the plan's 20. The response says what counted and what did not."""

    async def work(session: AsyncSession) -> tuple[int, PortfolioPublic]:
        portfolio = await service.create_portfolio(session, principal, body)
        return 201, portfolio_public(portfolio)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.put("/portfolios/{portfolio_id}/patents", response_model=PortfolioPublic)
async def replace_portfolio_patents(
    portfolio_id: str,
    body: PortfolioPatentsReplace,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Replace the portfolio's patent list; it, and every other portfolio sharing patents with it,
    is checked again at once. A portfolio that stops qualifying is announced and its list stops
    counting from `effective_on`; a changed list counts under its new key from then. 409 for a
    withdrawn portfolio."""

    async def work(session: AsyncSession) -> tuple[int, PortfolioPublic]:
        portfolio = await service.replace_portfolio_patents(session, principal, portfolio_id, body)
        return 200, portfolio_public(portfolio)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/portfolios/{portfolio_id}/withdrawal", response_model=PortfolioPublic)
async def withdraw_portfolio(
    portfolio_id: str,
    body: PortfolioWithdrawal,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Withdraw a portfolio (the organisation that registered it, or the district office): from
    `withdrawn_on` it claims no patent and no longer qualifies; if it qualified, that is announced
    (`portfolio.disqualified`) and its patent list stops counting toward the plan's 20 from that
    date, unless another portfolio holding the same list qualifies in its place (checked at once).
    A withdrawn portfolio's list no longer changes; a second withdrawal is 409."""

    async def work(session: AsyncSession) -> tuple[int, PortfolioPublic]:
        portfolio = await service.withdraw_portfolio(session, principal, portfolio_id, body)
        return 200, portfolio_public(portfolio)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/portfolios", response_model=PortfolioPage)
async def list_portfolios(
    principal: AgencyOrOperator,
    runtime: Runtime,
    credit_code: str | None = None,
    qualified: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PortfolioPage:
    """Portfolios: all for the district office, its own registrations for an organisation."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_portfolios(
            session, principal, credit_code=credit_code, qualified=qualified, limit=limit, offset=offset
        )
    return PortfolioPage(items=[portfolio_public(r) for r in rows], total=total)


@router.get("/portfolios/{portfolio_id}", response_model=PortfolioPublic)
async def get_portfolio(portfolio_id: str, principal: AgencyOrOperator, runtime: Runtime) -> PortfolioPublic:
    """One portfolio and how it measures."""
    async with runtime.sessionmaker() as session:
        portfolio = await service.get_portfolio(session, principal, portfolio_id)
    return portfolio_public(portfolio)


@router.get("/portfolios/{portfolio_id}/patents", response_model=PortfolioPatentList)
async def list_portfolio_patents(
    portfolio_id: str, principal: AgencyOrOperator, runtime: Runtime
) -> PortfolioPatentList:
    """The patents of a portfolio with their type, legal status and PCT flag."""
    async with runtime.sessionmaker() as session:
        rows = await service.portfolio_patents(session, principal, portfolio_id)
    return PortfolioPatentList(items=[portfolio_patent_public(r) for r in rows])
