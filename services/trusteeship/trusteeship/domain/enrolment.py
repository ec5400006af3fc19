"""Enrolment rules: an enterprise is held by one agency at a time, within the agency's contract
period and quota; a transfer closes one enrolment and opens the next on the same day, so the
history has no gap and no overlap. Coverage counts distinct enterprises ever enrolled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ipops.errors import Conflict, RuleViolation


@dataclass(frozen=True)
class Contract:
    """What an agency's government-purchase contract allows."""

    agency_id: str
    start_date: date | None  # None: the agency is registered without a trusteeship contract
    end_date: date | None
    quota: int


def check_can_enrol(contract: Contract, start_date: date, active_count: int, *, held_by: str | None) -> None:
    """Refuse an enrolment the contract or the one-agency rule does not allow."""
    if held_by is not None:
        if held_by == contract.agency_id:
            raise Conflict("the enterprise is already enrolled with this agency")
        raise Conflict("the enterprise is enrolled with another agency; the district office transfers it")
    check_within_contract(contract, start_date, field="body.start_date")
    if active_count >= contract.quota:
        raise RuleViolation(
            f"the agency holds {active_count} enterprises, its quota is {contract.quota}", field="body.agency_id"
        )


def check_within_contract(contract: Contract, day: date, *, field: str) -> None:
    """A day on which the agency serves must fall within its contract period."""
    if contract.start_date is None or contract.end_date is None:
        raise RuleViolation(f"agency {contract.agency_id} has no trusteeship contract", field=field)
    if not contract.start_date <= day <= contract.end_date:
        raise RuleViolation(
            f"{day} is outside the agency's contract period {contract.start_date} to {contract.end_date}",
            field=field,
        )


def check_starts_after(last_end: date | None, start_date: date) -> None:
    """History has no overlaps: a new enrolment starts no earlier than the last one ended."""
    if last_end is not None and start_date < last_end:
        raise RuleViolation(f"the last enrolment ended on {last_end}", field="body.start_date")


def check_end(start_date: date, end_date: date, *, field: str) -> None:
    """An enrolment cannot end before it started."""
    if end_date < start_date:
        raise RuleViolation(f"the enrolment started on {start_date}; it cannot end on {end_date}", field=field)


ACTIVE, TRANSFERRED, EXITED = "active", "transferred", "exited"

# The enrolment state machine: only an active enrolment moves; both moves end it.
ALLOWED_MOVES: dict[str, dict[str, str]] = {
    ACTIVE: {"transfer": TRANSFERRED, "exit": EXITED},
    TRANSFERRED: {},
    EXITED: {},
}


def move(status: str, action: str) -> str:
    """The status after `action`; Conflict listing the allowed moves when it is not one."""
    allowed = ALLOWED_MOVES[status]
    if action not in allowed:
        raise Conflict(f"an enrolment that is {status} cannot {action}", allowed_moves=list(allowed))
    return allowed[action]
