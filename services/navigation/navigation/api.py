"""Navigation routes under /api/v1/navigation: parse, authorise, open the transaction, call a use case.

Every write an undertaking organisation can make takes an `Idempotency-Key`. An organisation reads
and changes only its own projects (another's is 404); `/public/...` needs no token and shows
accepted projects only.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator
from ipops.errors import NotFound
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.money import format_yuan
from ipops.runtime import Runtime
from navigation import repository, service
from navigation.domain import project as rules
from navigation.enums import DeliverableKind, Industry, Phase, ProjectKind, ProjectStatus
from navigation.models import Project, ProjectMilestone
from navigation.schemas import (
    DeliverableList,
    DeliverablePublic,
    DeliverableSubmit,
    GatePublic,
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
)

PREFIX = "/api/v1/navigation"
router = APIRouter(prefix=PREFIX, tags=["navigation"])
public_router = APIRouter(prefix=f"{PREFIX}/public", tags=["public"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def project_public(project: Project, present: Collection[str]) -> ProjectPublic:
    """The public form of a project with its deliverables and open gate."""
    kinds = [k for k in DeliverableKind if k.value in present]
    gate = None
    if project.phase is not None and project.status in (ProjectStatus.IN_PROGRESS, ProjectStatus.UNDER_REVIEW):
        phase = Phase(project.phase)
        gate = GatePublic(phase=phase, missing=rules.missing_deliverables(phase, kinds))
    return ProjectPublic(
        id=project.id,
        kind=ProjectKind(project.kind),
        gbt_part=project.gbt_part,
        title=project.title,
        industry=Industry(project.industry),
        undertaking_org_id=project.undertaking_org_id,
        undertaking_org_name=project.undertaking_org_name,
        beneficiary_credit_code=project.beneficiary_credit_code,
        beneficiary_name=project.beneficiary_name,
        budget=format_yuan(project.budget_fen),
        start_date=project.start_date,
        planned_end_date=project.planned_end_date,
        summary=project.summary,
        status=ProjectStatus(project.status),
        phase=Phase(project.phase) if project.phase else None,
        version=project.version,
        deliverables=kinds,
        gate=gate,
        proposed_at=project.proposed_at,
        approved_at=project.approved_at,
        under_review_at=project.under_review_at,
        accepted_at=project.accepted_at,
        rejected_at=project.rejected_at,
        updated_at=project.updated_at,
    )


async def _present(session: AsyncSession, project: Project) -> ProjectPublic:
    kinds = await repository.deliverable_kinds(session, [project.id])
    return project_public(project, kinds[project.id])


def milestone_public(milestone: ProjectMilestone) -> MilestonePublic:
    """A milestone with its overdue flag (as of today in UTC)."""
    assert milestone.id is not None
    return MilestonePublic(
        id=milestone.id,
        phase=Phase(milestone.phase),
        title=milestone.title,
        due_date=milestone.due_date,
        done_date=milestone.done_date,
        overdue=service.is_overdue(milestone, datetime.now(UTC).date()),
    )


def summary_public(project: Project) -> PublicProjectSummary:
    """What the public sees of an accepted project."""
    assert project.accepted_at is not None
    return PublicProjectSummary(
        id=project.id,
        kind=ProjectKind(project.kind),
        gbt_part=project.gbt_part,
        title=project.title,
        industry=Industry(project.industry),
        undertaking_org_name=project.undertaking_org_name,
        beneficiary_name=project.beneficiary_name,
        summary=project.summary,
        accepted_at=project.accepted_at,
    )


# --- projects ------------------------------------------------------------------------------------


@router.post("/projects", status_code=201, response_model=ProjectPublic)
async def create_project(
    body: ProjectCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
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
        rows, total = await repository.list_projects(
            session, principal, kind=kind, status=status, industry=industry, limit=limit, offset=offset
        )
        present = await repository.deliverable_kinds(session, [r.id for r in rows])
    return ProjectPage(items=[project_public(r, present[r.id]) for r in rows], total=total)


@router.get("/projects/{project_id}", response_model=ProjectPublic)
async def get_project(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> ProjectPublic:
    """One project, its deliverables present and what its current gate still needs."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        return await _present(session, project)


@router.patch("/projects/{project_id}", response_model=ProjectPublic)
async def update_project(
    project_id: str,
    body: ProjectUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Change a project's plan before it is accepted or rejected."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project = await service.update_project(session, principal, project_id, body)
        return 200, await _present(session, project)

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
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Move a project: `approve`, `reject`, `return_for_rework` and `accept` are the district
    office's; `complete_phase` closes the current phase (preparation → retrieval → analysis →
    review) once its deliverables are present, else 409 with `missing`."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project = await service.move_project(session, principal, project_id, body)
        return 200, await _present(session, project)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/history", response_model=list[StateChangePublic])
async def project_history(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> list[StateChangePublic]:
    """Every move of a project, oldest first."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        rows = await repository.history_of(session, project.id)
    return [StateChangePublic.model_validate(r) for r in rows]


# --- deliverables --------------------------------------------------------------------------------


@router.post("/projects/{project_id}/deliverables", status_code=201, response_model=DeliverablePublic)
async def submit_deliverable(
    project_id: str,
    body: DeliverableSubmit,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Submit (or resubmit, as a new revision) a deliverable: `technology_decomposition`,
    `search_strategy` (with its cut-off date), `report`, or `acceptance_opinion` (district office
    only). The data-set snapshot is recorded by uploading a data set."""

    async def work(session: AsyncSession) -> tuple[int, DeliverablePublic]:
        row = await service.submit_deliverable(session, principal, project_id, body)
        return 201, DeliverablePublic.model_validate(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/deliverables", response_model=DeliverableList)
async def list_deliverables(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DeliverableList:
    """The deliverables of a project."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        rows = await repository.deliverables_of(session, project.id)
    return DeliverableList(items=[DeliverablePublic.model_validate(r) for r in rows])


# --- milestones ----------------------------------------------------------------------------------


@router.post("/projects/{project_id}/milestones", status_code=201, response_model=MilestonePublic)
async def add_milestone(
    project_id: str,
    body: MilestoneCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Add a dated milestone to a project's plan."""

    async def work(session: AsyncSession) -> tuple[int, MilestonePublic]:
        milestone = await service.add_milestone(session, principal, project_id, body)
        return 201, milestone_public(milestone)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/projects/{project_id}/milestones/{milestone_id}", response_model=MilestonePublic)
async def update_milestone(
    project_id: str,
    milestone_id: int,
    body: MilestoneUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
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
        project = await service.load_project(session, principal, project_id)
        rows = await repository.milestones_of(session, project.id)
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
        rows, total = await repository.list_accepted_projects(
            session, kind=kind, industry=industry, limit=limit, offset=offset
        )
    return PublicProjectPage(items=[summary_public(r) for r in rows], total=total)


@public_router.get("/projects/{project_id}", response_model=PublicProjectSummary)
async def get_public_project(project_id: str, runtime: Runtime) -> PublicProjectSummary:
    """The summary of one accepted project (404 for any project not accepted)."""
    async with runtime.sessionmaker() as session:
        project = await repository.accepted_project(session, project_id)
    if project is None:
        raise NotFound(f"no accepted project {project_id}")
    return summary_public(project)
