"""Routes of navigation projects, their history, deliverables and milestones, and the public view
of accepted projects: parse, authorise, open the transaction, call a use case, present.

Every write an undertaking organisation can make takes an `Idempotency-Key`. An organisation reads
and changes only its own projects (another's is 404); `/public/...` needs no token and shows
accepted projects only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from navigation.common import PREFIX, PUBLIC_PREFIX
from navigation.enums import Industry, ProjectKind, ProjectStatus
from navigation.projects import service
from navigation.projects.schemas import (
    DeliverableList,
    DeliverablePublic,
    DeliverableSubmit,
    MilestoneCreate,
    MilestoneList,
    MilestonePublic,
    MilestoneUpdate,
    ProjectCreate,
    ProjectPage,
    ProjectPublic,
    ProjectTransition,
    ProjectUpdate,
    PublicProjectPage,
    PublicProjectSummary,
    StateChangePublic,
    deliverable_public,
    milestone_public,
    project_public,
    state_change_public,
    summary_public,
)

router = APIRouter(prefix=PREFIX, tags=["navigation"])
public_router = APIRouter(prefix=PUBLIC_PREFIX, tags=["public"])


@router.post("/projects", status_code=201, response_model=ProjectPublic)
async def create_project(
    body: ProjectCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Propose a navigation project (industry planning, GB/T 39551.3, or enterprise operation,
    GB/T 39551.4). An organisation proposes its own; the district office names the organisation."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project = await service.create_project(session, principal, body)
        return 201, project_public(project, ())

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects", response_model=ProjectPage)
async def list_projects(
    principal: AgencyOrOperator,
    runtime: Runtime,
    kind: ProjectKind | None = None,
    status: ProjectStatus | None = None,
    industry: Industry | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ProjectPage:
    """Projects, newest first: all for the district office, its own for an organisation."""
    async with runtime.sessionmaker() as session:
        shown, total = await service.list_projects(
            session, principal, kind=kind, status=status, industry=industry, limit=limit, offset=offset
        )
    return ProjectPage(items=[project_public(p, present) for p, present in shown], total=total)


@router.get("/projects/{project_id}", response_model=ProjectPublic)
async def get_project(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> ProjectPublic:
    """One project, its deliverables present and what its current gate still needs."""
    async with runtime.sessionmaker() as session:
        project, present = await service.get_project(session, principal, project_id)
        return project_public(project, present)


@router.patch("/projects/{project_id}", response_model=ProjectPublic)
async def update_project(
    project_id: str,
    body: ProjectUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Change a project's plan before it is accepted or rejected."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project, present = await service.update_project(session, principal, project_id, body)
        return 200, project_public(project, present)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post(
    "/projects/{project_id}/transitions",
    response_model=ProjectPublic,
    responses={409: {"description": "illegal move: `allowed_moves`; a closed gate also lists `missing`"}},
)
async def move_project(
    project_id: str,
    body: ProjectTransition,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Move a project: `approve`, `reject`, `return_for_rework` and `accept` are the district
    office's; `complete_phase` closes the current phase (preparation → retrieval → analysis →
    review) once its deliverables are present, else 409 with `missing`."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project, present = await service.move_project(session, principal, project_id, body)
        return 200, project_public(project, present)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/history", response_model=list[StateChangePublic])
async def project_history(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> list[StateChangePublic]:
    """Every move of a project, oldest first."""
    async with runtime.sessionmaker() as session:
        rows = await service.project_history(session, principal, project_id)
    return [state_change_public(r) for r in rows]


# --- deliverables --------------------------------------------------------------------------------


@router.post("/projects/{project_id}/deliverables", status_code=201, response_model=DeliverablePublic)
async def submit_deliverable(
    project_id: str,
    body: DeliverableSubmit,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Submit (or resubmit, as a new revision) a deliverable: `technology_decomposition`,
    `search_strategy` (with its cut-off date), `report`, or `acceptance_opinion` (district office
    only). The data-set snapshot is recorded by uploading a data set."""

    async def work(session: AsyncSession) -> tuple[int, DeliverablePublic]:
        row = await service.submit_deliverable(session, principal, project_id, body)
        return 201, deliverable_public(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/deliverables", response_model=DeliverableList)
async def list_deliverables(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DeliverableList:
    """The deliverables of a project."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_deliverables(session, principal, project_id)
    return DeliverableList(items=[deliverable_public(r) for r in rows])


# --- milestones ----------------------------------------------------------------------------------


@router.post("/projects/{project_id}/milestones", status_code=201, response_model=MilestonePublic)
async def add_milestone(
    project_id: str,
    body: MilestoneCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Add a dated milestone to a project's plan."""

    async def work(session: AsyncSession) -> tuple[int, MilestonePublic]:
        milestone = await service.add_milestone(session, principal, project_id, body)
        return 201, milestone_public(milestone)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/projects/{project_id}/milestones/{milestone_id}", response_model=MilestonePublic)
async def update_milestone(
    project_id: str,
    milestone_id: str,
    body: MilestoneUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Mark a milestone done (`done_date`) or move its due date."""

    async def work(session: AsyncSession) -> tuple[int, MilestonePublic]:
        milestone = await service.update_milestone(session, principal, project_id, milestone_id, body)
        return 200, milestone_public(milestone)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/milestones", response_model=MilestoneList)
async def list_milestones(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> MilestoneList:
    """A project's milestones by due date, overdue ones flagged."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_milestones(session, principal, project_id)
    return MilestoneList(items=[milestone_public(r) for r in rows])


# --- public --------------------------------------------------------------------------------------


@public_router.get("/projects", response_model=PublicProjectPage)
async def list_public_projects(
    runtime: Runtime,
    kind: ProjectKind | None = None,
    industry: Industry | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PublicProjectPage:
    """Accepted navigation projects (no token needed): summaries only."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_public_projects(
            session, kind=kind, industry=industry, limit=limit, offset=offset
        )
    return PublicProjectPage(items=[summary_public(r) for r in rows], total=total)


@public_router.get("/projects/{project_id}", response_model=PublicProjectSummary)
async def get_public_project(project_id: str, runtime: Runtime) -> PublicProjectSummary:
    """The summary of one accepted project (404 for any project not accepted)."""
    async with runtime.sessionmaker() as session:
        project = await service.get_public_project(session, project_id)
    return summary_public(project)
