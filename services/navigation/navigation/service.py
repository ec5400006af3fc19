"""Use cases of the navigation service: load through the repository, apply the domain rules,
persist, and add the events to the outbox in the same session. Nothing here commits."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.contracts.navigation import (
    PhaseCompletedV1,
    ProjectAcceptedV1,
    ProjectApprovedV1,
    ProjectCreatedV1,
)
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from navigation import repository
from navigation.domain import project as rules
from navigation.enums import DeliverableKind, ProjectKind, ProjectMove, ProjectStatus
from navigation.models import Project, ProjectDeliverable, ProjectMilestone, ProjectStateChange
from navigation.schemas import (
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

SOURCE = "/ipops/navigation"
DECIDED = frozenset({ProjectStatus.ACCEPTED.value, ProjectStatus.REJECTED.value})


def _actor(principal: Principal) -> str:
    return f"{principal.role.value}:{principal.tenant_id or principal.subject}"


async def load_project(
    session: AsyncSession, principal: Principal, project_id: str, *, for_update: bool = False
) -> Project:
    """A project the caller may see, or 404 (another organisation's project is not found)."""
    project = await repository.readable_project(session, principal, project_id, for_update=for_update)
    if project is None:
        raise NotFound(f"no project {project_id}")
    return project


def _refuse_if_decided(project: Project) -> None:
    if project.status in DECIDED:
        raise Conflict(f"the project is {project.status}; it no longer changes", allowed_moves=[])


# --- projects ------------------------------------------------------------------------------------


async def create_project(session: AsyncSession, principal: Principal, body: ProjectCreate) -> Project:
    """Propose a project; an organisation proposes only its own."""
    rules.check_kind_open(body.kind)
    if principal.is_operator:
        if body.undertaking_org_id is None:
            raise RuleViolation(
                "the district office names the undertaking organisation", field="body.undertaking_org_id"
            )
        org_id = body.undertaking_org_id
    else:
        assert principal.tenant_id is not None
        if body.undertaking_org_id not in (None, principal.tenant_id):
            raise Forbidden("an organisation proposes only projects it undertakes itself")
        org_id = principal.tenant_id
    now = datetime.now(UTC)
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
    session.add(
        ProjectStateChange(
            project_id=project.id,
            move="propose",
            from_status=ProjectStatus.PROPOSED.value,
            to_status=ProjectStatus.PROPOSED.value,
            actor=_actor(principal),
            at=now,
        )
    )
    await session.flush()
    add_to_outbox(
        session,
        ProjectCreatedV1(
            project_id=project.id,
            kind=project.kind,
            gbt_part=project.gbt_part,
            title=project.title,
            industry=project.industry,
            undertaking_org=org_id,
            undertaking_org_name=project.undertaking_org_name,
            beneficiary_credit_code=project.beneficiary_credit_code,
            budget=format_yuan(project.budget_fen),
            created_at=now,
        ),
        source=SOURCE,
        key=project.id,
    )
    return project


async def update_project(session: AsyncSession, principal: Principal, project_id: str, body: ProjectUpdate) -> Project:
    """Change a project's plan before it is decided; after approval only the office changes the budget."""
    project = await load_project(session, principal, project_id, for_update=True)
    _refuse_if_decided(project)
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
    project.updated_at = datetime.now(UTC)
    await session.flush()
    return project


async def move_project(
    session: AsyncSession, principal: Principal, project_id: str, body: ProjectTransition
) -> Project:
    """Apply a move; phase gates refuse with 409 naming the missing deliverables."""
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
        rules.Phase(project.phase) if project.phase else None,
        body.move,
        by_operator=principal.is_operator,
        present={DeliverableKind(k) for k in present},
        opinion_passed=opinion.passed if opinion is not None else None,
    )
    now = datetime.now(UTC)
    project.status = change.to_status.value
    project.phase = change.to_phase.value if change.to_phase else None
    if change.move is ProjectMove.APPROVE:
        project.approved_at = now
    elif change.to_status is ProjectStatus.UNDER_REVIEW:
        project.under_review_at = now
    elif change.to_status is ProjectStatus.ACCEPTED:
        project.accepted_at = now
    elif change.to_status is ProjectStatus.REJECTED:
        project.rejected_at = now
    project.version += 1
    project.updated_at = now
    session.add(
        ProjectStateChange(
            project_id=project.id,
            move=change.move.value,
            from_status=change.from_status.value,
            to_status=change.to_status.value,
            from_phase=change.from_phase.value if change.from_phase else None,
            to_phase=change.to_phase.value if change.to_phase else None,
            actor=_actor(principal),
            reason=body.reason,
            at=now,
        )
    )
    await session.flush()
    _announce(session, project, change, now)
    return project


def _announce(session: AsyncSession, project: Project, change: rules.StateChange, now: datetime) -> None:
    if change.move is ProjectMove.APPROVE:
        add_to_outbox(
            session,
            ProjectApprovedV1(
                project_id=project.id,
                kind=project.kind,
                undertaking_org=project.undertaking_org_id,
                beneficiary_credit_code=project.beneficiary_credit_code,
                approved_at=now,
            ),
            source=SOURCE,
            key=project.id,
        )
    if change.completed_phase is not None:
        add_to_outbox(
            session,
            PhaseCompletedV1(
                project_id=project.id,
                kind=project.kind,
                undertaking_org=project.undertaking_org_id,
                completed_phase=change.completed_phase.value,
                next_phase=None if change.to_status is ProjectStatus.ACCEPTED else project.phase,
                completed_at=now,
            ),
            source=SOURCE,
            key=project.id,
        )
    if change.to_status is ProjectStatus.ACCEPTED:
        add_to_outbox(
            session,
            ProjectAcceptedV1(
                project_id=project.id,
                kind=project.kind,
                title=project.title,
                industry=project.industry,
                undertaking_org=project.undertaking_org_id,
                beneficiary_credit_code=project.beneficiary_credit_code,
                accepted_at=now,
                gbt_part=project.gbt_part,
                undertaking_org_name=project.undertaking_org_name,
                beneficiary_name=project.beneficiary_name,
                summary=project.summary,
            ),
            source=SOURCE,
            key=project.id,
        )


# --- deliverables --------------------------------------------------------------------------------


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
    _refuse_if_decided(project)
    if project.status == ProjectStatus.PROPOSED.value:
        raise Conflict("deliverables are submitted once the project is approved", allowed_moves=["approve", "reject"])
    now = datetime.now(UTC)
    row = await repository.get_deliverable(session, project.id, kind.value)
    if row is None:
        row = ProjectDeliverable(
            project_id=project.id, kind=kind.value, title=title, submitted_by=_actor(principal), submitted_at=now
        )
        session.add(row)
    else:
        row.revision += 1
        row.content, row.document_ref, row.cut_off_date, row.passed, row.dataset_id = {}, None, None, None, None
    row.title = title
    for name, value in fields.items():
        setattr(row, name, value)
    row.submitted_by = _actor(principal)
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


# --- milestones ----------------------------------------------------------------------------------


async def add_milestone(
    session: AsyncSession, principal: Principal, project_id: str, body: MilestoneCreate
) -> ProjectMilestone:
    """Add a dated milestone to a project's plan."""
    project = await load_project(session, principal, project_id, for_update=True)
    _refuse_if_decided(project)
    milestone = ProjectMilestone(
        project_id=project.id,
        phase=body.phase.value,
        title=body.title,
        due_date=body.due_date,
        created_at=datetime.now(UTC),
    )
    session.add(milestone)
    await session.flush()
    return milestone


async def update_milestone(
    session: AsyncSession, principal: Principal, project_id: str, milestone_id: int, body: MilestoneUpdate
) -> ProjectMilestone:
    """Mark a milestone done or move its due date."""
    project = await load_project(session, principal, project_id, for_update=True)
    _refuse_if_decided(project)
    milestone = await repository.get_milestone(session, project.id, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id} on project {project_id}")
    if body.due_date is not None:
        milestone.due_date = body.due_date
    if body.done_date is not None:
        milestone.done_date = body.done_date
    await session.flush()
    return milestone


def is_overdue(milestone: ProjectMilestone, today: date) -> bool:
    """True when the milestone's due date passed and it is not done."""
    return milestone.done_date is None and milestone.due_date < today
