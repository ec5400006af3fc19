"""The HTTP contract of deadlines (a case's clocks, the overdue and at-risk lists, the scan), what
the use cases hand to the presenters, and the presenters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from enforcement.enums import CaseStatus, CaseType, Channel, Clock
from enforcement.models import Case

# Days outside this range are typing errors, and arithmetic over them (a working-day count from
# year 1) would only waste time.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class ClockPublic(BaseModel):
    """One deadline of a case as of today."""

    clock: Clock
    running: bool
    paused: bool = False
    due_date: date | None
    max_date: date | None = None
    overdue: bool
    remaining_working_days: int | None


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


def deadline_list(as_of: date, states: Sequence[DeadlineState]) -> DeadlineList:
    """A deadline list of a day."""
    return DeadlineList(as_of=as_of, items=[deadline_item(s) for s in states])


def overdue_scan_result(as_of: date, flagged: Sequence[DeadlineState]) -> OverdueScanResult:
    """What a scan flagged."""
    return OverdueScanResult(as_of=as_of, flagged=[deadline_item(s) for s in flagged])
