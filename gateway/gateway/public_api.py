"""The public API of the web front end: read-only, anonymous, answered from the read model.

The figures are the indicators the owning services announce (gateway/readmodel/queries.py);
the charts and the annual evaluation are drawn from the same series (gateway/publication/).
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.routing import APIRoute

from gateway.publication import charts, page, report, workbook
from gateway.publication.labels import Lang
from gateway.readmodel import queries
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
# memory for this long (and browsers may keep it as long).
CACHE_SECONDS = 5.0
CACHE_CONTROL = f"public, max-age={int(CACHE_SECONDS)}"
HTML = "text/html"


class PublicCache:
    """The last progress document, when it was computed, and from which read-model generation."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget the document (the next request computes it)."""
        self.value: Any = None
        self.at = 0.0
        self.generation: int | None = None


def _years(request: Request) -> tuple[int, int]:
    """(current year, base year): the district's year, and the plan's base year (2018 unless the
    gateway's settings say otherwise)."""
    base_year = int(getattr(request.app.state.runtime.settings, "indicator_base_year", BASE_YEAR))
    return district_today().year, base_year


async def _progress(request: Request) -> PlanProgress:
    cache: PublicCache = request.app.state.public_cache
    generation = request.app.state.read_model.generation
    if cache.value is None or time.monotonic() - cache.at > CACHE_SECONDS or cache.generation != generation:
        current_year, base_year = _years(request)
        async with request.app.state.runtime.sessionmaker() as session:
            cache.value = await queries.progress(session, current_year, base_year)
        cache.at, cache.generation = time.monotonic(), generation
    value: PlanProgress = cache.value
    return value


@router.get("/progress", response_model=PlanProgress, summary="The plan's progress")
async def progress(request: Request, response: Response) -> Any:
    """Every indicator of goals 一-六: its value in every year since the base year (the current
    year marked `year_to_date`), its target, its judgement for `judged_year` (growth as the
    compound average from the base year; per-year targets on complete years) and the service that
    owns it; then goals 七-九 with their recorded milestones. An indicator whose service has not
    announced itself as its source has `has_source: false` and no values ("no data yet")."""
    response.headers["Cache-Control"] = CACHE_CONTROL
    return await _progress(request)


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
    current_year, base_year = _years(request)
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
    current_year, base_year = _years(request)
    async with request.app.state.runtime.sessionmaker() as session:
        years = await queries.enforcement_statistics(session, current_year, base_year)
    return EnforcementStatistics.model_validate({"years": years})
