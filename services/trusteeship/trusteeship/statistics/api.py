"""Statistics routes: the plan's trusteeship figures (an agency sees its own where it has any), the
indicators' yearly series, and the operators' recount of the indicator ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, AnyPrincipal, OperatorPrincipal
from ipops.fields import BoundedDate
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.indicators.statistics import IndicatorStatistics
from ipops.runtime import Runtime
from trusteeship.common import today
from trusteeship.statistics import service
from trusteeship.statistics.schemas import (
    CertificationStatistics,
    CoverageStatistics,
    RecountPublic,
    ValidPatentStatistics,
    WorkStatistics,
)

router = APIRouter()


@router.get("/statistics/coverage", response_model=CoverageStatistics)
async def coverage(principal: AgencyOrOperator, runtime: Runtime) -> CoverageStatistics:
    """Small and micro enterprises in trusteeship this year against the plan's 1000 (the indicator
    trusteeship_smes, as `/statistics/indicators` counts it), every enterprise ever enrolled, and
    per agency its enterprises against its quota (an agency: its own row)."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        return await service.coverage_statistics(session, principal, day)


@router.get("/statistics/valid-patents", response_model=ValidPatentStatistics)
async def valid_patents(
    principal: AgencyOrOperator,
    runtime: Runtime,
    from_year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
    to_year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
) -> ValidPatentStatistics:
    """Enterprises holding a valid patent on each 31 December (the indicator
    enterprises_with_valid_patents) and the growth on the year before; first patents
    (zeroing-out) and today's zero-patent enterprises. The plan's judgement (+15 % a year,
    compound from the base year) is in `/statistics/indicators`."""
    async with runtime.sessionmaker() as session:
        return await service.valid_patent_statistics(session, principal, today(runtime), from_year, to_year)


@router.get("/statistics/certifications", response_model=CertificationStatistics)
async def certifications(principal: AgencyOrOperator, runtime: Runtime) -> CertificationStatistics:
    """GB/T 29490 certified organisations this year against the plan's 300 (the indicator
    certified_organisations: certificates neither expired nor withdrawn), and certifications by
    year of issue."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        return await service.certification_statistics(session, day)


@router.get("/statistics/work", response_model=WorkStatistics)
async def work_statistics(
    principal: AgencyOrOperator,
    runtime: Runtime,
    from_date: BoundedDate | None = None,
    to_date: BoundedDate | None = None,
) -> WorkStatistics:
    """Work per type per month (default: the last twelve months); an agency sees its own."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        return await service.work_statistics(session, principal, from_date, to_date, day)


@router.get("/statistics/indicators", response_model=IndicatorStatistics)
async def indicator_statistics(principal: AnyPrincipal, runtime: Runtime) -> IndicatorStatistics:
    """The plan's indicators trusteeship is the source of (small and micro enterprises in
    trusteeship, GB/T 29490 certified organisations, enterprises holding a valid patent): every
    year from the base year (2018) to this one (year to date), and the verdict against the plan's
    target. District aggregates: any authenticated caller. The gateway's public figures add up
    the same contributions."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        return await service.indicator_statistics(session, day)


@router.post("/statistics/indicators/recount", response_model=RecountPublic)
async def recount_indicators(
    request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Recompute every enterprise's contributions to the indicators by the counting rules and
    write (and announce) what differs (operators only): the backfill after the upgrade that
    introduced the ledger, and a repair. A second run changes nothing."""

    async def work(session: AsyncSession) -> tuple[int, RecountPublic]:
        result = await service.recount_indicators(session)
        return 200, RecountPublic(enterprises=result.enterprises, changed=result.changed)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
