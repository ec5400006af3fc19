"""Use cases of navigation projects: load through the repository, apply the domain rules, persist,
and add the events to the outbox in the same session. Nothing here commits.

A use case whose result is shown with its deliverables returns the project and the deliverable
kinds it holds (`Shown`), so the route presents it without a query of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_date, district_today, utc_now
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import to_fen
from navigation.common import SOURCE, actor, record_contributions
from navigation.domain import indicators
from navigation.domain import project as rules
from navigation.enums import DeliverableKind, Phase, ProjectKind, ProjectMove, ProjectStatus
from navigation.models import Project, ProjectDeliverable, ProjectMilestone, ProjectStateChange
from navigation.projects import events, repository
from navigation.projects.schemas import (
    AcceptanceOpinionSubmit,
    DeliverableSubmit,
    MilestoneCreate,
    MilestoneUpdate,
    ProjectCreate,
    ProjectTransition,
    ProjectUpdate,
    ReportSubmit,
    SearchStrategySubmit,
    TechnologyDecompositionSubmit,
)

Shown = tuple[Project, set[str]]


async def load_project(
    session: AsyncSession, principal: Principal, project_id: str, *, for_update: bool = False
) -> Project:
    """A project the caller may see, or 404 (another organisation's project is not found)."""
    project = await repository.readable_project(session, principal, project_id, for_update=for_update)
    if project is None:
        raise NotFound(f"no project {project_id}")
    return project


async def _shown(session: AsyncSession, project: Project) -> Shown:
    kinds = await repository.deliverable_kinds(session, [project.id])
    return project, kinds[project.id]


def _record_move(
    session: AsyncSession,
    project: Project,
    principal: Principal,
    move: str,
    *,
    at: datetime,
    change: rules.StateChange | None = None,
    reason: str | None = None,
) -> None:
    """The history row of a move (of the proposal when there is no `change`), in the move's transaction."""
    proposed = ProjectStatus.PROPOSED.value
    session.add(
        ProjectStateChange(
            project_id=project.id,
            move=move,
            from_status=change.from_status.value if change else proposed,
            to_status=change.to_status.value if change else proposed,
            from_phase=change.from_phase.value if change and change.from_phase else None,
            to_phase=change.to_phase.value if change and change.to_phase else None,
            actor=actor(principal),
            reason=reason,
            at=at,
        )
    )


# --- reading -------------------------------------------------------------------------------------


async def list_projects(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None,
    status: str | None,
    industry: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Shown], int]:
    """A page of the projects the caller may see, each with its deliverable kinds, and the total."""
    rows, total = await repository.list_projects(
        session, principal, kind=kind, status=status, industry=industry, limit=limit, offset=offset
    )
    present = await repository.deliverable_kinds(session, [r.id for r in rows])
    return [(r, present[r.id]) for r in rows], total


async def get_project(session: AsyncSession, principal: Principal, project_id: str) -> Shown:
    """One project the caller may see, with its deliverable kinds."""
    return await _shown(session, await load_project(session, principal, project_id))


async def project_history(session: AsyncSession, principal: Principal, project_id: str) -> Sequence[ProjectStateChange]:
    """Every move of a project the caller may see, oldest first."""
    project = await load_project(session, principal, project_id)
    return await repository.history_of(session, project.id)


async def list_deliverables(
    session: AsyncSession, principal: Principal, project_id: str
) -> Sequence[ProjectDeliverable]:
    """The deliverables of a project the caller may see."""
    project = await load_project(session, principal, project_id)
    return await repository.deliverables_of(session, project.id)


async def list_milestones(session: AsyncSession, principal: Principal, project_id: str) -> Sequence[ProjectMilestone]:
    """The milestones of a project the caller may see, by due date."""
    project = await load_project(session, principal, project_id)
    return await repository.milestones_of(session, project.id)


async def list_public_projects(
    session: AsyncSession, *, kind: str | None, industry: str | None, limit: int, offset: int
) -> tuple[Sequence[Project], int]:
    """A page of accepted projects (what the public sees) and the total."""
    return await repository.list_accepted_projects(session, kind=kind, industry=industry, limit=limit, offset=offset)


async def get_public_project(session: AsyncSession, project_id: str) -> Project:
    """An accepted project, or 404 for any other (the public never learns it exists)."""
    project = await repository.accepted_project(session, project_id)
    if project is None:
        raise NotFound(f"no accepted project {project_id}")
    return project


# --- proposing and planning ----------------------------------------------------------------------


def _undertaking_org(principal: Principal, body: ProjectCreate) -> str:
    """The organisation that undertakes a new project: named by the office, the caller's own otherwise."""
    if principal.is_operator:
        if body.undertaking_org_id is None:
            raise RuleViolation(
                "the district office names the undertaking organisation", field="body.undertaking_org_id"
            )
        return body.undertaking_org_id
    assert principal.tenant_id is not None
    if body.undertaking_org_id not in (None, principal.tenant_id):
        raise Forbidden("an organisation proposes only projects it undertakes itself")
    return principal.tenant_id


async def create_project(session: AsyncSession, principal: Principal, body: ProjectCreate) -> Project:
    """Propose a project; an organisation proposes only its own."""
    rules.check_kind_open(body.kind)
    rules.check_plan(
        body.kind, body.start_date, body.planned_end_date, body.beneficiary_credit_code, body.beneficiary_name
    )
    org_id = _undertaking_org(principal, body)
    now = utc_now()
    project = Project(
        id=str(uuid.uuid4()),
        kind=body.kind.value,
        gbt_part=rules.GBT_PART[body.kind],
        title=body.title,
        industry=body.industry.value,
        undertaking_org_id=org_id,
        undertaking_org_name=body.undertaking_org_name,
        beneficiary_credit_code=body.beneficiary_credit_code,
        beneficiary_name=body.beneficiary_name,
        budget_fen=to_fen(body.budget),
        start_date=body.start_date,
        planned_end_date=body.planned_end_date,
        summary=body.summary,
        status=ProjectStatus.PROPOSED.value,
        phase=None,
        proposed_at=now,
        updated_at=now,
    )
    session.add(project)
    _record_move(session, project, principal, "propose", at=now)
    await session.flush()
    add_to_outbox(session, events.created(project, now), source=SOURCE, key=project.id)
    return project


async def update_project(session: AsyncSession, principal: Principal, project_id: str, body: ProjectUpdate) -> Shown:
    """Change a project's plan before it is decided; after approval only the office changes the budget."""
    project = await load_project(session, principal, project_id, for_update=True)
    rules.check_open(ProjectStatus(project.status))
    changes = body.model_dump(exclude_unset=True)
    if "budget" in changes and not principal.is_operator and project.status != ProjectStatus.PROPOSED.value:
        raise Forbidden("after approval only the district IP office changes a project's budget")
    for name, value in changes.items():
        if value is None:
            raise RuleViolation(f"{name} cannot be cleared", field=f"body.{name}")
        if name == "budget":
            project.budget_fen = to_fen(value)
        elif name == "industry":
            project.industry = value.value
        else:
            setattr(project, name, value)
    if project.planned_end_date < project.start_date:
        raise RuleViolation("planned_end_date is before start_date", field="body.planned_end_date")
    if project.beneficiary_name is None and project.kind == ProjectKind.ENTERPRISE_OPERATION.value:
        raise RuleViolation("an enterprise_operation project names its beneficiary", field="body.beneficiary_name")
    project.version += 1
    project.updated_at = utc_now()
    await session.flush()
    return await _shown(session, project)


# --- moving --------------------------------------------------------------------------------------


async def move_project(session: AsyncSession, principal: Principal, project_id: str, body: ProjectTransition) -> Shown:
    """Apply a move; phase gates refuse with 409 naming the missing deliverables. An accepted
    project counts toward its kind's indicator from its acceptance date, in the same transaction."""
    if body.accepted_on is not None and body.move is not ProjectMove.ACCEPT:
        raise RuleViolation("accepted_on is given with the accept move only", field="body.accepted_on")
    project = await load_project(session, principal, project_id, for_update=True)
    if body.expected_version is not None and body.expected_version != project.version:
        raise Conflict(
            f"the project changed (version {project.version}, expected {body.expected_version}); reload it",
            current_version=project.version,
        )
    present = (await repository.deliverable_kinds(session, [project.id]))[project.id]
    opinion = await repository.get_deliverable(session, project.id, DeliverableKind.ACCEPTANCE_OPINION.value)
    change = rules.transition(
        ProjectStatus(project.status),
        Phase(project.phase) if project.phase else None,
        body.move,
        by_operator=principal.is_operator,
        present={DeliverableKind(k) for k in present},
        opinion_passed=opinion.passed if opinion is not None else None,
    )
    now = utc_now()
    project.status = change.to_status.value
    project.phase = change.to_phase.value if change.to_phase else None
    if change.stamps is not None:
        setattr(project, change.stamps, now)
    if change.to_status is ProjectStatus.ACCEPTED:
        project.accepted_on = _acceptance_date(project, body, now)
    project.version += 1
    project.updated_at = now
    _record_move(session, project, principal, change.move.value, at=now, change=change, reason=body.reason)
    await session.flush()
    for announcement in change.announces:
        add_to_outbox(session, events.ANNOUNCERS[announcement](project, change, now), source=SOURCE, key=project.id)
    await record_contributions(session, _contributions(project), f"project: {change.move.value}")
    return project, present


def _acceptance_date(project: Project, body: ProjectTransition, now: datetime) -> date:
    """The date an accepted project counts from: the one given (history entered late), which cannot
    precede the project's start_date, or today (even when the planned start_date is later)."""
    if body.accepted_on is None:
        return district_date(now)
    if body.accepted_on < project.start_date:
        raise RuleViolation(
            f"the acceptance date {body.accepted_on} is before the project's start_date {project.start_date}",
            field="body.accepted_on",
        )
    return body.accepted_on


def _contributions(project: Project) -> list[indicators.Contribution]:
    """What the project contributes to the plan's figures (domain.indicators)."""
    return indicators.project_contributions(
        project.id, ProjectKind(project.kind), ProjectStatus(project.status), project.accepted_on, district_today()
    )


async def recount_projects(session: AsyncSession) -> int:
    """Write every project's contributions again through the counting rules (the ledger announces
    only what changed); returns how many changed."""
    changed = 0
    for project in await repository.all_projects(session):
        changed += await record_contributions(session, _contributions(project), "recount")
    return changed


# --- deliverables and milestones -----------------------------------------------------------------


def _deliverable_fields(body: DeliverableSubmit) -> dict[str, object]:
    if isinstance(body, TechnologyDecompositionSubmit):
        return {"content": {"rows": [r.model_dump() for r in body.rows]}, "document_ref": body.document_ref}
    if isinstance(body, SearchStrategySubmit):
        return {
            "content": {"databases": body.databases, "queries": body.queries},
            "cut_off_date": body.cut_off_date,
            "document_ref": body.document_ref,
        }
    if isinstance(body, ReportSubmit):
        return {"content": {"abstract": body.abstract}, "document_ref": body.document_ref}
    assert isinstance(body, AcceptanceOpinionSubmit)
    return {
        "content": {"opinion": body.opinion, "experts": body.experts, "opinion_date": body.opinion_date.isoformat()},
        "passed": body.passed,
        "document_ref": body.document_ref,
    }


async def put_deliverable(
    session: AsyncSession,
    project: Project,
    principal: Principal,
    kind: DeliverableKind,
    title: str,
    fields: dict[str, object],
) -> ProjectDeliverable:
    """Create or replace (new revision) a project's deliverable of one kind."""
    rules.check_takes_work(ProjectStatus(project.status), "deliverables are submitted")
    now = utc_now()
    row = await repository.get_deliverable(session, project.id, kind.value)
    if row is None:
        row = ProjectDeliverable(
            project_id=project.id, kind=kind.value, title=title, submitted_by=actor(principal), submitted_at=now
        )
        session.add(row)
    else:
        row.revision += 1
        row.content, row.document_ref, row.cut_off_date, row.passed, row.dataset_id = {}, None, None, None, None
    row.title = title
    for name, value in fields.items():
        setattr(row, name, value)
    row.submitted_by = actor(principal)
    row.submitted_at = now
    project.version += 1
    project.updated_at = now
    await session.flush()
    return row


async def submit_deliverable(
    session: AsyncSession, principal: Principal, project_id: str, body: DeliverableSubmit
) -> ProjectDeliverable:
    """Record a deliverable; the acceptance opinion is the district office's to record."""
    project = await load_project(session, principal, project_id, for_update=True)
    if isinstance(body, AcceptanceOpinionSubmit) and not principal.is_operator:
        raise Forbidden("the acceptance opinion is recorded by the district IP office")
    return await put_deliverable(
        session, project, principal, DeliverableKind(body.kind), body.title, _deliverable_fields(body)
    )


async def add_milestone(
    session: AsyncSession, principal: Principal, project_id: str, body: MilestoneCreate
) -> ProjectMilestone:
    """Add a dated milestone to a project's plan."""
    project = await load_project(session, principal, project_id, for_update=True)
    rules.check_open(ProjectStatus(project.status))
    milestone = ProjectMilestone(
        id=uuid.uuid4().hex,
        project_id=project.id,
        phase=body.phase.value,
        title=body.title,
        due_date=body.due_date,
        created_at=utc_now(),
    )
    session.add(milestone)
    await session.flush()
    return milestone


async def update_milestone(
    session: AsyncSession, principal: Principal, project_id: str, milestone_id: str, body: MilestoneUpdate
) -> ProjectMilestone:
    """Mark a milestone done or move its due date."""
    project = await load_project(session, principal, project_id, for_update=True)
    rules.check_open(ProjectStatus(project.status))
    milestone = await repository.get_milestone(session, project.id, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id} on project {project_id}")
    if body.due_date is not None:
        milestone.due_date = body.due_date
    if body.done_date is not None:
        milestone.done_date = body.done_date
    await session.flush()
    return milestone
