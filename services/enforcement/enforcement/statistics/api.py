"""Routes of satisfaction and statistics: the served party rates with its token (no login),
operators read a year's figures, the public reads aggregates only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from enforcement.statistics import service
from enforcement.statistics.schemas import (
    PublicStatistics,
    RatingCreate,
    RatingPublic,
    YearStatistics,
    public_view,
    rating_public,
    year_statistics,
)
from ipops.auth import OperatorPrincipal
from ipops.runtime import Runtime

router = APIRouter()


@router.post("/ratings", status_code=201, response_model=RatingPublic)
async def rate(body: RatingCreate, runtime: Runtime) -> RatingPublic:
    """Rate the service of a closed case, 0 to 100, with the token issued at closure. No login:
    the token is the credential, and it works once."""
    async with runtime.transaction() as session:
        return rating_public(await service.rate_case(session, body))


@router.get("/statistics/{year}", response_model=YearStatistics)
async def statistics(
    year: Annotated[int, Path(ge=2000, le=2100)], principal: OperatorPrincipal, runtime: Runtime
) -> YearStatistics:
    """The plan's figures of a year: cases and growth against +20 %, enterprises served against
    100, handling time per type, closed within deadline, overdue rate, satisfaction against 80."""
    async with runtime.sessionmaker() as session:
        result = await service.year_figures(session, year)
    return year_statistics(result)


@router.get("/public/statistics", response_model=PublicStatistics)
async def public_statistics(runtime: Runtime) -> PublicStatistics:
    """Aggregates per year for the public front end; no case, party or enterprise is named."""
    async with runtime.sessionmaker() as session:
        years = await service.public_figures(session)
    return public_view(years)
