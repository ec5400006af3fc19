"""Tables of the navigation service (and nothing else: schemas are the HTTP contract)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


class NavigationTable(SQLModel, registry=table_registry):
    """Base of the navigation service's tables."""


class Project(NavigationTable, table=True):
    """A patent navigation project (GB/T 39551 part 3 or 4) carried out by an undertaking
    organisation (an agency or institute: the tenant of its tokens)."""

    __tablename__ = "project"

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=32, index=True)
    gbt_part: int
    title: str = Field(max_length=300)
    industry: str = Field(max_length=32)
    undertaking_org_id: str = Field(max_length=64, index=True)
    undertaking_org_name: str = Field(max_length=200)
    beneficiary_credit_code: str | None = Field(default=None, max_length=18, index=True)
    beneficiary_name: str | None = Field(default=None, max_length=200)
    budget_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    start_date: date
    planned_end_date: date
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16, index=True)
    phase: str | None = Field(default=None, max_length=16)
    version: int = 1
    proposed_at: datetime = Field(sa_column=utc_column())
    approved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    under_review_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    accepted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    accepted_on: date | None = None  # the acceptance date (Beijing; given when history is entered late)
    rejected_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = Field(sa_column=utc_column())


class ProjectStateChange(NavigationTable, table=True):
    """One move of a project, written in the same transaction as the move."""

    __tablename__ = "project_state_change"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True))
    project_id: str = Field(foreign_key="project.id", max_length=36, index=True)
    move: str = Field(max_length=32)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    from_phase: str | None = Field(default=None, max_length=16)
    to_phase: str | None = Field(default=None, max_length=16)
    actor: str = Field(max_length=200)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime = Field(sa_column=utc_column())


class ProjectDeliverable(NavigationTable, table=True):
    """A deliverable a phase gate asks for; one current version per kind (a resubmission replaces
    the content and bumps `revision`)."""

    __tablename__ = "project_deliverable"
    __table_args__ = (UniqueConstraint("project_id", "kind"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True, autoincrement=True))
    project_id: str = Field(foreign_key="project.id", max_length=36, index=True)
    kind: str = Field(max_length=32)
    title: str = Field(max_length=300)
    # Kind-specific content (decomposition rows, search elements, snapshot facts, opinion).
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    document_ref: str | None = Field(default=None, max_length=500)
    cut_off_date: date | None = None  # search strategy
    passed: bool | None = None  # acceptance opinion
    dataset_id: str | None = Field(default=None, max_length=36)  # data-set snapshot
    revision: int = 1
    submitted_by: str = Field(max_length=200)
    submitted_at: datetime = Field(sa_column=utc_column())


class ProjectMilestone(NavigationTable, table=True):
    """A dated milestone of a project's plan (a random id: an organisation's milestones are not
    to be counted or guessed by others)."""

    __tablename__ = "project_milestone"

    id: str = Field(primary_key=True, max_length=36)
    project_id: str = Field(foreign_key="project.id", max_length=36, index=True)
    phase: str = Field(max_length=16)
    title: str = Field(max_length=300)
    due_date: date
    done_date: date | None = None
    created_at: datetime = Field(sa_column=utc_column())


class Dataset(NavigationTable, table=True):
    """An uploaded patent data set (kept on disk as the project's snapshot) and its landscape."""

    __tablename__ = "dataset"

    id: str = Field(primary_key=True, max_length=36)
    project_id: str = Field(foreign_key="project.id", max_length=36, index=True)
    format: str = Field(max_length=8)
    filename: str | None = Field(default=None, max_length=300)
    stored_name: str = Field(max_length=100)
    size_bytes: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    record_count: int
    application_count: int
    landscape: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    analysis_ms: int
    uploaded_by: str = Field(max_length=200)
    uploaded_at: datetime = Field(sa_column=utc_column())


class DistrictEnterprise(NavigationTable, table=True):
    """An enterprise of the district: its applicant names count as "the district's own"."""

    __tablename__ = "district_enterprise"

    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=utc_column())


class ApplicantAlias(NavigationTable, table=True):
    """An operator's alias group: spellings of one applicant that rankings and concentration
    figures count as the canonical name (keyed by the canonical's name key)."""

    __tablename__ = "applicant_alias"

    canonical_key: str = Field(primary_key=True, max_length=400)
    canonical: str = Field(max_length=200)
    variants: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # as written
    updated_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_column())


class ApplicantAliasVariant(NavigationTable, table=True):
    """One variant's name key and its group: a spelling belongs to one group (the primary key)."""

    __tablename__ = "applicant_alias_variant"

    variant_key: str = Field(primary_key=True, max_length=400)
    canonical_key: str = Field(foreign_key="applicant_alias.canonical_key", max_length=400, index=True)


class Portfolio(NavigationTable, table=True):
    """An enterprise's patent portfolio, checked against the plan's high-value definition."""

    __tablename__ = "portfolio"

    id: str = Field(primary_key=True, max_length=36)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    name: str = Field(max_length=300)
    project_id: str | None = Field(default=None, foreign_key="project.id", max_length=36)
    owner_org_id: str | None = Field(default=None, max_length=64, index=True)
    patent_count: int = 0
    invention_count: int = 0  # granted, in force, not counted toward an earlier-qualified portfolio
    pct_count: int = 0  # PCT applications filed, not counted toward an earlier-qualified portfolio
    inventions_listed: int = 0  # of any status
    inventions_not_in_force: int = 0
    inventions_counted_elsewhere: int = 0
    pct_counted_elsewhere: int = 0
    counted_elsewhere_in: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    qualified: bool = False
    first_qualified_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The indicator's memory (domain.indicators): the key of the list last assessed, and the
    # portfolio's latest qualification spell in Beijing business dates.
    patent_list_key: str | None = Field(default=None, max_length=32)
    qualified_on: date | None = None
    disqualified_on: date | None = None
    withdrawn_on: date | None = None
    withdrawn_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    withdrawal_reason: str | None = Field(default=None, max_length=500)
    version: int = 1
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class PortfolioPatent(NavigationTable, table=True):
    """One patent of a portfolio: its kind (from the type digit), PCT filing and legal status."""

    __tablename__ = "portfolio_patent"

    portfolio_id: str = Field(foreign_key="portfolio.id", primary_key=True, max_length=36)
    application_number: str = Field(primary_key=True, max_length=20)
    patent_type: str = Field(max_length=24)
    pct: bool = False
    pct_application_number: str | None = Field(default=None, max_length=32)
    legal_status: str | None = Field(default=None, max_length=16)  # None: registered before it was recorded
