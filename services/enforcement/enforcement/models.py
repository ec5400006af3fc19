"""Tables of the enforcement service (and nothing else: schemas are the HTTP contract).

Timestamps are aware UTC (`*_at`); dates on which deadlines are counted are China dates (`*_date`,
`*_on`), because a statutory day is a day in Beijing, not in UTC.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


class EnforcementTable(SQLModel, registry=table_registry):
    """Base of the enforcement service's tables."""


class Case(EnforcementTable, table=True):
    """A rights-protection or enforcement case, with a timestamp for every status it entered
    (Dispatch's case model) and the two deadlines it runs against."""

    __tablename__ = "enforcement_case"  # `case` is an SQL keyword

    id: str = Field(primary_key=True, max_length=32)
    case_type: str = Field(max_length=64, index=True)
    channel: str = Field(max_length=16)
    status: str = Field(max_length=32, index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    complex: bool = False
    # The agency that brought the case for its enterprise: the only agency that may read it
    # (enforcement keeps no enrolments; see the README of this service).
    requester_agency_id: str | None = Field(default=None, max_length=64, index=True)
    related_case_id: str | None = Field(default=None, max_length=32, foreign_key="enforcement_case.id")
    resolution_reason: str | None = Field(default=None, max_length=64)
    resolution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: str = Field(max_length=200)
    received_at: datetime = Field(sa_column=utc_column(index=True))
    accepted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    rejected_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    under_review_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    mediated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    mediation_failed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    withdrawn_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True, index=True))
    received_date: date
    # None while the acceptance deadline needs a year no calendar source covers (see below)
    acceptance_due_date: date | None = None
    handling_started_date: date | None = None
    handling_due_date: date | None = None
    handling_max_date: date | None = None
    # The year whose holidays the running clock needs and no source covers yet: its due date (or
    # only its latest extended date) is None until an operator declares the year or the library
    # learns it; the deadline waits, visibly, rather than counting weekends only.
    calendar_missing_year: int | None = None
    acceptance_overdue_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    handling_overdue_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    closed_within_deadline: bool | None = None
    version: int = 1


class CaseParty(EnforcementTable, table=True):
    """A requester or respondent; an enterprise is known by its unified social credit code."""

    __tablename__ = "case_party"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    role: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    credit_code: str | None = Field(default=None, max_length=18, index=True)
    country: str | None = Field(default=None, max_length=2)


class CaseRight(EnforcementTable, table=True):
    """A patent or trademark the case concerns; the patent type is derived from its number."""

    __tablename__ = "case_right"
    __table_args__ = (UniqueConstraint("case_id", "kind", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    kind: str = Field(max_length=16)
    number: str = Field(max_length=20, index=True)
    patent_type: str | None = Field(default=None, max_length=32)


class CaseStateChange(EnforcementTable, table=True):
    """One status move: from, to, who, why, when (written with the move)."""

    __tablename__ = "case_state_change"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str = Field(max_length=32)
    move: str | None = Field(default=None, max_length=32)
    actor: str = Field(max_length=200)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime = Field(sa_column=utc_column())


class CaseEvent(EnforcementTable, table=True):
    """The case timeline: append-only (no route updates or deletes it, and on PostgreSQL a trigger
    refuses UPDATE and DELETE), one row per thing someone did."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    at: datetime = Field(sa_column=utc_column())
    actor: str = Field(max_length=200)
    kind: str = Field(max_length=64)
    summary: str = Field(max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CaseHandler(EnforcementTable, table=True):
    """A case officer assigned to a case."""

    __tablename__ = "case_handler"
    __table_args__ = (UniqueConstraint("case_id", "handler_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    handler_id: str = Field(max_length=200, index=True)
    name: str = Field(max_length=200)
    lead: bool = False
    assigned_by: str = Field(max_length=200)
    assigned_at: datetime = Field(sa_column=utc_column())
    released_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class CaseDocument(EnforcementTable, table=True):
    """Evidence or a document, held elsewhere and referenced here by its SHA-256, size and type."""

    __tablename__ = "case_document"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    kind: str = Field(max_length=16)
    title: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    size_bytes: int = Field(sa_type=BigInteger)  # up to 10 GiB (migration 0005)
    media_type: str = Field(max_length=200)
    reference: str = Field(max_length=1000)
    submitted_by_role: str | None = Field(default=None, max_length=16)
    added_by: str = Field(max_length=200)
    added_at: datetime = Field(sa_column=utc_column())


class CasePause(EnforcementTable, table=True):
    """A period in which a clock stops (中止), from `started_on` to the day before `ended_on`."""

    __tablename__ = "case_pause"

    # Random (UUID4 hex), not a sequence: a path names it, and a sequence would tell how many
    # pauses the office recorded (issue #15).
    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    clock: str = Field(max_length=16)
    started_on: date
    ended_on: date | None = None
    reason: str = Field(max_length=500)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())


class CaseExtension(EnforcementTable, table=True):
    """An extension of the handling deadline, in the unit of the case's rule, with its reason."""

    __tablename__ = "case_extension"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="enforcement_case.id", max_length=32, index=True)
    amount: int
    unit: str = Field(max_length=16)
    reason: str = Field(max_length=500)
    granted_by: str = Field(max_length=200)
    granted_at: datetime = Field(sa_column=utc_column())


class CalendarDay(EnforcementTable, table=True):
    """A public holiday or a make-up working day; every other day is a working day on Monday to
    Friday and a rest day on Saturday and Sunday. Operators maintain it."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=100)
    updated_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_column())


class CalendarYear(EnforcementTable, table=True):
    """An operator's declaration that the table of special days is complete for a year the
    library does not know (or confirms one it does): the year is then covered. Entering days alone
    never covers a year."""

    __tablename__ = "calendar_year"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    notice: str = Field(max_length=200)
    declared_by: str = Field(max_length=200)
    declared_at: datetime = Field(sa_column=utc_column())


class RatingToken(EnforcementTable, table=True):
    """The single-use token issued when a case closes; only its SHA-256 is stored."""

    __tablename__ = "rating_token"

    case_id: str = Field(primary_key=True, foreign_key="enforcement_case.id", max_length=32)
    token_sha256: str = Field(max_length=64, unique=True)
    issued_at: datetime = Field(sa_column=utc_column())
    used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class CaseRating(EnforcementTable, table=True):
    """The served party's satisfaction, 0 to 100; the primary key makes it once per case."""

    __tablename__ = "case_rating"

    case_id: str = Field(primary_key=True, foreign_key="enforcement_case.id", max_length=32)
    score: int
    comment: str | None = Field(default=None, max_length=1000)
    rated_at: datetime = Field(sa_column=utc_column(index=True))


class SatisfactionSurvey(EnforcementTable, table=True):
    """One version of the district's yearly public survey of satisfaction with IP protection (the
    plan's 社会满意度). A correction is a new version of the same year; every version is kept, and
    the highest is the year's figure. A version that withdraws the year's survey (recorded for the
    wrong year, say) keeps the score it withdraws, for the record, and the year has no figure."""

    __tablename__ = "satisfaction_survey"
    __table_args__ = (UniqueConstraint("year", "version"),)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=32)
    year: int = Field(index=True)
    version: int
    score_tenths: int  # 0..1000: the score of 100 with one decimal, in tenths of a point
    sample_size: int
    conducted_by: str = Field(max_length=200)
    conducted_on: date
    evidence_reference: str = Field(max_length=1000)
    reason: str | None = Field(default=None, max_length=500)
    withdrawn: bool = False
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())
