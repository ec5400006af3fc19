"""The case workflow: which move is allowed from which status, per case type.

Guarantees:
- `ALLOWED_MOVES[case_type][status]` is the whole rulebook; `transition` consults nothing else;
- an illegal move raises `Conflict` listing the moves that *are* allowed from the current status,
  so a client can show them; a closed case allows nothing;
- every move enters exactly one status, and `STATUS_TIMESTAMP` names the `<status>_at` field the
  caller must stamp, so no status is ever entered without its timestamp (Dispatch's rule);
- `running_clock(status)` names the one clock that runs in a status (acceptance until the case is
  accepted, handling until its outcome), or None once the outcome is reached;
- adjudication and enforcement cases end in a decision, mediation cases in an agreement or a
  failure, assistance cases are closed straight from review (assistance decides nothing); every
  type may be withdrawn before its outcome, and an adjudication may still end by settlement;
- a case opened in error, merged into another or duplicated is cancelled before its outcome
  (then closed): like a withdrawal it takes the case out of the plan's figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from enforcement.enums import CaseStatus, CaseType, Clock, Move
from ipops.errors import Conflict

S = CaseStatus
M = Move

# Moves before review are the same for every type.
_INTAKE: dict[CaseStatus, dict[Move, CaseStatus]] = {
    S.RECEIVED: {M.ACCEPT: S.ACCEPTED, M.REJECT: S.REJECTED, M.WITHDRAW: S.WITHDRAWN, M.CANCEL: S.CANCELLED},
    S.ACCEPTED: {M.START_REVIEW: S.UNDER_REVIEW, M.WITHDRAW: S.WITHDRAWN, M.CANCEL: S.CANCELLED},
    S.REJECTED: {M.CLOSE: S.CLOSED},
    S.WITHDRAWN: {M.CLOSE: S.CLOSED},
    S.CANCELLED: {M.CLOSE: S.CLOSED},
    S.CLOSED: {},
}

_ADJUDICATION = {
    **_INTAKE,
    S.UNDER_REVIEW: {M.DECIDE: S.DECIDED, M.MEDIATE: S.MEDIATED, M.WITHDRAW: S.WITHDRAWN, M.CANCEL: S.CANCELLED},
    S.DECIDED: {M.CLOSE: S.CLOSED},
    S.MEDIATED: {M.CLOSE: S.CLOSED},
}
_MEDIATION = {
    **_INTAKE,
    S.UNDER_REVIEW: {
        M.MEDIATE: S.MEDIATED,
        M.FAIL_MEDIATION: S.MEDIATION_FAILED,
        M.WITHDRAW: S.WITHDRAWN,
        M.CANCEL: S.CANCELLED,
    },
    S.MEDIATED: {M.CLOSE: S.CLOSED},
    S.MEDIATION_FAILED: {M.CLOSE: S.CLOSED},
}
_ENFORCEMENT = {
    **_INTAKE,
    S.UNDER_REVIEW: {M.DECIDE: S.DECIDED, M.WITHDRAW: S.WITHDRAWN, M.CANCEL: S.CANCELLED},
    S.DECIDED: {M.CLOSE: S.CLOSED},
}
_ASSISTANCE = {
    **_INTAKE,
    S.UNDER_REVIEW: {M.MEDIATE: S.MEDIATED, M.CLOSE: S.CLOSED, M.WITHDRAW: S.WITHDRAWN, M.CANCEL: S.CANCELLED},
    S.MEDIATED: {M.CLOSE: S.CLOSED},
}

ALLOWED_MOVES: Mapping[CaseType, Mapping[CaseStatus, Mapping[Move, CaseStatus]]] = {
    CaseType.PATENT_INFRINGEMENT_ADJUDICATION: _ADJUDICATION,
    CaseType.PATENT_MEDIATION: _MEDIATION,
    CaseType.COUNTERFEIT_PATENT: _ENFORCEMENT,
    CaseType.TRADEMARK_ENFORCEMENT: _ENFORCEMENT,
    CaseType.ASSISTANCE: _ASSISTANCE,
    CaseType.OVERSEAS_ASSISTANCE: _ASSISTANCE,
}

STATUS_TIMESTAMP: Mapping[CaseStatus, str] = {status: f"{status.value}_at" for status in CaseStatus}

# Statuses in which the handling clock no longer runs: the outcome is reached.
CONCLUDED = frozenset({S.REJECTED, S.DECIDED, S.MEDIATED, S.MEDIATION_FAILED, S.WITHDRAWN, S.CANCELLED, S.CLOSED})
OPEN = frozenset(CaseStatus) - {S.CLOSED}

# The clock each status runs: deciding on acceptance, then handling the case to its outcome.
RUNNING_CLOCK: Mapping[CaseStatus, Clock] = {
    S.RECEIVED: Clock.ACCEPTANCE,
    S.ACCEPTED: Clock.HANDLING,
    S.UNDER_REVIEW: Clock.HANDLING,
}


@dataclass(frozen=True)
class Step:
    """The outcome of a legal move."""

    from_status: CaseStatus
    move: Move
    to_status: CaseStatus
    timestamp_field: str


def allowed_moves(case_type: CaseType, status: CaseStatus) -> list[Move]:
    """Moves allowed from `status` for a case of `case_type`."""
    return list(ALLOWED_MOVES[case_type].get(status, {}))


def transition(case_type: CaseType, status: CaseStatus, move: Move) -> Step:
    """The step `move` makes from `status`; Conflict (409, with the allowed moves) otherwise."""
    moves = ALLOWED_MOVES[case_type].get(status, {})
    target = moves.get(move)
    if target is None:
        raise Conflict(
            f"a {case_type.value} case that is {status.value} cannot {move.value}",
            allowed_moves=[m.value for m in moves],
            current_status=status.value,
        )
    return Step(status, move, target, STATUS_TIMESTAMP[target])


def can_open_adjudication_from(case_type: CaseType, status: CaseStatus, closed_from: CaseStatus | None) -> bool:
    """A failed mediation (still open or closed after failing) may open a linked adjudication."""
    if case_type is not CaseType.PATENT_MEDIATION:
        return False
    return status is S.MEDIATION_FAILED or (status is S.CLOSED and closed_from is S.MEDIATION_FAILED)


def can_retype(case_type: CaseType, status: CaseStatus) -> bool:
    """A case's type may be corrected while its status exists in the corrected type's workflow (a
    failed mediation cannot become a trademark case; one still received can become anything)."""
    return status in ALLOWED_MOVES[case_type] and status is not S.CLOSED


def running_clock(status: CaseStatus) -> Clock | None:
    """The clock that runs in `status` (None once the outcome is reached)."""
    return RUNNING_CLOCK.get(status)
