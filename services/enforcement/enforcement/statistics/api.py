"""Routes of ratings, the satisfaction survey and statistics: the served party rates with its
token (no login), operators record the yearly survey and read a year's figures, every caller with
a token reads the plan's indicators and the surveys (district aggregates), the public reads
aggregates only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.statistics import service, surveys
from enforcement.statistics.schemas import (
    PublicStatistics,
    RatingCreate,
    RatingPublic,
    RecountResult,
    SurveyCreate,
    SurveyPage,
    SurveyPublic,
    SurveyWithdrawal,
    YearStatistics,
    public_view,
    rating_public,
    survey_page,
    survey_public,
    year_statistics,
)
from ipops.auth import AnyPrincipal, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.indicators.statistics import IndicatorStatistics
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime

router = APIRouter()


@router.post("/ratings", status_code=201, response_model=RatingPublic)
async def rate(body: RatingCreate, runtime: Runtime) -> RatingPublic:
    """A served party rates the office's handling of its closed case, 0 to 100, with the token
    issued at closure. No login: the token is the credential, and it works once (a second use is
    409). These ratings are the served parties' average rating in the statistics, not the plan's
    social satisfaction (the yearly survey)."""
    async with runtime.transaction() as session:
        return rating_public(await service.rate_case(session, body))


@router.post("/satisfaction-surveys", status_code=201, response_model=SurveyPublic)
async def record_survey(
    body: SurveyCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record the district's yearly public survey of satisfaction with IP protection (operators):
    score 0-100 with one decimal, sample size, who conducted it and when, where the report is kept.
    Recording a year again is a correction: a new version (with the reason), the earlier kept; the
    year's `satisfaction` indicator takes the latest version's score. A year not begun, a date in
    the future or before the year it measures is 422 naming the field."""

    async def work(session: AsyncSession) -> tuple[int, SurveyPublic]:
        return 201, survey_public(await surveys.record_survey(session, body, principal), current=True)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/satisfaction-surveys/{year}/withdrawal", status_code=201, response_model=SurveyPublic)
async def withdraw_survey(
    year: Annotated[int, Path(ge=2000, le=2100)],
    body: SurveyWithdrawal,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Withdraw a year's survey (recorded for the wrong year, say), with the reason (operators): a
    new version says so, the earlier are kept, and the year's `satisfaction` figure is taken out.
    A year without a survey is 404, one already withdrawn 409; recording the year again later is a
    correction."""

    async def work(session: AsyncSession) -> tuple[int, SurveyPublic]:
        return 201, survey_public(await surveys.withdraw_survey(session, year, body, principal), current=True)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/satisfaction-surveys", response_model=SurveyPage)
async def list_surveys(
    principal: AnyPrincipal,
    runtime: Runtime,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="versions of this year")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> SurveyPage:
    """Every version of the yearly surveys, newest year and version first; `current` marks the
    version each year's figure takes (a district figure: any caller with a token)."""
    async with runtime.sessionmaker() as session:
        rows, current, total = await surveys.list_surveys(session, year, limit=limit, offset=offset)
    return survey_page(rows, current, total)


@router.get("/statistics/indicators", response_model=IndicatorStatistics)
async def indicator_statistics(principal: AnyPrincipal, runtime: Runtime) -> IndicatorStatistics:
    """The plan's enforcement indicators from this service's ledger: administrative enforcement
    cases (+20 %/year), enterprises receiving rights protection (100 a year), the public survey's
    satisfaction (80 points); each year since the base year, the current one as year to date, and
    the judgement. District aggregates, so any caller with a token (operator, bank, agency)."""
    async with runtime.sessionmaker() as session:
        return await service.indicator_statistics(session)


@router.post("/statistics/indicators/recount", response_model=RecountResult)
async def recount_indicators(
    request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Compute every case's and survey's contributions again with the counting rules and write
    (and announce) those that differ (operators): the backfill of records made before the ledger
    existed, and a check that nothing drifted (`changed` 0)."""

    async def work(session: AsyncSession) -> tuple[int, RecountResult]:
        return 200, RecountResult(changed=await service.recount_indicators(session))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/statistics/{year}", response_model=YearStatistics)
async def statistics(
    year: Annotated[int, Path(ge=2000, le=2100)], principal: OperatorPrincipal, runtime: Runtime
) -> YearStatistics:
    """Enforcement's figures of a year: cases, administrative cases and enterprises protected
    (the plan's indicators, from the ledger) with year-on-year growth, the survey's satisfaction,
    handling time per type, closed within deadline, overdue rate, and the served parties' average
    rating. The plan's judgement is `/statistics/indicators`."""
    async with runtime.sessionmaker() as session:
        result = await service.year_figures(session, year)
    return year_statistics(result)


@router.get("/public/statistics", response_model=PublicStatistics)
async def public_statistics(runtime: Runtime) -> PublicStatistics:
    """Aggregates per year for the public front end; no case, party or enterprise is named."""
    async with runtime.sessionmaker() as session:
        years = await service.public_figures(session)
    return public_view(years)
