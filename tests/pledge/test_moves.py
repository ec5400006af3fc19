"""The loan state machine's table (`pledge.loans.moves.MOVES`), pure: it holds exactly the moves
a bank makes through /transitions, each reachable in `ALLOWED_MOVES`, and says which of them
announce an event and which have a follow-up."""

from __future__ import annotations

from pledge.domain.loan import ALLOWED_MOVES, BANK_MOVES
from pledge.enums import Move as M
from pledge.loans.moves import MOVES


def test_the_table_holds_exactly_the_banks_moves() -> None:
    assert set(MOVES) == set(BANK_MOVES)


def test_every_move_in_the_table_is_allowed_from_some_status() -> None:
    reachable = {m for moves in ALLOWED_MOVES.values() for m in moves}
    assert set(MOVES) <= reachable


def test_the_moves_that_announce_an_event() -> None:
    announced = {m for m, rule in MOVES.items() if rule.event is not None}
    assert announced == {
        M.APPROVE,
        M.UNDO_APPROVE,
        M.DISBURSE,
        M.UNDO_DISBURSE,
        M.DEFAULT,
        M.CLOSE_REPAID,
        M.WRITE_OFF,
    }


def test_only_a_default_has_a_follow_up_the_banks_npl_check() -> None:
    assert {m for m, rule in MOVES.items() if rule.then is not None} == {M.DEFAULT}
