"""Routes of the plan's navigation figures, for the district and (without a token) the public."""

from __future__ import annotations

from fastapi import APIRouter

from ipops.auth import AgencyOrOperator
from ipops.runtime import Runtime
from navigation.common import PREFIX, PUBLIC_PREFIX
from navigation.statistics import service
from navigation.statistics.schemas import NavigationStatistics

router = APIRouter(prefix=PREFIX, tags=["navigation"])
public_router = APIRouter(prefix=PUBLIC_PREFIX, tags=["public"])


@router.get("/statistics", response_model=NavigationStatistics)
async def statistics(principal: AgencyOrOperator, runtime: Runtime) -> NavigationStatistics:
    """Projects by kind and status against the plan's 15 industry-planning and 45
    enterprise-operation projects (accepted ones count); qualified portfolios against 20."""
    async with runtime.sessionmaker() as session:
        return await service.statistics(session)


@public_router.get("/statistics", response_model=NavigationStatistics)
async def public_statistics(runtime: Runtime) -> NavigationStatistics:
    """The same aggregated progress for the public progress view (no token needed)."""
    async with runtime.sessionmaker() as session:
        return await service.statistics(session)
