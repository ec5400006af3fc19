"""Use cases of the navigation service: load through the repository, apply the domain rules,
persist, and add the events to the outbox in the same session. Nothing here commits."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.contracts.navigation import (
    PhaseCompletedV1,
    PortfolioQualifiedV1,
    ProjectAcceptedV1,
    ProjectApprovedV1,
    ProjectCreatedV1,
)
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.identifiers import patent_type
from ipops.money import format_yuan, to_fen
from navigation import repository
from navigation.domain import portfolio as portfolio_rules
from navigation.domain import project as rules
from navigation.domain import targets
from navigation.enums import DeliverableKind, ProjectKind, ProjectMove, ProjectStatus
from navigation.models import (
    Dataset,
    DistrictEnterprise,
    Portfolio,
    PortfolioPatent,
    Project,
    ProjectDeliverable,
    ProjectMilestone,
    ProjectStateChange,
)
from navigation.schemas import (
    AcceptanceOpinionSubmit,
    DeliverableSubmit,
    DistrictEnterpriseUpsert,
    KindProgress,
    MilestoneCreate,
    MilestoneUpdate,
    NavigationStatistics,
    PortfolioCreate,
    PortfolioProgress,
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


# --- data sets -----------------------------------------------------------------------------------


def check_project_takes_data(project: Project) -> None:
    """A data set belongs to an approved project still being worked on."""
    _refuse_if_decided(project)
    if project.status == ProjectStatus.PROPOSED.value:
        raise Conflict("a data set is uploaded once the project is approved", allowed_moves=["approve", "reject"])


async def record_dataset(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    *,
    dataset_id: str,
    fmt: str,
    filename: str | None,
    stored_name: str,
    size_bytes: int,
    sha256: str,
    landscape: dict[str, Any],
    analysis_ms: int,
) -> Dataset:
    """Keep an analysed data set and record it as the project's data-set snapshot deliverable."""
    project = await load_project(session, principal, project_id, for_update=True)
    check_project_takes_data(project)
    now = datetime.now(UTC)
    dataset = Dataset(
        id=dataset_id,
        project_id=project.id,
        format=fmt,
        filename=filename,
        stored_name=stored_name,
        size_bytes=size_bytes,
        sha256=sha256,
        record_count=landscape["records"],
        application_count=landscape["applications"],
        landscape=landscape,
        analysis_ms=analysis_ms,
        uploaded_by=_actor(principal),
        uploaded_at=now,
    )
    session.add(dataset)
    await session.flush()
    strategy = await repository.get_deliverable(session, project.id, DeliverableKind.SEARCH_STRATEGY.value)
    await put_deliverable(
        session,
        project,
        principal,
        DeliverableKind.DATASET_SNAPSHOT,
        filename or f"data set {dataset_id}",
        {
            "content": {
                "sha256": sha256,
                "records": landscape["records"],
                "applications": landscape["applications"],
                "format": fmt,
                "size_bytes": size_bytes,
                "search_cut_off_date": strategy.cut_off_date.isoformat()
                if strategy is not None and strategy.cut_off_date is not None
                else None,
            },
            "dataset_id": dataset_id,
        },
    )
    return dataset


async def upsert_district_enterprise(
    session: AsyncSession, credit_code: str, body: DistrictEnterpriseUpsert
) -> DistrictEnterprise:
    """Add or change a district enterprise (its names mark "the district's own" applicants)."""
    row = await session.get(DistrictEnterprise, credit_code, with_for_update=True)
    now = datetime.now(UTC)
    if row is None:
        row = DistrictEnterprise(credit_code=credit_code, name=body.name, aliases=body.aliases, updated_at=now)
        session.add(row)
    else:
        row.name, row.aliases, row.updated_at = body.name, list(body.aliases), now
    await session.flush()
    return row


# --- portfolios ----------------------------------------------------------------------------------


async def _replace_patents(session: AsyncSession, portfolio: Portfolio, patents: list[Any]) -> None:
    await repository.delete_portfolio_patents(session, portfolio.id)
    seen: dict[str, PortfolioPatent] = {}
    for patent in patents:
        number = patent.application_number
        kind = patent_type(number)
        assert kind is not None  # PatentNumber validated the type digit
        if number in seen:  # listed twice: one patent, PCT if either line says so
            seen[number].pct = seen[number].pct or patent.pct
            continue
        seen[number] = PortfolioPatent(
            portfolio_id=portfolio.id,
            application_number=number,
            patent_type=kind.value,
            pct=patent.pct,
            pct_application_number=patent.pct_application_number,
        )
    session.add_all(seen.values())
    assessment = portfolio_rules.assess(
        portfolio_rules.Holding(p.application_number, p.patent_type, p.pct) for p in seen.values()
    )
    now = datetime.now(UTC)
    portfolio.patent_count = assessment.patent_count
    portfolio.invention_count = assessment.invention_count
    portfolio.pct_count = assessment.pct_count
    portfolio.qualified = assessment.qualified
    portfolio.updated_at = now
    if assessment.qualified and portfolio.first_qualified_at is None:
        portfolio.first_qualified_at = now
        add_to_outbox(
            session,
            PortfolioQualifiedV1(
                portfolio_id=portfolio.id,
                credit_code=portfolio.credit_code,
                enterprise_name=portfolio.enterprise_name,
                name=portfolio.name,
                invention_count=assessment.invention_count,
                pct_count=assessment.pct_count,
                project_id=portfolio.project_id,
                qualified_on=now.date(),
                qualified_at=now,
            ),
            source=SOURCE,
            key=portfolio.credit_code,
        )
    await session.flush()


async def create_portfolio(session: AsyncSession, principal: Principal, body: PortfolioCreate) -> Portfolio:
    """Register a portfolio; an organisation may link it only to a project of its own."""
    if body.project_id is not None:
        await load_project(session, principal, body.project_id)
    now = datetime.now(UTC)
    portfolio = Portfolio(
        id=str(uuid.uuid4()),
        credit_code=body.credit_code,
        enterprise_name=body.enterprise_name,
        name=body.name,
        project_id=body.project_id,
        owner_org_id=None if principal.is_operator else principal.tenant_id,
        created_at=now,
        updated_at=now,
    )
    session.add(portfolio)
    await session.flush()
    await _replace_patents(session, portfolio, list(body.patents))
    return portfolio


async def replace_portfolio_patents(
    session: AsyncSession, principal: Principal, portfolio_id: str, patents: list[Any]
) -> Portfolio:
    """Replace a portfolio's patent list and check it again."""
    portfolio = await repository.readable_portfolio(session, principal, portfolio_id, for_update=True)
    if portfolio is None:
        raise NotFound(f"no portfolio {portfolio_id}")
    await _replace_patents(session, portfolio, patents)
    portfolio.version += 1
    return portfolio


# --- statistics ----------------------------------------------------------------------------------


async def statistics(session: AsyncSession) -> NavigationStatistics:
    """Projects by kind and status against 15 and 45; qualified portfolios against 20."""
    counts = await repository.project_counts(session)
    kinds = []
    for kind, target in targets.PROJECT_TARGETS.items():
        by_status = {status: 0 for status in ProjectStatus}
        for k, status, n in counts:
            if k == kind:
                by_status[ProjectStatus(status)] += n
        accepted = by_status[ProjectStatus.ACCEPTED]
        kinds.append(
            KindProgress(
                kind=ProjectKind(kind),
                target=target,
                accepted=accepted,
                in_pipeline=by_status[ProjectStatus.IN_PROGRESS] + by_status[ProjectStatus.UNDER_REVIEW],
                by_status=by_status,
                progress=targets.progress(accepted, target),
            )
        )
    registered, qualified = await repository.portfolio_counts(session)
    return NavigationStatistics(
        projects=kinds,
        portfolios=PortfolioProgress(
            target=targets.PORTFOLIO_TARGET,
            qualified=qualified,
            registered=registered,
            progress=targets.progress(qualified, targets.PORTFOLIO_TARGET),
        ),
    )
