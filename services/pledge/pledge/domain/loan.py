"""The loan state machine. Every move a loan can make is in `ALLOWED_MOVES`; anything else is a
`Conflict` listing the moves that are allowed, so a bank's system can tell what it may do next.

Also the days-past-due arithmetic and its buckets (current, 1-30, 31-60, 61-90, 91-180, 181+),
the delinquency classes loan systems such as Fineract report.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ipops.errors import Conflict
from pledge.enums import LoanStatus, Move, RightKind

S = LoanStatus
M = Move

ALLOWED_MOVES: Mapping[LoanStatus, Mapping[Move, LoanStatus]] = {
    S.SUBMITTED: {M.APPROVE: S.APPROVED, M.REJECT: S.REJECTED, M.WITHDRAW: S.WITHDRAWN},
    S.APPROVED: {M.REGISTER: S.REGISTERED, M.WITHDRAW: S.WITHDRAWN, M.UNDO_APPROVE: S.SUBMITTED},
    S.REGISTERED: {M.DISBURSE: S.DISBURSED, M.WITHDRAW: S.WITHDRAWN},
    S.DISBURSED: {
        M.REPAY: S.DISBURSED,
        M.MARK_OVERDUE: S.OVERDUE,
        M.CLOSE_REPAID: S.CLOSED_REPAID,
        M.UNDO_DISBURSE: S.REGISTERED,
    },
    S.OVERDUE: {
        M.REPAY: S.OVERDUE,
        M.MARK_OVERDUE: S.OVERDUE,
        M.CURE: S.DISBURSED,
        M.DEFAULT: S.DEFAULTED,
        M.CLOSE_REPAID: S.CLOSED_REPAID,
    },
    S.DEFAULTED: {
        M.REPAY: S.DEFAULTED,
        M.COMPENSATE: S.COMPENSATED,
        M.RECOVER: S.DEFAULTED,
        M.WRITE_OFF: S.CLOSED_WRITTEN_OFF,
        M.CLOSE_REPAID: S.CLOSED_REPAID,
    },
    S.COMPENSATED: {
        M.RECOVER: S.COMPENSATED,
        M.WRITE_OFF: S.CLOSED_WRITTEN_OFF,
        M.CLOSE_REPAID: S.CLOSED_REPAID,
    },
    S.REJECTED: {},
    S.WITHDRAWN: {},
    S.CLOSED_REPAID: {},
    S.CLOSED_WRITTEN_OFF: {},
}

TERMINAL: frozenset[LoanStatus] = frozenset(s for s, moves in ALLOWED_MOVES.items() if not moves)
# A loan "lives" (holds its collateral, counts as outstanding) until it is terminal.
LIVE: frozenset[LoanStatus] = frozenset(LoanStatus) - TERMINAL
# Non-performing: the classes whose principal counts in a bank's NPL ratio.
NON_PERFORMING: frozenset[LoanStatus] = frozenset({S.DEFAULTED, S.COMPENSATED, S.CLOSED_WRITTEN_OFF})
# Only a bank's own system may make these moves on its loans; `compensate` is the pool's.
BANK_MOVES: frozenset[Move] = frozenset(Move) - {M.COMPENSATE, M.REPAY, M.RECOVER, M.CURE}


@dataclass(frozen=True)
class StateChange:
    """One applied move: the history row of the loan."""

    from_status: LoanStatus
    to_status: LoanStatus
    move: Move
    actor: str
    at: datetime
    reason: str | None = None


def allowed_moves(status: LoanStatus) -> list[str]:
    """The moves allowed from `status`, sorted."""
    return sorted(m.value for m in ALLOWED_MOVES[status])


def transition(status: LoanStatus, move: Move, *, actor: str, at: datetime, reason: str | None = None) -> StateChange:
    """Apply `move` to a loan in `status`; `Conflict` (409) with the allowed moves otherwise."""
    target = ALLOWED_MOVES[status].get(move)
    if target is None:
        raise Conflict(
            f"a {status.value} loan cannot {move.value}",
            allowed_moves=allowed_moves(status),
            current_status=status.value,
        )
    return StateChange(from_status=status, to_status=target, move=move, actor=actor, at=at, reason=reason)


def pledged_numbers(rights: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The patent numbers and the trademark numbers among pledged rights given as (kind, number)."""
    pairs = list(rights)
    patents = [number for kind, number in pairs if kind == RightKind.PATENT.value]
    trademarks = [number for kind, number in pairs if kind == RightKind.TRADEMARK.value]
    return patents, trademarks


def is_mixed_pledge(rights: Iterable[tuple[str, str]]) -> bool:
    """A patent and a trademark pledged together (derived, never stored)."""
    patents, trademarks = pledged_numbers(rights)
    return bool(patents) and bool(trademarks)


# --- days past due -------------------------------------------------------------------------------

DPD_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "current"),
    (1, 30, "dpd_1_30"),
    (31, 60, "dpd_31_60"),
    (61, 90, "dpd_61_90"),
    (91, 180, "dpd_91_180"),
    (181, None, "dpd_181_plus"),
)


def days_past_due(overdue_since: date | None, as_of: date) -> int:
    """Days from the first unpaid due date to `as_of` (0 when nothing is overdue)."""
    if overdue_since is None or as_of < overdue_since:
        return 0
    return (as_of - overdue_since).days + 1


def dpd_bucket(days: int) -> str:
    """The delinquency bucket of `days` past due."""
    if days < 0:
        raise ValueError("days past due cannot be negative")
    for low, high, name in DPD_BUCKETS:
        if days >= low and (high is None or days <= high):
            return name
    raise AssertionError("buckets cover every non-negative day count")  # pragma: no cover


def maturity_date(disbursed: date, term_months: int) -> date:
    """The day the last principal is due: `term_months` after disbursement, on the same day of
    the month or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    months = disbursed.month - 1 + term_months
    year, month = disbursed.year + months // 12, months % 12 + 1
    return date(year, month, min(disbursed.day, calendar.monthrange(year, month)[1]))


def past_maturity_since(disbursed: date, term_months: int, outstanding_fen: int, as_of: date) -> date | None:
    """The first day past due of a loan still owing principal after its maturity, else None."""
    first_late_day = maturity_date(disbursed, term_months) + timedelta(days=1)
    if outstanding_fen > 0 and as_of >= first_late_day:
        return first_late_day
    return None
