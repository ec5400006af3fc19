"""The statistics route."""

from __future__ import annotations

from fastapi import APIRouter

from ipops.auth import BankOrOperator
from ipops.runtime import Runtime
from pledge.statistics import service
from pledge.statistics.schemas import StatisticsPublic, statistics_public

router = APIRouter()


@router.get("/statistics", response_model=StatisticsPublic)
async def statistics(principal: BankOrOperator, runtime: Runtime) -> StatisticsPublic:
    """The plan's figures per year: pledge amount and count (by year paid out), mixed pledges,
    insured amount, claims paid, recoveries, each bank's NPL ratio, and growth on the year before.
    The district's figures count every bank; a bank gets only its own per-bank row."""
    async with runtime.sessionmaker() as session:
        reports = await service.report_statistics(session, principal)
    return statistics_public(reports)
