"""Statistics routes: the plan's trusteeship figures (an agency sees its own where it has any)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from ipops.auth import AgencyOrOperator
from ipops.runtime import Runtime
from trusteeship.common import today
from trusteeship.statistics import service
from trusteeship.statistics.schemas import (
    CertificationStatistics,
    CoverageStatistics,
    ValidPatentStatistics,
    WorkStatistics,
)

router = APIRouter()


@router.get("/statistics/coverage", response_model=CoverageStatistics)
async def coverage(principal: AgencyOrOperator, runtime: Runtime) -> CoverageStatistics:
    """Distinct enterprises ever enrolled against the plan's 1000; per agency against its quota."""
    async with runtime.sessionmaker() as session:
        return await service.coverage_statistics(session, principal)


@router.get("/statistics/valid-patents", response_model=ValidPatentStatistics)
async def valid_patents(
    principal: AgencyOrOperator,
    runtime: Runtime,
    from_year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
    to_year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
) -> ValidPatentStatistics:
    """Enterprises holding a valid patent at each year's end and the growth against +15 %;
    first patents (zeroing-out) and today's zero-patent enterprises."""
    async with runtime.sessionmaker() as session:
        return await service.valid_patent_statistics(session, principal, today(runtime), from_year, to_year)


@router.get("/statistics/certifications", response_model=CertificationStatistics)
async def certifications(principal: AgencyOrOperator, runtime: Runtime) -> CertificationStatistics:
    """GB/T 29490 certified enterprises against the plan's 300."""
    async with runtime.sessionmaker() as session:
        return await service.certification_statistics(session)


@router.get("/statistics/work", response_model=WorkStatistics)
async def work_statistics(
    principal: AgencyOrOperator, runtime: Runtime, from_date: date | None = None, to_date: date | None = None
) -> WorkStatistics:
    """Work per type per month (default: the last twelve months); an agency sees its own."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        return await service.work_statistics(session, principal, from_date, to_date, day)
