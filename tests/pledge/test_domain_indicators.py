"""The pledge indicators' counting rules, pure and table-driven: which loan or policy state counts,
dated when, and what takes it back out."""

from __future__ import annotations

from datetime import date

import pytest

from ipops.indicators.catalogue import owned_by
from pledge.domain.indicators import (
    LOAN_INDICATORS,
    POLICY_INDICATORS,
    Contribution,
    LoanFacts,
    PolicyFacts,
    loan_contributions,
    policy_contributions,
)
from pledge.enums import LoanStatus

S = LoanStatus
DAY = date(2021, 12, 31)
PATENT = frozenset({"patent"})
MIXED = frozenset({"patent", "trademark"})


def test_the_rules_cover_exactly_the_indicators_pledge_owns() -> None:
    assert set(LOAN_INDICATORS) | set(POLICY_INDICATORS) == {i.id for i in owned_by("pledge")}


def _loan(status: LoanStatus, disbursed_on: date | None = DAY, kinds: frozenset[str] = PATENT) -> LoanFacts:
    return LoanFacts("loan-1", status, 5_000_000_00, disbursed_on, kinds)


@pytest.mark.parametrize(
    ("loan", "amount", "count", "mixed", "start"),
    [
        # not paid out (yet, or again after an undone disbursement): nothing counts
        (_loan(S.SUBMITTED, None), 0, 0, 0, None),
        (_loan(S.APPROVED, None, MIXED), 0, 0, 0, None),
        (_loan(S.REGISTERED, None, MIXED), 0, 0, 0, None),
        (_loan(S.REJECTED, None), 0, 0, 0, None),
        (_loan(S.WITHDRAWN, None, MIXED), 0, 0, 0, None),
        # a status that never was paid out does not count even with a stray date
        (_loan(S.WITHDRAWN, DAY, MIXED), 0, 0, 0, None),
        (_loan(S.REGISTERED, DAY), 0, 0, 0, None),
        # paid out: counts by the principal on the disbursement date, whatever happened since
        (_loan(S.DISBURSED), 5_000_000_00, 1, 0, DAY),
        (_loan(S.DISBURSED, kinds=MIXED), 5_000_000_00, 1, 1, DAY),
        (_loan(S.OVERDUE, kinds=MIXED), 5_000_000_00, 1, 1, DAY),
        (_loan(S.DEFAULTED), 5_000_000_00, 1, 0, DAY),
        (_loan(S.COMPENSATED, kinds=MIXED), 5_000_000_00, 1, 1, DAY),
        (_loan(S.CLOSED_REPAID, kinds=MIXED), 5_000_000_00, 1, 1, DAY),
        (_loan(S.CLOSED_WRITTEN_OFF), 5_000_000_00, 1, 0, DAY),
        # a trademark alone is not a mixed pledge
        (_loan(S.DISBURSED, kinds=frozenset({"trademark"})), 5_000_000_00, 1, 0, DAY),
    ],
)
def test_a_loan_counts_once_paid_out(loan: LoanFacts, amount: int, count: int, mixed: int, start: date | None) -> None:
    assert loan_contributions(loan) == (
        Contribution("pledge_amount", "loan-1", amount, start),
        Contribution("pledge_count", "loan-1", count, start),
        Contribution("mixed_pledges", "loan-1", mixed, start),
    )
    assert all(c.end_on is None for c in loan_contributions(loan))  # mixed pledges are a cumulative stock


def test_a_restated_principal_or_date_changes_the_contribution() -> None:
    before = loan_contributions(LoanFacts("l", S.DISBURSED, 100, date(2020, 5, 1), MIXED))
    after = loan_contributions(LoanFacts("l", S.DISBURSED, 80, date(2019, 12, 31), MIXED))
    assert [c.quantity for c in before] == [100, 1, 1]
    assert [c.quantity for c in after] == [80, 1, 1]
    assert {c.start_on for c in after} == {date(2019, 12, 31)}


@pytest.mark.parametrize(
    ("cancelled", "quantity", "counts"),
    [(False, 300_000_00, True), (True, 0, False)],
)
def test_a_policy_counts_its_sum_insured_from_its_start_unless_cancelled(
    cancelled: bool, quantity: int, counts: bool
) -> None:
    (contribution,) = policy_contributions(PolicyFacts("p-1", 300_000_00, date(2020, 1, 1), cancelled))
    assert contribution == Contribution("insurance_amount", "p-1", quantity, date(2020, 1, 1))
    assert contribution.counts is counts


def test_a_contribution_without_a_date_never_counts() -> None:
    assert not Contribution("pledge_count", "x", 1, None).counts
    assert Contribution("pledge_count", "x", 1, DAY).counts
