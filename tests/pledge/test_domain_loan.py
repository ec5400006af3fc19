"""The loan state machine, pure: every (status, move) pair is either allowed with its target or
a 409 Conflict that lists the allowed moves."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ipops.errors import Conflict
from pledge.domain import loan as rules
from pledge.domain.loan import (
    ALLOWED_MOVES,
    LIVE,
    TERMINAL,
    days_past_due,
    dpd_bucket,
    is_mixed_pledge,
    pledged_numbers,
    transition,
)
from pledge.enums import LoanStatus as S
from pledge.enums import Move as M

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
AGGREGATES = ("banks", "rights", "loans", "claims", "pools", "insurance", "statistics")

LEGAL = [(s, m, t) for s, moves in ALLOWED_MOVES.items() for m, t in moves.items()]
ILLEGAL = [(s, m) for s in S for m in M if m not in ALLOWED_MOVES[s]]


@pytest.mark.parametrize(("status", "move", "target"), LEGAL)
def test_legal_move_reaches_its_target(status: S, move: M, target: S) -> None:
    change = transition(status, move, actor="bank-a", at=AT, reason="r")
    assert (change.from_status, change.to_status, change.move) == (status, target, move)
    assert change.actor == "bank-a" and change.at == AT


@pytest.mark.parametrize(("status", "move"), ILLEGAL)
def test_illegal_move_is_a_conflict_listing_allowed_moves(status: S, move: M) -> None:
    with pytest.raises(Conflict) as info:
        transition(status, move, actor="bank-a", at=AT)
    assert info.value.status == 409
    assert info.value.extensions["allowed_moves"] == sorted(m.value for m in ALLOWED_MOVES[status])


def test_the_published_lifecycle() -> None:
    path = [M.APPROVE, M.REGISTER, M.DISBURSE, M.REPAY, M.MARK_OVERDUE, M.DEFAULT, M.COMPENSATE, M.RECOVER, M.WRITE_OFF]
    status = S.SUBMITTED
    for move in path:
        status = transition(status, move, actor="x", at=AT).to_status
    assert status is S.CLOSED_WRITTEN_OFF


def test_undo_moves_return_to_the_previous_state() -> None:
    assert ALLOWED_MOVES[S.APPROVED][M.UNDO_APPROVE] is S.SUBMITTED
    assert ALLOWED_MOVES[S.DISBURSED][M.UNDO_DISBURSE] is S.REGISTERED


def test_terminal_and_live_partition_the_statuses() -> None:
    assert {S.REJECTED, S.WITHDRAWN, S.CLOSED_REPAID, S.CLOSED_WRITTEN_OFF} == TERMINAL
    assert set(S) == LIVE | TERMINAL and not LIVE & TERMINAL


@pytest.mark.parametrize(
    ("since", "as_of", "days", "bucket"),
    [
        (None, date(2026, 1, 1), 0, "current"),
        (date(2026, 1, 10), date(2026, 1, 9), 0, "current"),
        (date(2026, 1, 1), date(2026, 1, 1), 1, "dpd_1_30"),
        (date(2026, 1, 1), date(2026, 1, 30), 30, "dpd_1_30"),
        (date(2026, 1, 1), date(2026, 1, 31), 31, "dpd_31_60"),
        (date(2026, 1, 1), date(2026, 3, 31), 90, "dpd_61_90"),
        (date(2026, 1, 1), date(2026, 4, 1), 91, "dpd_91_180"),
        (date(2026, 1, 1), date(2026, 6, 30), 181, "dpd_181_plus"),
    ],
)
def test_days_past_due_and_bucket(since: date | None, as_of: date, days: int, bucket: str) -> None:
    assert days_past_due(since, as_of) == days
    assert dpd_bucket(days) == bucket


@pytest.mark.parametrize(
    ("disbursed", "months", "maturity"),
    [
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_maturity_date(disbursed: date, months: int, maturity: date) -> None:
    assert rules.maturity_date(disbursed, months) == maturity


def test_past_maturity() -> None:
    assert rules.past_maturity_since(date(2026, 1, 15), 1, 100, date(2026, 2, 15)) is None
    assert rules.past_maturity_since(date(2026, 1, 15), 1, 100, date(2026, 2, 16)) == date(2026, 2, 16)
    assert rules.past_maturity_since(date(2026, 1, 15), 1, 0, date(2026, 3, 1)) is None


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        dpd_bucket(-1)


def test_domain_imports_no_io() -> None:
    """Convention 2: the rules import no database, web or broker code."""
    banned = (
        "sqlmodel",
        "sqlalchemy",
        "fastapi",
        "aiokafka",
        "ipops.db",
        "ipops.events",
        "pledge.models",
        "pledge.common",
        "pledge.api",
        "pledge.handlers",
        "pledge.jobs",
        "pledge.main",
        *(f"pledge.{aggregate}" for aggregate in AGGREGATES),
    )
    domain_dir = Path(rules.__file__).parent
    for source in domain_dir.glob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not name.startswith(banned), f"{source.name} imports {name}"


@pytest.mark.parametrize(
    ("rights", "patents", "trademarks", "mixed"),
    [
        ([], [], [], False),
        ([("patent", "202010123456.2")], ["202010123456.2"], [], False),
        ([("trademark", "12345678")], [], ["12345678"], False),
        (
            [("patent", "202010123456.2"), ("trademark", "12345678"), ("patent", "202110000001.X")],
            ["202010123456.2", "202110000001.X"],
            ["12345678"],
            True,
        ),
    ],
)
def test_pledged_numbers_by_kind_and_a_mixed_pledge(
    rights: list[tuple[str, str]], patents: list[str], trademarks: list[str], mixed: bool
) -> None:
    assert pledged_numbers(rights) == (patents, trademarks)
    assert is_mixed_pledge(iter(rights)) is mixed
