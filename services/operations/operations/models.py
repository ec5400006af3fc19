"""Tables of the operations service (and nothing else: schemas are the HTTP contract).

Every object a tenant owns or may be shown has a random id (uuid4 hex), so no one learns how many
there are or guesses another's. Money is integer fen; dates that count for the district are
Beijing dates (`*_on`, `*_date`); instants are aware UTC (`*_at`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


def _fen() -> Any:
    return Field(sa_column=Column(BigInteger, nullable=False))


class OperationsTable(SQLModel, registry=table_registry):
    """Base of the operations service's tables."""


class Agency(OperationsTable, table=True):
    """An agency as the trusteeship service registered it (followed through its events), plus the
    operation profile this service keeps: its business lines."""

    __tablename__ = "agency"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    credit_code: str | None = Field(default=None, max_length=18)
    business_lines: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    registered_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    profile_updated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class RevenueReport(OperationsTable, table=True):
    """One version of an agency's main-business revenue for a year; a correction is a new version."""

    __tablename__ = "revenue_report"
    __table_args__ = (UniqueConstraint("agency_id", "year", "version", name="uq_revenue_report_version"),)

    id: str = Field(primary_key=True, max_length=32)
    agency_id: str = Field(max_length=64, foreign_key="agency.id", index=True)
    year: int
    version: int
    revenue_fen: int = _fen()
    evidence: str = Field(max_length=500)
    status: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=500)
    submitted_by: str = Field(max_length=200)
    submitted_at: datetime = Field(sa_column=utc_column())
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class RevenueReportStateChange(OperationsTable, table=True):
    """History of a revenue report's status."""

    __tablename__ = "revenue_report_state_change"

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(max_length=32, foreign_key="revenue_report.id", index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=500)
    at: datetime = Field(sa_column=utc_column())


class Transaction(OperationsTable, table=True):
    """An assignment or licence of patents or trademarks (the register of goal 五's last figure)."""

    __tablename__ = "ip_transaction"

    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=24)
    right_kind: str = Field(max_length=16)
    right_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    transferor_credit_code: str = Field(max_length=18, index=True)
    transferor_name: str = Field(max_length=200)
    transferee_credit_code: str = Field(max_length=18, index=True)
    transferee_name: str = Field(max_length=200)
    territory: str = Field(max_length=100)
    start_date: date
    end_date: date | None = None
    amount_fen: int = _fen()
    payment_form: str = Field(max_length=24)
    contracted_on: date = Field(index=True)
    recordal_number: str | None = Field(default=None, max_length=64)
    recordal_date: date | None = None
    agency_id: str | None = Field(default=None, max_length=64, index=True)
    navigation_project_id: str | None = Field(default=None, max_length=64)
    pool_id: str | None = Field(default=None, max_length=32, foreign_key="pool.id", index=True)
    status: str = Field(max_length=16)
    rescinded_on: date | None = None
    upload_id: str | None = Field(default=None, max_length=32)
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class TransactionStateChange(OperationsTable, table=True):
    """History of a transaction's status (its rescission)."""

    __tablename__ = "transaction_state_change"

    id: int | None = Field(default=None, primary_key=True)
    transaction_id: str = Field(max_length=32, foreign_key="ip_transaction.id", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    actor: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=500)
    at: datetime = Field(sa_column=utc_column())


class RoyaltyReport(OperationsTable, table=True):
    """Running royalties paid under a licence for one year (one report per licence and year)."""

    __tablename__ = "royalty_report"
    __table_args__ = (UniqueConstraint("transaction_id", "year", name="uq_royalty_report_year"),)

    id: str = Field(primary_key=True, max_length=32)
    transaction_id: str = Field(max_length=32, foreign_key="ip_transaction.id", index=True)
    year: int
    amount_fen: int = _fen()
    reported_by: str = Field(max_length=200)
    reported_at: datetime = Field(sa_column=utc_column())


class Alliance(OperationsTable, table=True):
    """An industry IP alliance (产业知识产权联盟)."""

    __tablename__ = "alliance"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200, unique=True)
    industry: str = Field(max_length=32)
    founded_on: date
    created_at: datetime = Field(sa_column=utc_column())


class AllianceMember(OperationsTable, table=True):
    """An enterprise's membership of an alliance, dated; leaving closes it, history kept."""

    __tablename__ = "alliance_member"

    id: str = Field(primary_key=True, max_length=32)
    alliance_id: str = Field(max_length=32, foreign_key="alliance.id", index=True)
    credit_code: str = Field(max_length=18)
    name: str = Field(max_length=200)
    joined_on: date
    left_on: date | None = None


class Pool(OperationsTable, table=True):
    """A patent pool (产业专利池); licences granted out of it are transactions naming it."""

    __tablename__ = "pool"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200, unique=True)
    industry: str = Field(max_length=32)
    alliance_id: str | None = Field(default=None, max_length=32, foreign_key="alliance.id")
    created_at: datetime = Field(sa_column=utc_column())


class PoolMember(OperationsTable, table=True):
    """A patent owner contributing to a pool, dated."""

    __tablename__ = "pool_member"

    id: str = Field(primary_key=True, max_length=32)
    pool_id: str = Field(max_length=32, foreign_key="pool.id", index=True)
    credit_code: str = Field(max_length=18)
    name: str = Field(max_length=200)
    joined_on: date
    left_on: date | None = None


class PoolPatent(OperationsTable, table=True):
    """A patent in a pool (a patent may sit in several pools), contributed by a member."""

    __tablename__ = "pool_patent"
    __table_args__ = (UniqueConstraint("pool_id", "patent_number", name="uq_pool_patent_number"),)

    id: int | None = Field(default=None, primary_key=True)
    pool_id: str = Field(max_length=32, foreign_key="pool.id", index=True)
    patent_number: str = Field(max_length=20)
    owner_credit_code: str = Field(max_length=18)
    added_on: date


class PoolTerm(OperationsTable, table=True):
    """A published version of a pool's licensing terms (the latest one applies)."""

    __tablename__ = "pool_term"
    __table_args__ = (UniqueConstraint("pool_id", "version", name="uq_pool_term_version"),)

    id: int | None = Field(default=None, primary_key=True)
    pool_id: str = Field(max_length=32, foreign_key="pool.id", index=True)
    version: int
    summary: str = Field(sa_column=Column(Text, nullable=False))
    royalty_basis: str = Field(max_length=300)
    published_on: date


class OverseasMark(OperationsTable, table=True):
    """An international registration (Madrid) of a Chinese basic mark."""

    __tablename__ = "overseas_mark"

    id: str = Field(primary_key=True, max_length=32)
    ir_number: str = Field(max_length=10, unique=True)
    basic_mark_number: str = Field(max_length=10)
    mark: str = Field(max_length=200)
    owner_credit_code: str = Field(max_length=18)
    owner_name: str = Field(max_length=200)
    nice_classes: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ir_date: date
    created_at: datetime = Field(sa_column=utc_column())


class Designation(OperationsTable, table=True):
    """One designated contracting party of a mark and its status there."""

    __tablename__ = "designation"
    __table_args__ = (UniqueConstraint("mark_id", "country", name="uq_designation_country"),)

    id: int | None = Field(default=None, primary_key=True)
    mark_id: str = Field(max_length=32, foreign_key="overseas_mark.id", index=True)
    country: str = Field(max_length=2)
    status: str = Field(max_length=16)
    status_on: date
    protected_on: date | None = None


class DesignationStateChange(OperationsTable, table=True):
    """History of a designation's status."""

    __tablename__ = "designation_state_change"

    id: int | None = Field(default=None, primary_key=True)
    designation_id: int = Field(foreign_key="designation.id", index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    effective_on: date
    actor: str = Field(max_length=200)
    at: datetime = Field(sa_column=utc_column())


class Fund(OperationsTable, table=True):
    """The operation guidance fund (知识产权运营引导基金), or one of them."""

    __tablename__ = "fund"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200, unique=True)
    size_fen: int = _fen()
    established_on: date
    created_at: datetime = Field(sa_column=utc_column())


class Investment(OperationsTable, table=True):
    """An investment of a fund in an enterprise, possibly linked to its pledge loan (投贷联动)."""

    __tablename__ = "investment"

    id: str = Field(primary_key=True, max_length=32)
    fund_id: str = Field(max_length=32, foreign_key="fund.id", index=True)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    project: str = Field(max_length=300)
    amount_fen: int = _fen()
    equity_pct: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    invested_on: date
    pledge_loan_id: str | None = Field(default=None, max_length=64)
    exited_on: date | None = None
    exit_amount_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = Field(sa_column=utc_column())


class TrainingSession(OperationsTable, table=True):
    """A training session of the talent programme (task 7)."""

    __tablename__ = "training_session"

    id: str = Field(primary_key=True, max_length=32)
    held_on: date = Field(index=True)
    topic: str = Field(max_length=300)
    organiser: str = Field(max_length=200)
    attendance: int
    created_at: datetime = Field(sa_column=utc_column())


class Commissioner(OperationsTable, table=True):
    """A registered IP commissioner (知识产权专员) and the technical field they serve."""

    __tablename__ = "commissioner"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    field: str = Field(max_length=100)
    employer_credit_code: str | None = Field(default=None, max_length=18)
    registered_on: date = Field(index=True)
    created_at: datetime = Field(sa_column=utc_column())


class Milestone(OperationsTable, table=True):
    """A milestone of goals 七-九 (clusters, the Huaming IP town, operation centres), with evidence."""

    __tablename__ = "milestone"

    id: str = Field(primary_key=True, max_length=32)
    goal: int
    title_zh: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    achieved_on: date
    evidence: str = Field(max_length=1000)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())
