"""The statistics routes: the plan's pledge figures per year, the indicators' yearly series, and
the operators' recount of the indicator ledger."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AnyPrincipal, BankOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.indicators.statistics import IndicatorStatistics
from ipops.runtime import Runtime
from pledge.statistics import service
from pledge.statistics.schemas import RecountPublic, StatisticsPublic, recount_public, statistics_public

router = APIRouter()


@router.get("/statistics", response_model=StatisticsPublic)
async def statistics(principal: BankOrOperator, runtime: Runtime) -> StatisticsPublic:
    """The plan's figures per year: pledge amount and count (loans paid out in the year, by the
    Beijing disbursement date), mixed pledges paid out in the year, insured amount and policies
    (taking effect in the year, cancelled ones not) - these five from the indicator ledger, as
    `/statistics/indicators` counts them - and claims paid, recoveries, each bank's principal paid
    out and defaulted with its NPL ratio, and growth on the year before. The district's figures
    count every bank; a bank gets only its own per-bank row."""
    async with runtime.sessionmaker() as session:
        reports = await service.report_statistics(session, principal)
    return statistics_public(reports)


@router.get("/statistics/indicators", response_model=IndicatorStatistics)
async def indicator_statistics(principal: AnyPrincipal, runtime: Runtime) -> IndicatorStatistics:
    """The plan's indicators pledge is the source of (pledge amount, pledge count, mixed pledges,
    IP insurance amount): every year from the base year (2018) to this one (year to date), and the
    verdict against the plan's target. District aggregates: any authenticated caller. The gateway's
    public figures add up the same contributions."""
    async with runtime.sessionmaker() as session:
        return await service.indicator_statistics(session)


@router.post("/statistics/indicators/recount", response_model=RecountPublic)
async def recount_indicators(
    request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Recompute every loan's and policy's contributions to the indicators by the counting rules
    and write (and announce) what differs (operators only): the backfill after the upgrade that
    introduced the ledger, and a repair. A second run changes nothing."""

    async def work(session: AsyncSession) -> tuple[int, RecountPublic]:
        return 200, recount_public(await service.recount_indicators(session))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
