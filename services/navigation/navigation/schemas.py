"""The navigation HTTP contract (never a table class)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipops.fields import CreditCode, PatentNumber, Yuan
from navigation.enums import DeliverableKind, Industry, Phase, ProjectKind, ProjectMove, ProjectStatus

Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Name200 = Annotated[str, Field(min_length=1, max_length=200)]

# --- projects ------------------------------------------------------------------------------------


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
        default=None, description="the enterprise an enterprise-operation project serves (required for that kind)"
    )
    beneficiary_name: Name200 | None = None
    budget: Yuan
    start_date: date
    planned_end_date: date
    summary: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def _consistent(self) -> ProjectCreate:
        if self.planned_end_date < self.start_date:
            raise ValueError("planned_end_date is before start_date")
        if self.kind is ProjectKind.ENTERPRISE_OPERATION and (
            self.beneficiary_credit_code is None or self.beneficiary_name is None
        ):
            raise ValueError("an enterprise_operation project names its beneficiary_credit_code and beneficiary_name")
        if self.kind is ProjectKind.INDUSTRY_PLANNING and self.beneficiary_credit_code is not None:
            raise ValueError("an industry_planning project serves an industry, not one beneficiary enterprise")
        return self


class ProjectUpdate(BaseModel):
    """Change a project's plan while it is not yet decided; every field optional."""

    title: Text300 | None = None
    industry: Industry | None = None
    undertaking_org_name: Name200 | None = None
    beneficiary_name: Name200 | None = None
    budget: Yuan | None = None
    start_date: date | None = None
    planned_end_date: date | None = None
    summary: str | None = Field(default=None, max_length=5000)


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
    expected_version: int | None = Field(
        default=None, ge=1, description="refuse the move (409) when the project changed since this version"
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


class PublicProjectPage(BaseModel):
    """A page of accepted projects."""

    items: list[PublicProjectSummary]
    total: int


# --- deliverables --------------------------------------------------------------------------------


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
    cut_off_date: date = Field(description="检索截止日: records published after it are out of scope")
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
    passed: bool
    opinion: str = Field(min_length=1, max_length=10000)
    experts: list[Name200] = Field(min_length=1, max_length=50)
    opinion_date: date
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


# --- milestones ----------------------------------------------------------------------------------


class MilestoneCreate(BaseModel):
    """A dated milestone of the project plan."""

    phase: Phase
    title: Text300
    due_date: date


class MilestoneUpdate(BaseModel):
    """Mark a milestone done (or move its due date)."""

    due_date: date | None = None
    done_date: date | None = None


class MilestonePublic(BaseModel):
    """A milestone; `overdue` when its due date passed without it being done."""

    id: int
    phase: Phase
    title: str
    due_date: date
    done_date: date | None
    overdue: bool


class MilestoneList(BaseModel):
    """The milestones of a project, by due date."""

    items: list[MilestonePublic]


# --- portfolios (declared here so the module is the whole contract) ------------------------------


class PortfolioPatent(BaseModel):
    """One patent of a portfolio."""

    application_number: PatentNumber
    pct: bool = Field(default=False, description="filed (also) as a PCT international application")
    pct_application_number: str | None = Field(
        default=None, pattern=r"^PCT/[A-Z]{2}\d{4}/\d{6}$", description="e.g. PCT/CN2021/123456"
    )

    @model_validator(mode="after")
    def _pct_number_implies_pct(self) -> PortfolioPatent:
        if self.pct_application_number is not None:
            self.pct = True
        return self


Patents = Annotated[list[PortfolioPatent], Field(max_length=20_000)]


class PortfolioCreate(BaseModel):
    """Register an enterprise's patent portfolio (checked at once against the 50/10 definition)."""

    credit_code: CreditCode
    enterprise_name: Name200
    name: Text300
    project_id: str | None = Field(default=None, max_length=36, description="the navigation project behind it")
    patents: Patents = Field(default_factory=list)


class PortfolioPatentsReplace(BaseModel):
    """The portfolio's whole patent list (replaces the previous one)."""

    patents: Patents


class PortfolioPublic(BaseModel):
    """A portfolio and how it measures against the plan's definition."""

    id: str
    credit_code: str
    enterprise_name: str
    name: str
    project_id: str | None
    owner_org_id: str | None
    patent_count: int
    invention_count: int
    pct_count: int
    qualified: bool
    inventions_short: int = Field(description="invention patents still missing to reach 50")
    pct_short: int = Field(description="PCT applications still missing to reach 10")
    first_qualified_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class PortfolioPage(BaseModel):
    """A page of portfolios."""

    items: list[PortfolioPublic]
    total: int


class PortfolioPatentPublic(BaseModel):
    """One patent of a portfolio as it was counted."""

    model_config = ConfigDict(from_attributes=True)

    application_number: str
    patent_type: str = Field(description="from the type digit: invention, utility_model, design, pct_*")
    pct: bool
    pct_application_number: str | None


class PortfolioPatentList(BaseModel):
    """The patents of a portfolio."""

    items: list[PortfolioPatentPublic]


# --- data sets and landscapes --------------------------------------------------------------------


class DatasetPublic(BaseModel):
    """An uploaded data set (its landscape is served separately: it can be large)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    format: str
    filename: str | None
    size_bytes: int
    sha256: str
    record_count: int
    application_count: int
    analysis_ms: int
    uploaded_by: str
    uploaded_at: datetime


class DatasetList(BaseModel):
    """A project's data sets, newest first."""

    items: list[DatasetPublic]


class PatentRecord(BaseModel):
    """One bibliographic record for the direct landscape endpoint (lists as arrays)."""

    model_config = ConfigDict(extra="ignore")

    publication_number: str | None = Field(default=None, max_length=40)
    application_number: str = Field(max_length=40)
    title: str | None = Field(default=None, max_length=1000)
    abstract: str | None = Field(default=None, max_length=10_000)
    applicants: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=50)
    inventors: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=100)
    application_date: date | None = None
    publication_date: date | None = None
    ipc: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=100)
    legal_status: str | None = Field(default=None, max_length=40)
    region: str | None = Field(default=None, max_length=60)
    pct: bool = False
    family_id: str | None = Field(default=None, max_length=60)
    address: str | None = Field(default=None, max_length=300)


class LandscapeRequest(BaseModel):
    """Records to analyse at once, without storing them (up to 50,000; upload a data set beyond)."""

    records: list[PatentRecord] = Field(min_length=1, max_length=50_000)


class DistrictEnterpriseUpsert(BaseModel):
    """An enterprise of the district and the spellings its applications use."""

    name: Name200
    aliases: list[Name200] = Field(default_factory=list, max_length=20)


class DistrictEnterprisePublic(BaseModel):
    """A district enterprise."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    aliases: list[str]
    updated_at: datetime


class DistrictEnterpriseList(BaseModel):
    """The district's enterprises."""

    items: list[DistrictEnterprisePublic]


# --- statistics ----------------------------------------------------------------------------------


class KindProgress(BaseModel):
    """One project kind against its target."""

    kind: ProjectKind
    target: int
    accepted: int = Field(description="counts toward the target")
    in_pipeline: int = Field(description="approved and not yet decided")
    by_status: dict[ProjectStatus, int]
    progress: float = Field(description="accepted / target")


class PortfolioProgress(BaseModel):
    """Qualified high-value portfolios against the target of 20."""

    target: int
    qualified: int
    registered: int
    progress: float


class NavigationStatistics(BaseModel):
    """The plan's navigation figures (tasks 2 and 3)."""

    projects: list[KindProgress]
    portfolios: PortfolioProgress
