"""Double-entry postings for the risk-compensation pool's money.

Every pool movement is one journal entry of postings whose debits equal its credits; the pool's
balance is never stored, it is the debit-minus-credit sum of the `pool_cash` account. A claim may
only be posted when the balance covers it (`can_pay`), so the cash account never goes negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pledge.enums import FundingSource

POOL_CASH = "pool_cash"
INTEREST = "interest_income"
CLAIMS = "claims_paid"
RECOVERIES = "recoveries"


def contribution_account(source: FundingSource) -> str:
    """The equity account of a funding source (`contributions:district`)."""
    return f"contributions:{source.value}"


@dataclass(frozen=True)
class Posting:
    """One line of a journal entry: exactly one of debit and credit is positive."""

    account: str
    debit_fen: int = 0
    credit_fen: int = 0


def _entry(debit_account: str, credit_account: str, amount_fen: int) -> list[Posting]:
    if amount_fen <= 0:
        raise ValueError("a posting amount must be positive")
    return [Posting(debit_account, debit_fen=amount_fen), Posting(credit_account, credit_fen=amount_fen)]


def contribution(amount_fen: int, source: FundingSource) -> list[Posting]:
    """Money paid into the pool by a level of government."""
    return _entry(POOL_CASH, contribution_account(source), amount_fen)


def interest(amount_fen: int) -> list[Posting]:
    """Interest on the pool's account, which rolls into the pool."""
    return _entry(POOL_CASH, INTEREST, amount_fen)


def claim_payment(amount_fen: int) -> list[Posting]:
    """The pool's share of a loss, paid to a bank."""
    return _entry(CLAIMS, POOL_CASH, amount_fen)


def recovery(amount_fen: int) -> list[Posting]:
    """The pool's part of a recovery, flowing back."""
    return _entry(POOL_CASH, RECOVERIES, amount_fen)


def is_balanced(postings: Iterable[Posting]) -> bool:
    """True when debits equal credits and every line is one-sided and non-negative."""
    debit = credit = 0
    for p in postings:
        if p.debit_fen < 0 or p.credit_fen < 0 or (p.debit_fen > 0) == (p.credit_fen > 0):
            return False
        debit += p.debit_fen
        credit += p.credit_fen
    return debit == credit


def balance(postings: Iterable[Posting], account: str = POOL_CASH) -> int:
    """Debit-minus-credit balance of `account`."""
    return sum(p.debit_fen - p.credit_fen for p in postings if p.account == account)


def can_pay(balance_fen: int, amount_fen: int) -> bool:
    """True when paying `amount_fen` leaves the pool's cash non-negative."""
    return 0 < amount_fen <= balance_fen


@dataclass(frozen=True)
class PoolTotals:
    """What a pool's ledger adds up to, each as a positive amount of money moved."""

    balance_fen: int
    contributions_fen: dict[str, int]  # by funding source, in account order
    interest_fen: int
    claims_paid_fen: int
    recoveries_fen: int


def pool_totals(balances: Mapping[str, int]) -> PoolTotals:
    """The totals from debit-minus-credit balances per account: the pool's cash and the claims
    paid are debit balances; contributions, interest and recoveries are credited, so their
    balances are negated to read as the money that came in."""
    return PoolTotals(
        balance_fen=balances.get(POOL_CASH, 0),
        contributions_fen={a.split(":", 1)[1]: -v for a, v in sorted(balances.items()) if a.startswith("contrib")},
        interest_fen=-balances.get(INTEREST, 0),
        claims_paid_fen=balances.get(CLAIMS, 0),
        recoveries_fen=-balances.get(RECOVERIES, 0),
    )
