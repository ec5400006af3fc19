"""Pool postings: every entry balances, the balance is derived, a claim cannot overdraw."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pledge.domain import ledger
from pledge.domain.ledger import POOL_CASH, PoolTotals, Posting, balance, can_pay, is_balanced, pool_totals
from pledge.enums import FundingSource

OPERATION = st.tuples(
    st.sampled_from(["fund", "interest", "claim", "recovery"]),
    st.integers(1, 10**9),
    st.sampled_from(list(FundingSource)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(OPERATION, max_size=40))
def test_ledger_balances_after_any_sequence(ops: list[tuple[str, int, FundingSource]]) -> None:
    journal: list[Posting] = []
    expected = 0
    for kind, amount, source in ops:
        if kind == "fund":
            entry = ledger.contribution(amount, source)
            expected += amount
        elif kind == "interest":
            entry = ledger.interest(amount)
            expected += amount
        elif kind == "recovery":
            entry = ledger.recovery(amount)
            expected += amount
        else:
            if not can_pay(balance(journal), amount):
                continue
            entry = ledger.claim_payment(amount)
            expected -= amount
        assert is_balanced(entry)
        journal.extend(entry)
        assert is_balanced(journal)
        assert balance(journal) == expected >= 0
    accounts = {p.account for p in journal}
    assert sum(balance(journal, a) for a in accounts) == 0


def test_contribution_posts_to_its_source() -> None:
    entry = ledger.contribution(500, FundingSource.CENTRAL)
    assert entry == [Posting(POOL_CASH, debit_fen=500), Posting("contributions:central", credit_fen=500)]


def test_one_sided_lines_only() -> None:
    assert not is_balanced([Posting("a", debit_fen=5, credit_fen=5)])
    assert not is_balanced([Posting("a", debit_fen=5)])


def test_cannot_pay_more_than_the_balance() -> None:
    assert can_pay(100, 100) and not can_pay(100, 101) and not can_pay(100, 0)


def test_pool_totals_read_credited_accounts_as_money_in() -> None:
    journal = [
        *ledger.contribution(1_000, FundingSource.DISTRICT),
        *ledger.contribution(500, FundingSource.CENTRAL),
        *ledger.interest(30),
        *ledger.claim_payment(400),
        *ledger.recovery(50),
    ]
    balances = {a: balance(journal, a) for a in {p.account for p in journal}}
    assert pool_totals(balances) == PoolTotals(
        balance_fen=1_180,
        contributions_fen={"central": 500, "district": 1_000},
        interest_fen=30,
        claims_paid_fen=400,
        recoveries_fen=50,
    )
    assert list(pool_totals(balances).contributions_fen) == ["central", "district"]


def test_an_empty_ledger_totals_nothing() -> None:
    assert pool_totals({}) == PoolTotals(0, {}, 0, 0, 0)
