"""The statistics use cases: keep the indicator ledger in step with loans and policies (called by
their use cases in the transaction of each change, and by the recount), the indicators' yearly
series, and the yearly figures of `/statistics`, whose pledge and insurance fields are read from
the same ledger (one definition: `pledge.domain.indicators`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today, district_year
from ipops.indicators.figures import Group, contribution_groups
from ipops.indicators.ledger import contribute, lock_current, withdraw
from ipops.indicators.statistics import IndicatorStatistics, owner_statistics
from pledge.domain.indicators import (
    INSURANCE_AMOUNT,
    MIXED_PLEDGES,
    PLEDGE_AMOUNT,
    PLEDGE_COUNT,
    Contribution,
    LoanFacts,
    PolicyFacts,
    loan_contributions,
    policy_contributions,
)
from pledge.domain.statistics import YearFigures, YearReport, year_reports
from pledge.enums import LoanStatus
from pledge.models import InsurancePolicy, Loan
from pledge.statistics import repository

OWNER = "pledge"


@dataclass(frozen=True)
class Recount:
    """What a recount looked at and how many ledger rows it changed."""

    loans: int
    policies: int
    changed: int


def loan_facts(loan: Loan, right_kinds: frozenset[str]) -> LoanFacts:
    """The facts of `loan` the counting rules read."""
    return LoanFacts(loan.id, LoanStatus(loan.status), loan.principal_fen, loan.disbursed_date, right_kinds)


def policy_facts(policy: InsurancePolicy) -> PolicyFacts:
    """The facts of `policy` the counting rule reads."""
    return PolicyFacts(policy.id, policy.sum_insured_fen, policy.start_date, policy.cancelled_at is not None)


async def _record(session: AsyncSession, contributions: Iterable[Contribution], reason: str) -> int:
    """Write what the rules say into the ledger (withdrawing what no longer counts); the number of
    rows that changed (each change announced through the outbox)."""
    contributions = list(contributions)
    locked = await lock_current(session, [(c.indicator, c.subject) for c in contributions])
    changed = 0
    for c in contributions:
        if c.counts and c.start_on is not None:
            done = await contribute(
                session, owner=OWNER, indicator=c.indicator, subject=c.subject, quantity=c.quantity,
                start_on=c.start_on, end_on=c.end_on, reason=reason, locked=locked,
            )  # fmt: skip
        else:
            done = await withdraw(
                session, owner=OWNER, indicator=c.indicator, subject=c.subject, reason=reason, locked=locked
            )
        changed += done
    return changed


async def count_loan(session: AsyncSession, loan: Loan, reason: str) -> int:
    """Bring the loan's contributions in line with its state (the caller holds the loan's lock)."""
    kinds = (await repository.right_kinds(session, [loan.id])).get(loan.id, frozenset())
    return await _record(session, loan_contributions(loan_facts(loan, kinds)), reason)


async def count_policy(session: AsyncSession, policy: InsurancePolicy, reason: str) -> int:
    """Bring the policy's contribution in line with its state."""
    return await _record(session, policy_contributions(policy_facts(policy)), reason)


async def recount_indicators(session: AsyncSession) -> Recount:
    """Recompute every loan's and policy's contributions through the same rules and write what
    differs: the backfill of records older than the ledger, and a repair. Idempotent: a second
    run changes (and announces) nothing."""
    loans = await repository.all_loans(session)
    kinds = await repository.right_kinds(session)
    changed = 0
    for loan in loans:
        changed += await _record(
            session, loan_contributions(loan_facts(loan, kinds.get(loan.id, frozenset()))), "recount"
        )
    policies = await repository.all_policies(session)
    for policy in policies:
        changed += await _record(session, policy_contributions(policy_facts(policy)), "recount")
    return Recount(len(loans), len(policies), changed)


async def indicator_statistics(session: AsyncSession) -> IndicatorStatistics:
    """Pledge's indicators, every year since the base year, from the ledger."""
    return await owner_statistics(session, OWNER, district_today().year)


def _flow(groups: list[Group]) -> dict[int, tuple[int, int]]:
    """(quantity, number of records) per start year."""
    years: dict[int, tuple[int, int]] = {}
    for start, _, quantity, count in groups:
        q, n = years.get(start, (0, 0))
        years[start] = (q + quantity, n + count)
    return years


async def _ledger_figures(session: AsyncSession) -> dict[int, YearFigures]:
    """The indicator fields of each year, from the ledger: amounts and counts of the loans paid
    out and the policies taking effect in the year, and the mixed pledges paid out in it (the
    indicator is their running total)."""
    groups = await contribution_groups(session, [PLEDGE_AMOUNT, PLEDGE_COUNT, MIXED_PLEDGES, INSURANCE_AMOUNT])
    years: dict[int, YearFigures] = {}
    for year, (fen, _) in _flow(groups.get(PLEDGE_AMOUNT, [])).items():
        years.setdefault(year, YearFigures()).pledge_fen = fen
    for year, (count, _) in _flow(groups.get(PLEDGE_COUNT, [])).items():
        years.setdefault(year, YearFigures()).pledge_count = count
    for year, (count, _) in _flow(groups.get(MIXED_PLEDGES, [])).items():
        years.setdefault(year, YearFigures()).mixed_count = count
    for year, (fen, policies) in _flow(groups.get(INSURANCE_AMOUNT, [])).items():
        figures = years.setdefault(year, YearFigures())
        figures.insured_fen, figures.policy_count = fen, policies
    return years


async def report_statistics(session: AsyncSession, principal: Principal) -> list[YearReport]:
    """Figures per district year, oldest first. Pledge amount and count, mixed pledges, insured
    amount and policies come from the indicator ledger; per year and bank, the principal paid
    out (by the same rule, in the year of the disbursement date) and the principal that defaulted
    (in the Beijing year of the default). The district's figures sum every bank's loans; the
    per-bank rows are only those `principal` may see (an operator every bank's, a bank its own)."""
    shown = repository.bank_row_filter(principal)
    years = await _ledger_figures(session)
    banks: dict[int, dict[str, tuple[int, int]]] = {}
    for loan in await repository.disbursed_loans(session):
        # the amount does not depend on the pledged kinds (only mixed_pledges does)
        amount = next(c for c in loan_contributions(loan_facts(loan, frozenset())) if c.indicator == PLEDGE_AMOUNT)
        if amount.counts and amount.start_on is not None and shown(loan.bank_id):
            year = banks.setdefault(amount.start_on.year, {})
            d, n = year.get(loan.bank_id, (0, 0))
            year[loan.bank_id] = (d + amount.quantity, n)
            years.setdefault(amount.start_on.year, YearFigures())
    for at, bank_id, principal_fen in await repository.defaulted_loans(session):
        if shown(bank_id):
            d, n = banks.setdefault(district_year(at), {}).get(bank_id, (0, 0))
            banks[district_year(at)][bank_id] = (d, n + principal_fen)
        years.setdefault(district_year(at), YearFigures())
    claims, recoveries = await repository.paid_claims_and_recoveries(session)
    for at, pool_fen in claims:
        years.setdefault(district_year(at), YearFigures()).claims_fen += pool_fen
    for at, amount_fen in recoveries:
        years.setdefault(district_year(at), YearFigures()).recoveries_fen += amount_fen
    return year_reports(years, banks)
