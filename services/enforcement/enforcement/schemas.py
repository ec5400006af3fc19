"""The enforcement HTTP contract."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from enforcement.enums import (
    CaseStatus,
    CaseType,
    Channel,
    Clock,
    DayKind,
    DocumentKind,
    Move,
    NoteKind,
    PartyKind,
    PartyRole,
)
from ipops.fields import CreditCode, PatentNumber, TrademarkNumber


class PartyIn(BaseModel):
    """A party of a case. An enterprise must give its unified social credit code."""

    role: PartyRole
    kind: PartyKind = PartyKind.ENTERPRISE
    name: str = Field(min_length=1, max_length=200)
    credit_code: CreditCode | None = Field(default=None, examples=["91110000600037341L"])
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166 code of a foreign party")

    @model_validator(mode="after")
    def _enterprise_has_code(self) -> PartyIn:
        if self.kind is PartyKind.ENTERPRISE and self.credit_code is None:
            raise ValueError("an enterprise party needs its unified social credit code (credit_code)")
        if self.kind is PartyKind.FOREIGN and self.country is None:
            raise ValueError("a foreign party needs its country")
        return self


class PartyPublic(BaseModel):
    """A party of a case."""

    model_config = ConfigDict(from_attributes=True)

    role: str
    kind: str
    name: str
    credit_code: str | None
    country: str | None


class RightPublic(BaseModel):
    """A right the case concerns."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    number: str
    patent_type: str | None


class CaseCreate(BaseModel):
    """Open a case (intake)."""

    case_type: CaseType
    channel: Channel = Channel.ORDINARY
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20000)
    complex: bool = Field(default=False, description="a complex mediation gets 3 months instead of 2")
    parties: list[PartyIn] = Field(min_length=1, max_length=50)
    patent_numbers: list[PatentNumber] = Field(default_factory=list, max_length=200, examples=[["202010123456.2"]])
    trademark_numbers: list[TrademarkNumber] = Field(default_factory=list, max_length=200)
    requester_agency_id: str | None = Field(
        default=None,
        max_length=64,
        description="the service agency that brought the case for its enterprise; only it (and operators) "
        "may read the case. Set from the token when an agency files the case.",
    )
    received_at: datetime | None = Field(
        default=None, description="when the application arrived (defaults to now; never in the future, not before 2000)"
    )

    @model_validator(mode="after")
    def _one_requester(self) -> CaseCreate:
        if not any(p.role is PartyRole.REQUESTER for p in self.parties):
            raise ValueError("a case needs a requester among its parties")
        return self


class HandlerPublic(BaseModel):
    """A case officer on the case."""

    model_config = ConfigDict(from_attributes=True)

    handler_id: str
    name: str
    lead: bool
    assigned_at: datetime
    released_at: datetime | None


class ClockPublic(BaseModel):
    """One deadline of a case as of today."""

    clock: Clock
    running: bool
    paused: bool = False
    due_date: date | None
    max_date: date | None = None
    overdue: bool
    remaining_working_days: int | None


class CasePublic(BaseModel):
    """A case."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_type: CaseType
    channel: Channel
    status: CaseStatus
    title: str
    description: str
    complex: bool
    requester_agency_id: str | None
    related_case_id: str | None
    resolution_reason: str | None
    resolution: str | None
    received_at: datetime
    accepted_at: datetime | None
    rejected_at: datetime | None
    under_review_at: datetime | None
    decided_at: datetime | None
    mediated_at: datetime | None
    mediation_failed_at: datetime | None
    withdrawn_at: datetime | None
    closed_at: datetime | None
    received_date: date
    acceptance_due_date: date
    handling_started_date: date | None
    handling_due_date: date | None
    handling_max_date: date | None
    closed_within_deadline: bool | None
    parties: list[PartyPublic] = Field(default_factory=list)
    rights: list[RightPublic] = Field(default_factory=list)
    handlers: list[HandlerPublic] = Field(default_factory=list)
    allowed_moves: list[Move] = Field(default_factory=list)
    version: int


class CasePage(BaseModel):
    """A page of cases."""

    items: list[CasePublic]
    total: int


class CaseTransition(BaseModel):
    """Move a case on."""

    move: Move
    reason: str | None = Field(default=None, max_length=2000, description="why (kept in the history)")
    resolution_reason: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="on an outcome: e.g. infringement_found, no_infringement, agreement, no_agreement, "
        "not_admissible, assistance_given",
    )
    resolution: str | None = Field(default=None, max_length=20000, description="the outcome in words")
    expected_version: int | None = Field(default=None, description="refuse the move if the case changed since")
    occurred_at: datetime | None = Field(
        default=None,
        description="when the move happened, if recorded afterwards (not in the future, not before the case's "
        "previous status); defaults to now",
    )


class ClosedCasePublic(CasePublic):
    """A case just closed, with the single-use token by which the served party rates the service.
    The token is shown only here, once."""

    rating_token: str


class HandlerAssign(BaseModel):
    """Assign a case officer."""

    handler_id: str = Field(min_length=1, max_length=200, description="the officer's subject id")
    name: str = Field(min_length=1, max_length=200)
    lead: bool = False


class DocumentCreate(BaseModel):
    """Evidence or a document by reference: its content stays where it is kept."""

    kind: DocumentKind = DocumentKind.EVIDENCE
    title: str = Field(min_length=1, max_length=300)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the content, hex")
    size_bytes: int = Field(ge=0, le=10 * 1024**3)
    media_type: str = Field(
        max_length=200,
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*$",
        examples=["application/pdf"],
    )
    reference: str = Field(min_length=1, max_length=1000, description="where the content is kept (URI)")
    submitted_by_role: PartyRole | None = None


class DocumentPublic(BaseModel):
    """Evidence or a document."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    sha256: str
    size_bytes: int
    media_type: str
    reference: str
    submitted_by_role: str | None
    added_by: str
    added_at: datetime


class DocumentPage(BaseModel):
    """Documents of a case."""

    items: list[DocumentPublic]
    total: int


class TimelineEntry(BaseModel):
    """One entry of the case timeline."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    kind: str
    summary: str
    details: dict[str, object]


class Timeline(BaseModel):
    """The case timeline, oldest first."""

    items: list[TimelineEntry]


class PauseCreate(BaseModel):
    """Stop a clock (中止), with the reason."""

    clock: Clock = Clock.HANDLING
    started_on: date
    reason: str = Field(min_length=1, max_length=500)


class PauseEnd(BaseModel):
    """Restart a stopped clock on `ended_on`."""

    ended_on: date


class PausePublic(BaseModel):
    """A pause of a clock."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    clock: str
    started_on: date
    ended_on: date | None
    reason: str
    recorded_by: str
    recorded_at: datetime


class ExtensionCreate(BaseModel):
    """Extend the handling deadline, in the unit of the case's rule."""

    amount: int = Field(ge=1, le=366)
    reason: str = Field(min_length=1, max_length=500)


class ExtensionPublic(BaseModel):
    """An extension granted."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    amount: int
    unit: str
    reason: str
    granted_by: str
    granted_at: datetime


class CalendarDayPut(BaseModel):
    """Declare a day a public holiday or a make-up working day."""

    kind: DayKind
    name: str = Field(min_length=1, max_length=100)


class CalendarDayPublic(BaseModel):
    """A holiday or make-up working day."""

    model_config = ConfigDict(from_attributes=True)

    day: date
    kind: str
    name: str
    updated_by: str
    updated_at: datetime


class CalendarPage(BaseModel):
    """Special days of a year."""

    items: list[CalendarDayPublic]


class RatingCreate(BaseModel):
    """A satisfaction rating, by the token issued at closure."""

    token: str = Field(min_length=20, max_length=200)
    score: int = Field(ge=0, le=100)
    comment: str | None = Field(default=None, max_length=1000)


class RatingPublic(BaseModel):
    """A rating recorded."""

    model_config = ConfigDict(from_attributes=True)

    case_id: str
    score: int
    rated_at: datetime


# Days outside this range are typing errors, and arithmetic over them (a working-day count from
# year 1) would only waste time.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class OverdueScan(BaseModel):
    """Run the overdue scan for a day."""

    as_of: date = Field(ge=EARLIEST, le=LATEST)


class DeadlineItem(BaseModel):
    """A case on the overdue or at-risk list."""

    case_id: str
    case_type: CaseType
    channel: Channel
    status: CaseStatus
    clock: Clock
    due_date: date
    days_overdue: int = 0
    remaining_working_days: int = 0


class DeadlineList(BaseModel):
    """Cases past, or close to, their deadline on `as_of`."""

    as_of: date
    items: list[DeadlineItem]


class OverdueScanResult(BaseModel):
    """What an overdue scan flagged (each case and clock once, ever)."""

    as_of: date
    flagged: list[DeadlineItem]


class AdjudicationFromMediation(BaseModel):
    """Open the adjudication case that follows a failed mediation."""

    title: str | None = Field(default=None, max_length=300, description="defaults to the mediation's title")
    channel: Channel | None = Field(default=None, description="defaults to the mediation's channel")


class CaseDetail(CasePublic):
    """A case with its clocks as of today."""

    clocks: list[ClockPublic] = Field(default_factory=list)


class HandlingTimePublic(BaseModel):
    """Days from receipt to closure of one type's cases closed in the year."""

    model_config = ConfigDict(from_attributes=True)

    case_type: CaseType
    closed: int
    mean_days: Decimal | None
    median_days: Decimal | None


class YearStatistics(BaseModel):
    """The plan's enforcement figures of one year (operators)."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    cases: int
    previous_cases: int
    case_growth: Decimal | None
    administrative_cases: int
    previous_administrative_cases: int
    administrative_growth: Decimal | None
    growth_target: Decimal
    growth_met: bool | None
    enterprises_served: int
    enterprises_target: int
    closed: int
    closed_within_deadline: int
    share_closed_within_deadline: Decimal | None
    overdue_cases: int
    overdue_rate: Decimal | None
    ratings: int
    satisfaction_average: Decimal | None
    satisfaction_target: Decimal
    satisfaction_met: bool | None
    handling_time: list[HandlingTimePublic]


class PublicYear(BaseModel):
    """One year of the public view: aggregates only, no party or case named."""

    year: int
    cases: int
    administrative_cases: int
    administrative_growth: Decimal | None
    growth_target: Decimal
    enterprises_served: int
    enterprises_target: int
    share_closed_within_deadline: Decimal | None
    satisfaction_average: Decimal | None
    satisfaction_target: Decimal
    ratings: int


class PublicStatistics(BaseModel):
    """The public view of rights protection in the district, per year."""

    years: list[PublicYear]


class CaseUpdate(BaseModel):
    """Correct a case's description, or mark it complex (a mediation then runs 3 months)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20000)
    complex: bool | None = None
    reason: str = Field(min_length=1, max_length=500, description="why (kept in the timeline)")


class NoteCreate(BaseModel):
    """Record something done on a case (a hearing, an evidence exchange, a call) on its timeline."""

    kind: NoteKind
    summary: str = Field(min_length=1, max_length=500)
    occurred_at: datetime | None = Field(default=None, description="when it happened (defaults to now)")
