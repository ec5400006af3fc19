"""The statistics route."""

from __future__ import annotations

from fastapi import APIRouter

from ipops.auth import AnyPrincipal
from ipops.runtime import Runtime
from pledge.statistics import service
from pledge.statistics.schemas import StatisticsPublic, statistics_public

router = APIRouter()


@router.get("/statistics", response_model=StatisticsPublic)
async def statistics(principal: AnyPrincipal, runtime: Runtime) -> StatisticsPublic:
    """The plan's figures per year: pledge amount and count (by year paid out), mixed pledges,
    insured amount, claims paid, recoveries, each bank's NPL ratio, and growth on the year before."""
    async with runtime.sessionmaker() as session:
        reports = await service.report_statistics(session)
    return statistics_public(reports)
