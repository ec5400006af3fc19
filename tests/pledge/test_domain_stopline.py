"""The NPL stop line, pure and table-driven: the ratio on each basis with and without a base, which
claims a stop refuses (never the one whose default tripped it), and how a bank comes back; then
every combination of the four choices through one bank's year."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from pledge.domain.stopline import NplFigures, Stop, StopLine, over_the_line, refuses_claim, stop_move, stop_reason
from pledge.domain.years import district_year_span, year_span_of
from pledge.enums import Comeback, EmptyBase, NplBasis, StopScope

D = Decimal
STOP_AT = datetime(2026, 6, 1, tzinfo=UTC)
BEFORE, AFTER = STOP_AT - timedelta(days=30), STOP_AT + timedelta(days=30)


@pytest.mark.parametrize(
    ("threshold", "empty_base", "non_performing", "base", "over"),
    [
        (D(3), EmptyBase.NOT_STOPPED, 300, 10_000, False),  # exactly at the line: not over it
        (D(3), EmptyBase.NOT_STOPPED, 301, 10_000, True),
        (D(3), EmptyBase.NOT_STOPPED, 0, 0, False),  # no base: undefined, not stopped
        (D(3), EmptyBase.NOT_STOPPED, 1_000, 0, False),  # flow: defaults but nothing paid out this year
        (D(3), EmptyBase.STOPPED, 1_000, 0, True),
        (D(3), EmptyBase.STOPPED, 0, 0, True),
        (D("0.5"), EmptyBase.NOT_STOPPED, 51, 10_000, True),
        (None, EmptyBase.STOPPED, 1_000, 0, False),  # no threshold, no line
    ],
)
def test_over_the_line(
    threshold: Decimal | None, empty_base: EmptyBase, non_performing: int, base: int, over: bool
) -> None:
    for basis in NplBasis:
        line = StopLine(threshold=threshold, basis=basis, empty_base=empty_base)
        assert over_the_line(line, NplFigures(non_performing, base, basis)) is over


@pytest.mark.parametrize(
    ("refuses", "loan", "disbursed_at", "defaulted_at", "refused"),
    [
        (StopScope.ALL_CLAIMS, "tripper", BEFORE, STOP_AT, False),
        (StopScope.ALL_CLAIMS, "old", BEFORE, BEFORE, True),
        (StopScope.ALL_CLAIMS, "late", BEFORE, AFTER, True),
        (StopScope.ALL_CLAIMS, "new", AFTER, AFTER, True),
        (StopScope.DEFAULTED_AFTER_STOP, "tripper", BEFORE, STOP_AT, False),
        (StopScope.DEFAULTED_AFTER_STOP, "old", BEFORE, BEFORE, False),
        (StopScope.DEFAULTED_AFTER_STOP, "late", BEFORE, AFTER, True),
        (StopScope.DEFAULTED_AFTER_STOP, "new", AFTER, AFTER, True),
        (StopScope.DISBURSED_AFTER_STOP, "tripper", BEFORE, STOP_AT, False),
        (StopScope.DISBURSED_AFTER_STOP, "old", BEFORE, BEFORE, False),
        (StopScope.DISBURSED_AFTER_STOP, "late", BEFORE, AFTER, False),
        (StopScope.DISBURSED_AFTER_STOP, "new", AFTER, AFTER, True),
    ],
)
def test_which_claims_a_stop_refuses(
    refuses: StopScope, loan: str, disbursed_at: datetime, defaulted_at: datetime, refused: bool
) -> None:
    line = StopLine(threshold=D(3), refuses=refuses)
    stop = Stop(since=STOP_AT, tripped_by_loan_id="tripper")
    assert refuses_claim(line, stop, loan_id=loan, disbursed_at=disbursed_at, defaulted_at=defaulted_at) is refused
    assert not refuses_claim(line, None, loan_id=loan, disbursed_at=disbursed_at, defaulted_at=defaulted_at)


def test_a_stop_tripped_by_a_measurement_exempts_no_loan() -> None:
    stop = Stop(since=STOP_AT)
    assert refuses_claim(StopLine(threshold=D(3)), stop, loan_id="any", disbursed_at=BEFORE, defaulted_at=BEFORE)


@pytest.mark.parametrize(
    ("comeback", "stopped", "over", "move"),
    [
        (Comeback.OPERATOR, False, True, "stop"),
        (Comeback.OPERATOR, True, True, None),
        (Comeback.OPERATOR, True, False, None),  # only an operator brings it back
        (Comeback.OPERATOR, False, False, None),
        (Comeback.AUTOMATIC, False, True, "stop"),
        (Comeback.AUTOMATIC, True, True, None),
        (Comeback.AUTOMATIC, True, False, "lift"),
        (Comeback.AUTOMATIC, False, False, None),
    ],
)
def test_how_a_bank_comes_back(comeback: Comeback, stopped: bool, over: bool, move: str | None) -> None:
    assert stop_move(StopLine(threshold=D(3), comeback=comeback), stopped=stopped, over=over) == move


@pytest.mark.parametrize(
    ("comeback", "at_default", "move"),
    [
        (Comeback.OPERATOR, False, None),  # a measurement at approval or claim respects the review
        (Comeback.OPERATOR, True, "stop"),  # a default over the line stops the bank again
        (Comeback.AUTOMATIC, False, None),
        (Comeback.AUTOMATIC, True, "stop"),
    ],
)
def test_a_reinstatement_holds_until_a_default(comeback: Comeback, at_default: bool, move: str | None) -> None:
    line = StopLine(threshold=D(3), comeback=comeback)
    assert stop_move(line, stopped=False, over=True, reinstated=True, at_default=at_default) == move


# One bank's year, on both bases: the whole book is 10,000.00 outstanding, 2,000.00 of it paid out
# this year; X (100 of it, paid out last year) defaulted earlier this year, Y (300, paid out this
# year) now defaults: 400 outstanding non-performing (4 % of the balance) and 400 defaulted this year
# (20 % of this year's flow). A flow year with nothing paid out has an empty base. Then a recovery
# brings the non-performing principal down to 100 (1 %, 5 %).
FIGURES = {
    (NplBasis.BALANCE, "full"): NplFigures(400, 10_000, NplBasis.BALANCE),
    (NplBasis.FLOW, "full"): NplFigures(400, 2_000, NplBasis.FLOW),
    (NplBasis.BALANCE, "empty"): NplFigures(400, 10_000, NplBasis.BALANCE),
    (NplBasis.FLOW, "empty"): NplFigures(400, 0, NplBasis.FLOW),
}
BETTER = {NplBasis.BALANCE: NplFigures(100, 10_000), NplBasis.FLOW: NplFigures(100, 2_000)}
EXPECT_STOPPED = {  # (basis, year, empty_base) -> stopped after Y's default (threshold 3 %)
    (NplBasis.BALANCE, "full", EmptyBase.NOT_STOPPED): True,
    (NplBasis.BALANCE, "full", EmptyBase.STOPPED): True,
    (NplBasis.BALANCE, "empty", EmptyBase.NOT_STOPPED): True,
    (NplBasis.BALANCE, "empty", EmptyBase.STOPPED): True,
    (NplBasis.FLOW, "full", EmptyBase.NOT_STOPPED): True,
    (NplBasis.FLOW, "full", EmptyBase.STOPPED): True,
    (NplBasis.FLOW, "empty", EmptyBase.NOT_STOPPED): False,
    (NplBasis.FLOW, "empty", EmptyBase.STOPPED): True,
}
EXPECT_REFUSED = {  # which of X (defaulted before), Y (tripped it), Z (paid out and defaulted after) are refused
    StopScope.ALL_CLAIMS: {"X", "Z"},
    StopScope.DEFAULTED_AFTER_STOP: {"Z"},
    StopScope.DISBURSED_AFTER_STOP: {"Z"},
}
# after the recovery: 1 % of the balance is under the line, 5 % of the flow still over it
EXPECT_BACK = {
    (NplBasis.BALANCE, Comeback.AUTOMATIC): True,
    (NplBasis.BALANCE, Comeback.OPERATOR): False,
    (NplBasis.FLOW, Comeback.AUTOMATIC): False,
    (NplBasis.FLOW, Comeback.OPERATOR): False,
}


@pytest.mark.parametrize(
    ("basis", "year", "empty_base", "refuses", "comeback"),
    list(itertools.product(NplBasis, ("full", "empty"), EmptyBase, StopScope, Comeback)),
)
def test_every_variant_through_a_year(
    basis: NplBasis, year: str, empty_base: EmptyBase, refuses: StopScope, comeback: Comeback
) -> None:
    line = StopLine(threshold=D(3), basis=basis, empty_base=empty_base, refuses=refuses, comeback=comeback)
    move = stop_move(line, stopped=False, over=over_the_line(line, FIGURES[basis, year]))
    assert (move == "stop") is EXPECT_STOPPED[basis, year, empty_base]
    stop = Stop(since=STOP_AT, tripped_by_loan_id="Y") if move == "stop" else None
    loans = {"X": (BEFORE, BEFORE), "Y": (BEFORE, STOP_AT), "Z": (AFTER, AFTER)}
    refused = {
        name
        for name, (disbursed, defaulted) in loans.items()
        if refuses_claim(line, stop, loan_id=name, disbursed_at=disbursed, defaulted_at=defaulted)
    }
    assert refused == (EXPECT_REFUSED[refuses] if stop else set())
    if stop is not None:
        after = stop_move(line, stopped=True, over=over_the_line(line, BETTER[basis]))
        assert (after == "lift") is EXPECT_BACK[basis, comeback]


def test_the_reason_names_the_figures() -> None:
    line = StopLine(threshold=D(3))
    balance = stop_reason(line, NplFigures(40_000, 1_000_000, NplBasis.BALANCE, "2026-06-01"))
    assert balance == "non-performing principal 400.00 of 10000.00 outstanding on 2026-06-01 passes the 3% line"
    flow = stop_reason(line, NplFigures(40_000, 0, NplBasis.FLOW, "2026"))
    assert flow.startswith("principal defaulted in 2026 400.00 of 0.00 disbursed in 2026") and "undefined" in flow


def test_the_district_year_of_an_instant() -> None:
    """2025-12-31T17:00Z is 1 January 2026 in Beijing."""
    start, end = year_span_of(datetime(2025, 12, 31, 17, 0, tzinfo=UTC))
    assert (start, end) == district_year_span(2026)
    assert start == datetime(2025, 12, 31, 16, 0, tzinfo=UTC) and end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
