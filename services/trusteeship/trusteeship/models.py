"""Tables of the trusteeship service (and nothing else: schemas are the HTTP contract)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


class TrusteeshipTable(SQLModel, registry=table_registry):
    """Base of the trusteeship service's tables."""


def random_id() -> str:
    """A random identifier (UUID4, 32 hex digits) for an object a tenant names in a path: a
    sequence would let one agency count and probe another's (issue #15)."""
    return uuid.uuid4().hex


class Agency(TrusteeshipTable, table=True):
    """A service agency: a tenant of the trusteeship API, in the district's one registry of agencies.

    An agency selected by government purchase holds a trusteeship contract (number, period, quota);
    one registered only for other programmes (operations) has none and a quota of 0, so it cannot
    enrol enterprises."""

    __tablename__ = "agency"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    # The agency's own unified social credit code (normalised), unique when known.
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    contract_number: str | None = Field(default=None, max_length=64, unique=True)
    contract_start_date: date | None = None
    contract_end_date: date | None = None
    quota: int = 0
    scope: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class Enterprise(TrusteeshipTable, table=True):
    """An enterprise held in trusteeship, identified by its unified social credit code."""

    __tablename__ = "enterprise"

    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    industry: str = Field(max_length=100)
    # The declared size class (《中小企业划型标准规定》): only small and micro count toward the
    # trusteeship target; the figures it was declared from are kept when given.
    size: str = Field(max_length=16)
    employees: int | None = None
    yearly_revenue_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    address: str = Field(max_length=300)
    # GB/T 29490 (贯标) certification: the plan counts certified organisations toward 300, from the
    # certification date until the certificate expires or is withdrawn.
    gbt29490_certified_date: date | None = None
    gbt29490_expiry_date: date | None = None
    gbt29490_withdrawn_date: date | None = None
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class Enrolment(TrusteeshipTable, table=True):
    """An enterprise held by an agency from `start_date` until `end_date` (open while active).

    At most one active enrolment per enterprise: a partial unique index enforces it."""

    __tablename__ = "enrolment"
    __table_args__ = (
        Index(
            "ux_enrolment_active_enterprise",
            "credit_code",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
        # What a work log's one foreign key refers to (implied by the primary key; see WorkLog).
        UniqueConstraint("id", "agency_id", "credit_code", name="uq_enrolment_id_agency_id_credit_code"),
    )

    id: str = Field(default_factory=random_id, primary_key=True, max_length=32)
    credit_code: str = Field(max_length=18, foreign_key="enterprise.credit_code", index=True)
    agency_id: str = Field(max_length=64, foreign_key="agency.id", index=True)
    status: str = Field(max_length=16)
    start_date: date
    end_date: date | None = None
    start_reason: str = Field(max_length=500)
    end_reason: str | None = Field(default=None, max_length=500)
    transferred_to_enrolment_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Patent(TrusteeshipTable, table=True):
    """A patent (or application) of an enterprise, as the docket tracks it."""

    __tablename__ = "patent"

    number: str = Field(primary_key=True, max_length=20)
    credit_code: str = Field(max_length=18, foreign_key="enterprise.credit_code", index=True)
    title: str = Field(max_length=300)
    kind: str = Field(max_length=16)
    filing_date: date
    grant_date: date | None = None
    expiry_date: date
    status: str = Field(max_length=16)
    lapsed_date: date | None = None
    # The docket looks forward from the day the patent was recorded (earlier fees were paid).
    docket_from_date: date
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class Trademark(TrusteeshipTable, table=True):
    """A registered trademark of an enterprise."""

    __tablename__ = "trademark"

    number: str = Field(primary_key=True, max_length=10)
    credit_code: str = Field(max_length=18, foreign_key="enterprise.credit_code", index=True)
    mark: str = Field(max_length=200)
    nice_class: int | None = None
    registration_date: date | None = None
    created_at: datetime = Field(sa_column=utc_column())


class FeeDeadline(TrusteeshipTable, table=True):
    """The annual fee of one patent year; (patent, year) is unique, so regeneration cannot duplicate."""

    __tablename__ = "fee_deadline"
    __table_args__ = (
        UniqueConstraint("patent_number", "patent_year", name="uq_fee_deadline_patent_number"),
        Index("ix_fee_deadline_status_due", "status", "due_date"),
    )

    id: str = Field(default_factory=random_id, primary_key=True, max_length=32)
    patent_number: str = Field(max_length=20, foreign_key="patent.number")
    patent_year: int
    due_date: date
    grace_end_date: date
    fee_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    status: str = Field(max_length=16)
    rules_version: str = Field(max_length=32)
    lapse_detected_on: date | None = None
    created_at: datetime = Field(sa_column=utc_column())


class FeePayment(TrusteeshipTable, table=True):
    """The payment that settled one deadline (one per deadline)."""

    __tablename__ = "fee_payment"

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: str = Field(max_length=32, foreign_key="fee_deadline.id", unique=True)
    paid_date: date
    # fen: 64-bit, since 21.47 million yuan already overflows a 32-bit integer
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    surcharge_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())


class FeeReminder(TrusteeshipTable, table=True):
    """A reminder sent for a deadline; unique per (deadline, milestone, offset) so a rerun of the
    daily job for the same day sends nothing twice."""

    __tablename__ = "fee_reminder"
    __table_args__ = (UniqueConstraint("deadline_id", "milestone", "offset_days", name="uq_fee_reminder_deadline_id"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: str = Field(max_length=32, foreign_key="fee_deadline.id")
    milestone: str = Field(max_length=16)
    offset_days: int
    reminded_on: date
    created_at: datetime = Field(sa_column=utc_column())


class FirstPatent(TrusteeshipTable, table=True):
    """ "Zeroing-out": the first valid patent an enterprise obtained while enrolled (once per enterprise)."""

    __tablename__ = "first_patent"

    credit_code: str = Field(primary_key=True, max_length=18, foreign_key="enterprise.credit_code")
    patent_number: str = Field(max_length=20)
    grant_date: date
    agency_id: str = Field(max_length=64)
    enrolment_id: str = Field(max_length=32)
    counted_at: datetime = Field(sa_column=utc_column())


class WorkUpload(TrusteeshipTable, table=True):
    """An accepted bulk upload (a rejected one leaves no row anywhere)."""

    __tablename__ = "work_upload"

    id: str = Field(primary_key=True, max_length=32)
    agency_id: str = Field(max_length=64, foreign_key="agency.id", index=True)
    format: str = Field(max_length=16)
    row_count: int
    created_at: datetime = Field(sa_column=utc_column())


class WorkLog(TrusteeshipTable, table=True):
    """One piece of work an agency did for an enterprise it held.

    One foreign key names the enrolment, its agency and its enterprise together: the agency and
    enterprise exist because the enrolment's own keys say so, and they are the enrolment's. One
    check per row instead of three keeps a bulk upload's COPY fast (migration 0007 says more)."""

    __tablename__ = "work_log"
    __table_args__ = (
        Index("ix_work_log_agency_date", "agency_id", "work_date"),
        ForeignKeyConstraint(
            ["enrolment_id", "agency_id", "credit_code"],
            ["enrolment.id", "enrolment.agency_id", "enrolment.credit_code"],
            name="fk_work_log_enrolment_id_enrolment",
        ),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    )
    agency_id: str = Field(max_length=64)
    credit_code: str = Field(max_length=18, index=True)
    enrolment_id: str = Field(max_length=32)
    service_type: str = Field(max_length=32)
    work_date: date
    hours: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 2), nullable=True))
    description: str = Field(sa_column=Column(Text, nullable=False))
    outcome: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    patent_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    trademark_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    document_refs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str = Field(max_length=8)
    upload_id: str | None = Field(default=None, max_length=32, index=True)
    created_at: datetime = Field(sa_column=utc_column())


class WorkQueueItem(TrusteeshipTable, table=True):
    """Something an agency must act on for an enterprise it holds (an enforcement case, so far)."""

    __tablename__ = "work_queue_item"
    __table_args__ = (
        UniqueConstraint("agency_id", "source_kind", "reference", "credit_code", name="uq_work_queue_item_agency_id"),
    )

    id: str = Field(default_factory=random_id, primary_key=True, max_length=32)
    agency_id: str = Field(max_length=64, foreign_key="agency.id", index=True)
    credit_code: str = Field(max_length=18, foreign_key="enterprise.credit_code")
    source_kind: str = Field(max_length=32)
    reference: str = Field(max_length=64)
    summary: str = Field(max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=16, default="open")
    raised_at: datetime = Field(sa_column=utc_column())
    created_at: datetime = Field(sa_column=utc_column())


class EnterpriseLoan(TrusteeshipTable, table=True):
    """A pledge loan approved for an enterprise (a local copy from pledge events)."""

    __tablename__ = "enterprise_loan"

    loan_id: str = Field(primary_key=True, max_length=64)
    credit_code: str = Field(max_length=18, index=True)
    bank_id: str = Field(max_length=64)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    mixed_pledge: bool
    patent_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    approved_at: datetime = Field(sa_column=utc_column())


class EnterpriseProject(TrusteeshipTable, table=True):
    """An enterprise-operation navigation project benefiting an enterprise (from navigation events)."""

    __tablename__ = "enterprise_project"

    project_id: str = Field(primary_key=True, max_length=64)
    credit_code: str = Field(max_length=18, index=True)
    title: str = Field(max_length=300)
    industry: str = Field(max_length=100)
    undertaking_org: str = Field(max_length=200)
    accepted_at: datetime = Field(sa_column=utc_column())
