"""The state machines of the operations service, as tables of moves.

Guarantees: `ALLOWED_MOVES[entity][status]` is the whole rulebook; `move` consults nothing else; an
illegal move raises `Conflict` listing the moves the current status does allow (none for a final
status), so a client can show them.
"""

from __future__ import annotations

from collections.abc import Mapping

from ipops.errors import Conflict
from operations.enums import DesignationStatus as D
from operations.enums import RevenueStatus as R
from operations.enums import TransactionStatus as T

ALLOWED_MOVES: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    # An operator checks the evidence once; a correction is a new version, not a move.
    "revenue_report": {
        R.SUBMITTED: {"verify": R.VERIFIED, "reject": R.REJECTED},
        R.VERIFIED: {},
        R.REJECTED: {},
    },
    "transaction": {
        T.IN_FORCE: {"rescind": T.RESCINDED},
        T.RESCINDED: {},
    },
    # A refusal may be overturned on review; a lapsed protection is renewed as protected again
    # (restoration within the grace period); a pending designation may be withdrawn as lapsed.
    "designation": {
        D.PENDING: {"protect": D.PROTECTED, "refuse": D.REFUSED, "lapse": D.LAPSED},
        D.PROTECTED: {"lapse": D.LAPSED},
        D.REFUSED: {"protect": D.PROTECTED, "lapse": D.LAPSED},
        D.LAPSED: {"protect": D.PROTECTED},
    },
}


def move(entity: str, status: str, name: str) -> str:
    """The status `name` leads to from `status`; Conflict with the allowed moves otherwise."""
    allowed = ALLOWED_MOVES[entity][status]
    if name not in allowed:
        raise Conflict(f"a {entity.replace('_', ' ')} that is {status} cannot {name}", allowed_moves=list(allowed))
    return allowed[name]


def designation_move(target: str) -> str:
    """The move that enters designation status `target` (the API takes the status, not the verb)."""
    return {D.PROTECTED: "protect", D.REFUSED: "refuse", D.LAPSED: "lapse"}.get(D(target), "pending")
