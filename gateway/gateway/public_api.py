"""The public API of the web front end: read-only, anonymous, answered from the read model.

The figures are the indicators the owning services announce (gateway/readmodel/queries.py);
the charts and the annual evaluation are drawn from the same series (gateway/publication/).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Header, Path, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.publication import charts, page, report, workbook
from gateway.publication.labels import Lang
from gateway.readmodel import queries
from gateway.readmodel.cache import Published, PublishedCache
from gateway.readmodel.schemas import PlanProgress
from gateway.schemas import EnforcementStatistics, ProjectPage, ProjectPublic
from ipops.clock import district_today
from ipops.errors import NotFound
from ipops.fields import LATEST_DATE
from ipops.indicators.evaluation import BASE_YEAR


def _operation_id(route: APIRoute) -> str:
    """`public_<figure>` (`public_progress`): the id a generated client names its method by."""
    return f"public_{route.name}"


router = APIRouter(prefix="/api/v1/public", tags=["public"], generate_unique_id_function=_operation_id)

# Figures change only as events arrive; a front page polled by many browsers is answered from
# memory for this long (and browsers may keep it as long): gateway/readmodel/cache.py.
CACHE_SECONDS = 5.0
# Within this long of expiring, the next request starts the successor in the background.
REFRESH_AHEAD_SECONDS = 1.0
CACHE_CONTROL = f"public, max-age={int(CACHE_SECONDS)}"
_CACHE_CONTROL_FIELD = (b"cache-control", CACHE_CONTROL.encode())
HTML = "text/html"
# The route's response model serialised as FastAPI would (by alias, nothing excluded), once per
# computed document instead of once per request.
_PROGRESS_JSON: TypeAdapter[PlanProgress] = TypeAdapter(PlanProgress)


def new_cache() -> PublishedCache:
    """The app's cache of the progress document (app.state.public_cache)."""
    return PublishedCache(max_age=CACHE_SECONDS, refresh_ahead=REFRESH_AHEAD_SECONDS)


def _years(app: FastAPI) -> tuple[int, int]:
    """(current year, base year): the district's year, and the plan's base year (2018 unless the
    gateway's settings say otherwise)."""
    base_year = int(getattr(app.state.runtime.settings, "indicator_base_year", BASE_YEAR))
    return district_today().year, base_year


async def _published(app: FastAPI) -> Published:
    async def compute() -> tuple[PlanProgress, bytes]:
        current_year, base_year = _years(app)
        async with app.state.runtime.sessionmaker() as session:
            document = await queries.progress(session, current_year, base_year)
        return document, _PROGRESS_JSON.dump_json(document, by_alias=True)

    cache: PublishedCache = app.state.public_cache
    return await cache.get(app.state.read_model.generation, compute)


async def _progress(request: Request) -> PlanProgress:
    document: PlanProgress = (await _published(request.app)).document
    return document


async def _progress_response(app: FastAPI) -> Response:
    # The body was serialised from the response model when the document was computed; a hit
    # neither validates nor serialises the model again.
    response = Response((await _published(app)).body, media_type="application/json")
    response.raw_headers.append(_CACHE_CONTROL_FIELD)
    return response


@router.get("/progress", response_model=PlanProgress, summary="The plan's progress")
async def progress(request: Request) -> Response:
    """Every indicator of goals 一-六: its value in every year since the base year (the current
    year marked `year_to_date`), its target, its judgement for `judged_year` (growth as the
    compound average from the base year; per-year targets on complete years) and the service that
    owns it; then goals 七-九 with their recorded milestones. An indicator whose service has not
    announced itself as its source has `has_source: false` and no values ("no data yet")."""
    return await _progress_response(request.app)


PROGRESS_ROUTE = next(r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is progress)


class ProgressShortcut:
    """Pure ASGI: answers a plain `GET /api/v1/public/progress` (no query string, no body type)
    itself, before FastAPI's router, with the same answer as the route; anything else goes on.

    Matching the request against every route, solving the route's dependencies and building its
    Request took half of what the gateway spent on a cached answer (py-spy, benchmarks/profile.md).
    It sits inside AccessMiddleware, so rate limits, their fields, security headers, CORS and the
    request id apply as to the route; it names the route for the request metrics. A request
    with a query string or a Content-Type (which the control-character guard inspects) takes the
    route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == PROGRESS_ROUTE.path
            and scope["method"] == "GET"
            and not scope.get("query_string")
            and not any(name == b"content-type" for name, _ in scope["headers"])
        ):
            scope["route"] = PROGRESS_ROUTE
            response = await _progress_response(scope["app"])
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@router.get(
    "/charts/{indicator}.svg",
    summary="An indicator's per-year chart",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "SVG"}},
)
async def chart(
    request: Request,
    indicator: Annotated[str, Path(max_length=64, description="an indicator id of /progress")],
    lang: Lang = "zh",
) -> Response:
    """The indicator's value in each year since the base year as bars (the current year hatched,
    marked year to date) with its target: a dashed line at the level, or the growth path from the
    base year's value. Drawn by the gateway; "no data yet" when the indicator has no source."""
    document = await _progress(request)
    series = next((s for s in document.indicators if s.indicator == indicator), None)
    if series is None:
        raise NotFound(f"no indicator {indicator!r}", errors=[{"field": "indicator", "message": "unknown"}])
    return Response(
        charts.chart_svg(series, lang), media_type="image/svg+xml", headers={"Cache-Control": CACHE_CONTROL}
    )


def _wants_html(format_: str | None, accept: str | None) -> bool:
    if format_ is not None:
        return format_ == "html"
    accept = accept or ""
    return HTML in accept and workbook.MEDIA_TYPE not in accept


@router.get(
    "/report/{year}",
    summary="The annual performance evaluation (分年度绩效评价)",
    response_class=Response,
    responses={
        200: {
            "description": "the workbook or the printable page",
            "content": {
                workbook.MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                HTML: {"schema": {"type": "string"}},
            },
        }
    },
)
async def annual_report(
    request: Request,
    year: Annotated[
        int,
        Path(
            ge=BASE_YEAR,
            le=LATEST_DATE.year,
            description="the evaluated year: the base year to the current one (a later year is 404)",
        ),
    ],
    lang: Lang = "zh",
    format: Annotated[Literal["xlsx", "html"] | None, Query(description="else chosen by Accept")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The evaluation of `year`: the first sheet lists every indicator with its base-year value,
    each year's value, the average growth, the target, met / not met / year to date and its
    source service; then one sheet per indicator with the records that make up its value of the
    year. `format=xlsx` (the default) or `format=html` (a printable page), or by `Accept`
    (`text/html` or the spreadsheet type); `lang=zh` or `en`. A year before the base year is 422,
    one after the current year 404."""
    current_year, base_year = _years(request.app)
    async with request.app.state.runtime.sessionmaker() as session:
        evaluation = await report.annual_report(session, year, base_year, current_year)
    headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept"}
    if _wants_html(format, accept):
        return Response(page.report_html(evaluation, lang), media_type=HTML, headers=headers)
    name = f"ipops-evaluation-{year}-{lang}.xlsx"
    headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(workbook.workbook_bytes(evaluation, lang), media_type=workbook.MEDIA_TYPE, headers=headers)


@router.get("/navigation-projects", response_model=ProjectPage, summary="Accepted patent navigation projects")
async def navigation_projects(
    request: Request,
    kind: Literal["industry_planning", "enterprise_operation"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> ProjectPage:
    """Projects that passed acceptance, newest first (a public list, not a figure: the project
    counts are navigation's indicators in /progress)."""
    async with request.app.state.runtime.sessionmaker() as session:
        rows, total = await queries.accepted_projects(session, kind=kind, limit=limit, offset=offset)
    return ProjectPage(items=[ProjectPublic.model_validate(r, from_attributes=True) for r in rows], total=total)


@router.get(
    "/enforcement-statistics", response_model=EnforcementStatistics, summary="Anonymised enforcement statistics"
)
async def enforcement_statistics(request: Request) -> EnforcementStatistics:
    """Cases opened per year by type and channel and closed (within the deadline), counts only;
    the enterprises served and the satisfaction are enforcement's indicators of the year."""
    current_year, base_year = _years(request.app)
    async with request.app.state.runtime.sessionmaker() as session:
        years = await queries.enforcement_statistics(session, current_year, base_year)
    return EnforcementStatistics.model_validate({"years": years})
