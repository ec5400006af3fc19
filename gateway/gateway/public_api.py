"""The public API of the web front end: read-only, anonymous, answered from the read model."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.routing import APIRoute

from gateway.readmodel import queries
from gateway.schemas import EnforcementStatistics, ProgressPublic, ProjectPage, ProjectPublic


def _operation_id(route: APIRoute) -> str:
    """`public_<figure>` (`public_progress`): the id a generated client names its method by."""
    return f"public_{route.name}"


router = APIRouter(prefix="/api/v1/public", tags=["public"], generate_unique_id_function=_operation_id)

# Figures change only as events arrive; a front page polled by many browsers is answered from
# memory for this long (and browsers may keep it as long).
CACHE_SECONDS = 5.0


class PublicCache:
    """The last progress document, when it was computed, and from which read-model generation."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget the document (the next request computes it)."""
        self.value: Any = None
        self.at = 0.0
        self.generation: int | None = None


@router.get("/progress", response_model=ProgressPublic, summary="The plan's progress")
async def progress(request: Request, response: Response) -> Any:
    """Every numeric target of the plan with its current value, the target, and the figure by
    year with the change on the year before. Figures no service records yet have
    `status: no_data`."""
    cache: PublicCache = request.app.state.public_cache
    generation = request.app.state.read_model.generation
    if cache.value is None or time.monotonic() - cache.at > CACHE_SECONDS or cache.generation != generation:
        async with request.app.state.runtime.sessionmaker() as session:
            cache.value = await queries.progress(session)
        cache.at, cache.generation = time.monotonic(), generation
    response.headers["Cache-Control"] = f"public, max-age={int(CACHE_SECONDS)}"
    return cache.value


@router.get("/navigation-projects", response_model=ProjectPage, summary="Accepted patent navigation projects")
async def navigation_projects(
    request: Request,
    kind: Literal["industry_planning", "enterprise_operation"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ProjectPage:
    """Projects that passed acceptance, newest first."""
    async with request.app.state.runtime.sessionmaker() as session:
        rows, total = await queries.accepted_projects(session, kind=kind, limit=limit, offset=offset)
    return ProjectPage(items=[ProjectPublic.model_validate(r, from_attributes=True) for r in rows], total=total)


@router.get(
    "/enforcement-statistics", response_model=EnforcementStatistics, summary="Anonymised enforcement statistics"
)
async def enforcement_statistics(request: Request) -> EnforcementStatistics:
    """Cases opened per year by type and channel, and the distinct enterprises served; counts only."""
    async with request.app.state.runtime.sessionmaker() as session:
        years = await queries.enforcement_statistics(session)
    return EnforcementStatistics.model_validate({"years": years})
