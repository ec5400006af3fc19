"""The HTTP contract of deadlines (a case's clocks, the overdue and at-risk lists, the scan), what
the use cases hand to the presenters, and the presenters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from enforcement.enums import CaseStatus, CaseType, Channel, Clock
from enforcement.models import Case
from ipops.fields import BoundedDate


class ClockPublic(BaseModel):
    """One deadline of a case as of today."""

    clock: Clock
    running: bool
    paused: bool = False
    due_date: date | None
    max_date: date | None = None
    overdue: bool
    remaining_working_days: int | None
    calendar_missing_year: int | None = Field(
        default=None,
        description="the year whose holiday calendar this clock needs and no source covers yet: its due date "
        "(or only its max_date) is unknown until an operator declares the year",
    )


class OverdueScan(BaseModel):
    """Run the overdue scan for a day."""

    as_of: BoundedDate


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


class WaitingItem(BaseModel):
    """An open case whose running deadline cannot be judged: it needs a calendar year no source
    covers (it is listed, never silently left out)."""

    case_id: str
    case_type: CaseType
    channel: Channel
    status: CaseStatus
    clock: Clock
    calendar_missing_year: int


class DeadlineList(BaseModel):
    """Cases past, or close to, their deadline on `as_of`, and the cases whose deadline waits for
    a calendar year."""

    as_of: date
    items: list[DeadlineItem]
    waiting_for_calendar: list[WaitingItem] = Field(default_factory=list)


class OverdueScanResult(BaseModel):
    """What an overdue scan flagged (each case and clock once, ever), and the cases it could not
    judge because their deadline waits for a calendar year."""

    as_of: date
    flagged: list[DeadlineItem]
    waiting_for_calendar: list[WaitingItem] = Field(default_factory=list)


@dataclass(frozen=True)
class ClockState:
    """One clock of a case on a day."""

    clock: Clock
    running: bool
    paused: bool
    due_date: date | None
    max_date: date | None
    overdue: bool
    remaining_working_days: int | None
    calendar_missing_year: int | None = None


@dataclass(frozen=True)
class DeadlineState:
    """Where one open case stands against its running clock on a day."""

    case: Case
    clock: Clock
    due_date: date
    paused: bool
    overdue: bool
    days_overdue: int
    remaining_working_days: int


@dataclass(frozen=True)
class WaitingState:
    """An open case whose running clock needs a calendar year no source covers."""

    case: Case
    clock: Clock
    year: int


@dataclass(frozen=True)
class Judged:
    """Open cases judged on a day (the overdue ones, the ones at risk or the ones just flagged),
    and the ones that could not be judged for want of a calendar year."""

    states: list[DeadlineState]
    waiting: list[WaitingState]


def clock_public(state: ClockState) -> ClockPublic:
    """A clock as the API shows it."""
    return ClockPublic(
        clock=state.clock,
        running=state.running,
        paused=state.paused,
        due_date=state.due_date,
        max_date=state.max_date,
        overdue=state.overdue,
        remaining_working_days=state.remaining_working_days,
        calendar_missing_year=state.calendar_missing_year,
    )


def deadline_item(state: DeadlineState) -> DeadlineItem:
    """A case on a deadline list."""
    return DeadlineItem(
        case_id=state.case.id,
        case_type=CaseType(state.case.case_type),
        channel=state.case.channel,
        status=CaseStatus(state.case.status),
        clock=state.clock,
        due_date=state.due_date,
        days_overdue=state.days_overdue,
        remaining_working_days=state.remaining_working_days,
    )


def waiting_item(state: WaitingState) -> WaitingItem:
    """A case whose deadline waits for a calendar year."""
    return WaitingItem(
        case_id=state.case.id,
        case_type=CaseType(state.case.case_type),
        channel=Channel(state.case.channel),
        status=CaseStatus(state.case.status),
        clock=state.clock,
        calendar_missing_year=state.year,
    )


def deadline_list(as_of: date, judged: Judged) -> DeadlineList:
    """A deadline list of a day."""
    return DeadlineList(
        as_of=as_of,
        items=[deadline_item(s) for s in judged.states],
        waiting_for_calendar=[waiting_item(w) for w in judged.waiting],
    )


def overdue_scan_result(as_of: date, judged: Judged) -> OverdueScanResult:
    """What a scan flagged, and what it could not judge."""
    return OverdueScanResult(
        as_of=as_of,
        flagged=[deadline_item(s) for s in judged.states],
        waiting_for_calendar=[waiting_item(w) for w in judged.waiting],
    )
