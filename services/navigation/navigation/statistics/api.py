"""Routes of the plan's navigation figures, for the district and (without a token) the public."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, AnyPrincipal, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.indicators.statistics import IndicatorStatistics
from ipops.runtime import Runtime
from navigation.common import PREFIX, PUBLIC_PREFIX
from navigation.statistics import service
from navigation.statistics.schemas import IndicatorRecount, NavigationStatistics

router = APIRouter(prefix=PREFIX, tags=["navigation"])
public_router = APIRouter(prefix=PUBLIC_PREFIX, tags=["public"])


@router.get("/statistics", response_model=NavigationStatistics)
async def statistics(principal: AgencyOrOperator, runtime: Runtime) -> NavigationStatistics:
    """Projects by kind and status against the plan's 15 industry-planning and 45
    enterprise-operation projects (accepted ones count); qualifying patent lists against 20. The
    counting figures are the indicators' current-year values (`/statistics/indicators`)."""
    async with runtime.sessionmaker() as session:
        return await service.statistics(session)


@router.get("/statistics/indicators", response_model=IndicatorStatistics)
async def indicator_statistics(principal: AnyPrincipal, runtime: Runtime) -> IndicatorStatistics:
    """The plan's navigation indicators (industry-planning and enterprise-operation projects,
    high-value portfolios) from this service's ledger: every year since the base year (stocks at
    31 December; the current year is year to date) and the verdict against the target. District
    aggregates: any authenticated caller (operator, bank, agency)."""
    async with runtime.sessionmaker() as session:
        return await service.indicator_statistics(session)


@router.post("/statistics/indicators/recount", response_model=IndicatorRecount)
async def recount_indicators(
    request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Recompute every project's and portfolio's contribution through the counting rules and write
    what changed to the ledger, announcing each change once (operators only). Run once after the
    upgrade that introduced the ledger, to count the rows that existed before it; running it again
    changes nothing."""

    async def work(session: AsyncSession) -> tuple[int, IndicatorRecount]:
        return 200, await service.recount_indicators(session)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@public_router.get("/statistics", response_model=NavigationStatistics)
async def public_statistics(runtime: Runtime) -> NavigationStatistics:
    """The same aggregated progress for the public progress view (no token needed)."""
    async with runtime.sessionmaker() as session:
        return await service.statistics(session)
