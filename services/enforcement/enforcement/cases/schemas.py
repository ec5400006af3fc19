"""The HTTP contract of cases (intake, the case and its moves, handlers, documents, timeline,
pauses, extensions) and its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from enforcement.cases.repository import CaseRows
from enforcement.common import Instant
from enforcement.deadlines.schemas import ClockPublic, ClockState, clock_public
from enforcement.domain import workflow
from enforcement.enums import (
    CaseStatus,
    CaseType,
    Channel,
    Clock,
    DocumentKind,
    Move,
    NoteKind,
    PartyKind,
    PartyRole,
)
from enforcement.models import CaseDocument, CaseEvent, CaseExtension, CaseHandler, CasePause
from ipops.fields import BoundedDate, CreditCode, JsonInt, PatentNumber, TrademarkNumber


class PartyIn(BaseModel):
    """A party of a case. An enterprise must give its unified social credit code and a foreign
    party its country (rules across fields: refused as `rule-violation` naming the field)."""

    role: PartyRole
    kind: PartyKind = PartyKind.ENTERPRISE
    name: str = Field(min_length=1, max_length=200)
    credit_code: CreditCode | None = Field(default=None, examples=["91110000600037341L"])
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166 code of a foreign party")


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
    complex: StrictBool = Field(default=False, description="a complex mediation gets 3 months instead of 2")
    parties: list[PartyIn] = Field(
        min_length=1, max_length=50, description="at least one requester (a rule: refused as `rule-violation`)"
    )
    patent_numbers: list[PatentNumber] = Field(default_factory=list, max_length=200, examples=[["202010123456.2"]])
    trademark_numbers: list[TrademarkNumber] = Field(default_factory=list, max_length=200)
    requester_agency_id: str | None = Field(
        default=None,
        max_length=64,
        description="the service agency that brought the case for its enterprise; only it (and operators) "
        "may read the case. Set from the token when an agency files the case.",
    )
    received_at: Instant | None = Field(
        default=None, description="when the application arrived (defaults to now; never in the future, not before 2000)"
    )


class HandlerPublic(BaseModel):
    """A case officer on the case."""

    model_config = ConfigDict(from_attributes=True)

    handler_id: str
    name: str
    lead: bool
    assigned_at: datetime
    released_at: datetime | None


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
    cancelled_at: datetime | None = None
    closed_at: datetime | None
    received_date: date
    acceptance_due_date: date | None
    handling_started_date: date | None
    handling_due_date: date | None
    handling_max_date: date | None
    calendar_missing_year: int | None = Field(
        default=None, description="the holiday calendar year a deadline waits for (its date is null until then)"
    )
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
        "not_admissible, assistance_given; on a cancellation: opened_in_error, merged, duplicate",
    )
    resolution: str | None = Field(default=None, max_length=20000, description="the outcome in words")
    expected_version: JsonInt | None = Field(default=None, description="refuse the move if the case changed since")
    occurred_at: Instant | None = Field(
        default=None,
        description="when the move happened, if recorded afterwards (not in the future, not before the case's "
        "previous status); defaults to now",
    )


class ClosedCasePublic(CasePublic):
    """A case just closed, with the single-use token by which the served party rates the service.
    The token is shown only here, once."""

    rating_token: str


class CaseDetail(CasePublic):
    """A case with its clocks as of today."""

    clocks: list[ClockPublic] = Field(default_factory=list)


class CaseUpdate(BaseModel):
    """Correct a case's description or its mistaken type, or mark it complex (a mediation then
    runs 3 months)."""

    case_type: CaseType | None = Field(default=None, description="a corrected type (deadline and figures follow)")
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20000)
    complex: StrictBool | None = None
    reason: str = Field(min_length=1, max_length=500, description="why (kept in the timeline)")


class AdjudicationFromMediation(BaseModel):
    """Open the adjudication case that follows a failed mediation."""

    title: str | None = Field(default=None, max_length=300, description="defaults to the mediation's title")
    channel: Channel | None = Field(default=None, description="defaults to the mediation's channel")


class HandlerAssign(BaseModel):
    """Assign a case officer."""

    handler_id: str = Field(min_length=1, max_length=200, description="the officer's subject id")
    name: str = Field(min_length=1, max_length=200)
    lead: StrictBool = False


class DocumentCreate(BaseModel):
    """Evidence or a document by reference: its content stays where it is kept."""

    kind: DocumentKind = DocumentKind.EVIDENCE
    title: str = Field(min_length=1, max_length=300)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256 of the content, hex")
    size_bytes: JsonInt = Field(ge=0, le=10 * 1024**3)
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


class NoteCreate(BaseModel):
    """Record something done on a case (a hearing, an evidence exchange, a call) on its timeline."""

    kind: NoteKind
    summary: str = Field(min_length=1, max_length=500)
    occurred_at: Instant | None = Field(default=None, description="when it happened (defaults to now)")


class PauseCreate(BaseModel):
    """Stop a clock (中止), with the reason."""

    clock: Clock = Clock.HANDLING
    started_on: BoundedDate
    reason: str = Field(min_length=1, max_length=500)


class PauseEnd(BaseModel):
    """Restart a stopped clock on `ended_on`."""

    ended_on: BoundedDate


class PausePublic(BaseModel):
    """A pause of a clock."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="random (not a sequence)")
    clock: str
    started_on: date
    ended_on: date | None
    reason: str
    recorded_by: str
    recorded_at: datetime


class ExtensionCreate(BaseModel):
    """Extend the handling deadline, in the unit of the case's rule."""

    amount: JsonInt = Field(ge=1, le=366)
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


# --- presenters ----------------------------------------------------------------------------------


def case_public(rows: CaseRows) -> CasePublic:
    """A case with its parties, rights, handlers and the moves allowed next."""
    return _filled(CasePublic.model_validate(rows.case), rows)


def _filled(view: CasePublic, rows: CaseRows) -> CasePublic:
    case = rows.case
    view.parties = [PartyPublic.model_validate(p) for p in rows.parties]
    view.rights = [RightPublic.model_validate(r) for r in rows.rights]
    view.handlers = [handler_public(h) for h in rows.handlers]
    view.allowed_moves = workflow.allowed_moves(CaseType(case.case_type), CaseStatus(case.status))
    return view


def case_page(rows: Sequence[CaseRows], total: int) -> CasePage:
    """A page of cases."""
    return CasePage(items=[case_public(r) for r in rows], total=total)


def case_detail(rows: CaseRows, clocks: Sequence[ClockState]) -> CaseDetail:
    """A case with its clocks."""
    return CaseDetail(**case_public(rows).model_dump(), clocks=[clock_public(c) for c in clocks])


def moved_case_public(rows: CaseRows, rating_token: str | None) -> CasePublic:
    """A case after a move; a closed one shows, once, the token by which it is rated."""
    view = case_public(rows)
    if rating_token is not None:
        return ClosedCasePublic(**view.model_dump(), rating_token=rating_token)
    return view


def handler_public(row: CaseHandler) -> HandlerPublic:
    """A case officer's assignment."""
    return HandlerPublic.model_validate(row)


def document_public(row: CaseDocument) -> DocumentPublic:
    """A document of a case."""
    return DocumentPublic.model_validate(row)


def document_page(rows: Sequence[CaseDocument], total: int) -> DocumentPage:
    """A page of a case's documents."""
    return DocumentPage(items=[document_public(r) for r in rows], total=total)


def timeline_entry_public(row: CaseEvent) -> TimelineEntry:
    """One entry of a case's timeline."""
    return TimelineEntry.model_validate(row)


def timeline_public(rows: Sequence[CaseEvent]) -> Timeline:
    """A case's timeline."""
    return Timeline(items=[timeline_entry_public(r) for r in rows])


def pause_public(row: CasePause) -> PausePublic:
    """A pause of a clock."""
    return PausePublic.model_validate(row)


def extension_public(row: CaseExtension) -> ExtensionPublic:
    """An extension granted."""
    return ExtensionPublic.model_validate(row)
