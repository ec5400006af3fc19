"""Statistics routes: the plan's operations indicators (district aggregates, any caller with a
token) and a year's register figures (operators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ipops.auth import AnyPrincipal, OperatorPrincipal
from ipops.indicators.statistics import IndicatorStatistics
from ipops.runtime import Runtime
from operations.statistics import service
from operations.statistics.schemas import YearFigures

router = APIRouter()


@router.get("/statistics/indicators", response_model=IndicatorStatistics)
async def indicator_statistics(principal: AnyPrincipal, runtime: Runtime) -> IndicatorStatistics:
    """The plan's operations indicators from this service's ledger: operation agencies with 10M+
    yuan verified revenue (5), alliances (5), patent pools (5), overseas marks (5), and the
    transaction and licensing amount (+20 %/year); every year since the base year (stocks at 31
    December; the current year is year to date) and the verdict. District aggregates: any
    authenticated caller."""
    async with runtime.sessionmaker() as session:
        return await service.indicator_statistics(session)


@router.get("/statistics/{year}", response_model=YearFigures)
async def year_statistics(
    year: Annotated[int, Path(ge=2000, le=2100)], principal: OperatorPrincipal, runtime: Runtime
) -> YearFigures:
    """The register's figures of a Beijing year: transactions and amounts, royalties, verified
    revenue and agencies at the 10M line, training and commissioners (task 7), investments,
    milestones."""
    async with runtime.sessionmaker() as session:
        return await service.year_figures(session, year)
