"""The move table of the case workflow (`enforcement/cases/moves.py`): every move has its row,
and each row announces the event the README promises (pure: no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from enforcement.cases.moves import MOVES, Announced, Moved, issue_rating_token, start_handling_clock
from enforcement.domain import workflow
from enforcement.domain.calendar import WorkCalendar
from enforcement.enums import CaseStatus, CaseType, Move
from enforcement.models import Case

# Written out by hand from the README's "Events out" (not derived from the table).
ANNOUNCES = {
    Move.ACCEPT: "ipops.enforcement.case.accepted.v1",
    Move.DECIDE: "ipops.enforcement.case.decided.v1",
    Move.MEDIATE: "ipops.enforcement.case.mediated.v1",
    Move.CLOSE: "ipops.enforcement.case.closed.v1",
    Move.WITHDRAW: "ipops.enforcement.case.withdrawn.v1",
    Move.CANCEL: "ipops.enforcement.case.cancelled.v1",
}
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_every_move_has_a_row() -> None:
    assert set(MOVES) == set(Move)


def test_only_acceptance_and_closure_do_more_than_enter_their_status() -> None:
    assert MOVES[Move.ACCEPT].effect is start_handling_clock
    assert MOVES[Move.CLOSE].effect is issue_rating_token
    assert {m for m, rule in MOVES.items() if rule.effect is not None} == {Move.ACCEPT, Move.CLOSE}


def test_moves_that_announce_nothing() -> None:
    assert {m for m, rule in MOVES.items() if rule.announce is None} == set(Move) - set(ANNOUNCES)


def _moved(move: Move, from_status: CaseStatus, case_type: CaseType = CaseType.PATENT_MEDIATION) -> Moved:
    case = Case(
        id="c1",
        case_type=case_type.value,
        channel="ordinary",
        status=from_status.value,
        title="t",
        created_by="operator:o",
        received_at=AT,
        received_date=date(2026, 3, 2),
        acceptance_due_date=date(2026, 3, 9),
        handling_due_date=date(2026, 5, 4),
        resolution_reason="agreement",
        closed_within_deadline=True,
    )
    step = workflow.transition(case_type, from_status, move)
    session: Any = None  # the event builders touch no database
    return Moved(session, case, step, AT, "operator:o", WorkCalendar(), "opened in error")


@pytest.mark.parametrize(
    ("move", "from_status"),
    [
        (Move.ACCEPT, CaseStatus.RECEIVED),
        (Move.MEDIATE, CaseStatus.UNDER_REVIEW),
        (Move.CLOSE, CaseStatus.MEDIATED),
        (Move.WITHDRAW, CaseStatus.ACCEPTED),
        (Move.CANCEL, CaseStatus.RECEIVED),
    ],
)
def test_each_event_repeats_the_case_and_its_requesters(move: Move, from_status: CaseStatus) -> None:
    announce = MOVES[move].announce
    assert announce is not None
    payload = announce(_moved(move, from_status), Announced(["202010123456.2"], ["12345678"], ["CODE"]))
    assert payload.event_type == ANNOUNCES[move]
    data = payload.model_dump()
    assert data["case_id"] == "c1" and data["case_type"] == "patent_mediation"
    assert data["requester_credit_codes"] == ["CODE"]


def test_closure_names_the_outcome_it_closes() -> None:
    announce = MOVES[Move.CLOSE].announce
    assert announce is not None
    payload = announce(_moved(Move.CLOSE, CaseStatus.MEDIATED), Announced([], [], []))
    data = payload.model_dump()
    assert data["outcome"] == "mediated" and data["within_deadline"] is True and data["closed_at"] == AT


def test_decision_names_the_rights() -> None:
    announce = MOVES[Move.DECIDE].announce
    assert announce is not None
    moved = _moved(Move.DECIDE, CaseStatus.UNDER_REVIEW, CaseType.PATENT_INFRINGEMENT_ADJUDICATION)
    payload = announce(moved, Announced(["202010123456.2"], ["12345678"], []))
    assert payload.event_type == ANNOUNCES[Move.DECIDE]
    data = payload.model_dump()
    assert data["patent_numbers"] == ["202010123456.2"] and data["trademark_numbers"] == ["12345678"]
