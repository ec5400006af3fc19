"""The HTTP contract of navigation projects (with their deliverables, milestones and history) and
the presenters that turn their rows into it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool
from pydantic.json_schema import SkipJsonSchema

from ipops.clock import district_today
from ipops.fields import BoundedDate, CreditCode, Yuan
from ipops.money import format_yuan
from navigation.common import BusinessDate, Name200, Text300, Version
from navigation.domain import project as rules
from navigation.enums import DeliverableKind, Industry, Phase, ProjectKind, ProjectMove, ProjectStatus
from navigation.models import Project, ProjectDeliverable, ProjectMilestone, ProjectStateChange


class ProjectCreate(BaseModel):
    """Propose a navigation project. An undertaking organisation proposes its own (its token's
    agency id); the district office names the organisation."""

    kind: ProjectKind = Field(description="GB/T 39551 part 3 or 4; regional/rnd/talent are reserved")
    title: Text300
    industry: Industry
    undertaking_org_id: str | None = Field(
        default=None, min_length=2, max_length=64, description="the agency id; required from operators"
    )
    undertaking_org_name: Name200
    beneficiary_credit_code: CreditCode | None = Field(
        default=None,
        description="the enterprise an enterprise-operation project serves: required with its name for that kind, "
        "absent for industry_planning (rules across fields, refused as `rule-violation`)",
    )
    beneficiary_name: Name200 | None = None
    budget: Yuan
    start_date: BoundedDate
    planned_end_date: BoundedDate = Field(description="not before start_date (a rule: `rule-violation`)")
    summary: str = Field(default="", max_length=5000)


def _no_null_defaults(schema: dict[str, Any]) -> None:
    # A field left out is kept: its Python default (None) is no value a client may send.
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class ProjectUpdate(BaseModel):
    """Change a project's plan while it is not yet decided; every field optional, none cleared: a
    field left out is kept, and `null` is not a value of any (the schema does not allow it; sent,
    it is refused naming the field)."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    title: Text300 | SkipJsonSchema[None] = None
    industry: Industry | SkipJsonSchema[None] = None
    undertaking_org_name: Name200 | SkipJsonSchema[None] = None
    beneficiary_name: Name200 | SkipJsonSchema[None] = None
    budget: Yuan | SkipJsonSchema[None] = None
    start_date: BoundedDate | SkipJsonSchema[None] = None
    planned_end_date: BoundedDate | SkipJsonSchema[None] = None
    summary: Annotated[str, Field(max_length=5000)] | SkipJsonSchema[None] = None


class GatePublic(BaseModel):
    """What the current phase still needs before the project can move on."""

    phase: Phase
    missing: list[DeliverableKind]


class ProjectPublic(BaseModel):
    """A navigation project as its organisation and the district office see it."""

    id: str
    kind: ProjectKind
    gbt_part: int
    title: str
    industry: Industry
    undertaking_org_id: str
    undertaking_org_name: str
    beneficiary_credit_code: str | None
    beneficiary_name: str | None
    budget: str = Field(description="yuan, two decimals")
    start_date: date
    planned_end_date: date
    summary: str
    status: ProjectStatus
    phase: Phase | None
    version: int
    deliverables: list[DeliverableKind] = Field(description="deliverables present")
    gate: GatePublic | None = Field(description="the open gate of the current phase, if any")
    proposed_at: datetime
    approved_at: datetime | None
    under_review_at: datetime | None
    accepted_at: datetime | None
    accepted_on: date | None = Field(description="the acceptance date (Beijing): the project counts from it")
    rejected_at: datetime | None
    updated_at: datetime


class ProjectPage(BaseModel):
    """A page of projects."""

    items: list[ProjectPublic]
    total: int


class ProjectTransition(BaseModel):
    """A move: approve, complete_phase, accept, return_for_rework or reject."""

    move: ProjectMove
    reason: str | None = Field(default=None, max_length=2000)
    expected_version: Version | None = Field(
        default=None, description="refuse the move (409) when the project changed since this version"
    )
    accepted_on: BusinessDate | None = Field(
        default=None,
        description="accept only: the acceptance date (验收日期, Beijing) when the acceptance is entered "
        "late; the project counts toward the plan from it. Default today; not before the project's start_date",
    )


class StateChangePublic(BaseModel):
    """One move in a project's history."""

    model_config = ConfigDict(from_attributes=True)

    move: str = Field(description="propose, or one of the moves")
    from_status: ProjectStatus
    to_status: ProjectStatus
    from_phase: Phase | None
    to_phase: Phase | None
    actor: str
    reason: str | None
    at: datetime


class PublicProjectSummary(BaseModel):
    """What the public sees of an accepted project."""

    id: str
    kind: ProjectKind
    gbt_part: int
    title: str
    industry: Industry
    undertaking_org_name: str
    beneficiary_name: str | None
    summary: str
    accepted_at: datetime
    accepted_on: date | None = Field(default=None, description="the acceptance date (Beijing)")


class PublicProjectPage(BaseModel):
    """A page of accepted projects."""

    items: list[PublicProjectSummary]
    total: int


class DecompositionRow(BaseModel):
    """One branch of the technology decomposition table (技术分解表)."""

    level1: Text300
    level2: str | None = Field(default=None, max_length=300)
    level3: str | None = Field(default=None, max_length=300)
    keywords: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list, max_length=200)
    ipc: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(default_factory=list, max_length=100)


class TechnologyDecompositionSubmit(BaseModel):
    """The technology decomposition table (preparation phase)."""

    kind: Literal[DeliverableKind.TECHNOLOGY_DECOMPOSITION]
    title: Text300
    rows: list[DecompositionRow] = Field(min_length=1, max_length=2000)
    document_ref: str | None = Field(default=None, max_length=500)


class SearchStrategySubmit(BaseModel):
    """Search elements, queries and the search cut-off date (retrieval phase)."""

    kind: Literal[DeliverableKind.SEARCH_STRATEGY]
    title: Text300
    databases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1, max_length=50)
    queries: list[Annotated[str, Field(min_length=1, max_length=5000)]] = Field(min_length=1, max_length=500)
    cut_off_date: BoundedDate = Field(description="检索截止日: records published after it are out of scope")
    document_ref: str | None = Field(default=None, max_length=500)


class ReportSubmit(BaseModel):
    """The navigation report (analysis phase)."""

    kind: Literal[DeliverableKind.REPORT]
    title: Text300
    document_ref: str = Field(min_length=1, max_length=500, description="where the report document is kept")
    abstract: str = Field(default="", max_length=5000)


class AcceptanceOpinionSubmit(BaseModel):
    """The expert panel's acceptance opinion (review phase; recorded by the district office)."""

    kind: Literal[DeliverableKind.ACCEPTANCE_OPINION]
    title: Text300
    passed: StrictBool
    opinion: str = Field(min_length=1, max_length=10000)
    experts: list[Name200] = Field(min_length=1, max_length=50)
    opinion_date: BoundedDate
    document_ref: str | None = Field(default=None, max_length=500)


DeliverableSubmit = Annotated[
    TechnologyDecompositionSubmit | SearchStrategySubmit | ReportSubmit | AcceptanceOpinionSubmit,
    Field(discriminator="kind"),
]


class DeliverablePublic(BaseModel):
    """A deliverable present on a project."""

    model_config = ConfigDict(from_attributes=True)

    kind: DeliverableKind
    title: str
    content: dict[str, Any]
    document_ref: str | None
    cut_off_date: date | None
    passed: bool | None
    dataset_id: str | None
    revision: int
    submitted_by: str
    submitted_at: datetime


class DeliverableList(BaseModel):
    """The deliverables of a project."""

    items: list[DeliverablePublic]


class MilestoneCreate(BaseModel):
    """A dated milestone of the project plan."""

    phase: Phase
    title: Text300
    due_date: BoundedDate


class MilestoneUpdate(BaseModel):
    """Mark a milestone done (or move its due date)."""

    due_date: BoundedDate | None = None
    done_date: BoundedDate | None = None


class MilestonePublic(BaseModel):
    """A milestone; `overdue` when its due date passed without it being done."""

    id: str = Field(description="random (not a sequence number)")
    phase: Phase
    title: str
    due_date: date
    done_date: date | None
    overdue: bool


class MilestoneList(BaseModel):
    """The milestones of a project, by due date."""

    items: list[MilestonePublic]


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
        accepted_on=project.accepted_on,
        rejected_at=project.rejected_at,
        updated_at=project.updated_at,
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
        accepted_on=project.accepted_on,
    )


def state_change_public(row: ProjectStateChange) -> StateChangePublic:
    """One move of a project's history."""
    return StateChangePublic.model_validate(row)


def deliverable_public(row: ProjectDeliverable) -> DeliverablePublic:
    """A deliverable as submitted."""
    return DeliverablePublic.model_validate(row)


def milestone_public(milestone: ProjectMilestone) -> MilestonePublic:
    """A milestone with its overdue flag (as of today in the district)."""
    return MilestonePublic(
        id=milestone.id,
        phase=Phase(milestone.phase),
        title=milestone.title,
        due_date=milestone.due_date,
        done_date=milestone.done_date,
        overdue=rules.is_overdue(milestone.due_date, milestone.done_date, district_today()),
    )
