"""The pools' HTTP contract (pools, funding, the ledger, agreement versions) and its presenters.

An agreement's terms are data, never code; amounts are `ipops.fields.Yuan` in and two-decimal
strings out, percentages decimal strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from ipops.fields import BoundedDateTime, DecimalText, Percent, PositiveYuan, Yuan
from ipops.money import format_yuan
from pledge.common import Name
from pledge.domain.ledger import PoolTotals
from pledge.enums import AbsentShareTo, CapExcess, Comeback, EmptyBase, FundingSource, NplBasis, Party, StopScope
from pledge.models import LedgerEntry, Pool, PoolAgreement

# A multiple (k in "covered outstanding <= k x pool balance"): above 0, two decimals, four whole digits.
Leverage = Annotated[Decimal, DecimalText(2, 4, positive=True, what="a leverage limit", example="10")]
RightType = Literal["invention", "utility_model", "design", "pct_invention", "pct_utility_model", "trademark"]


class PoolCreate(BaseModel):
    """A risk-compensation pool."""

    id: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Name


class PoolPublic(BaseModel):
    """A pool and its balance, derived from the ledger."""

    id: str
    name: str
    balance: str
    contributions: dict[str, str]
    interest: str
    claims_paid: str
    recoveries: str
    covered_outstanding: str


class FundingCreate(BaseModel):
    """Money into the pool: a contribution from a level of government."""

    source: FundingSource
    amount: PositiveYuan


class InterestCreate(BaseModel):
    """Interest credited on the pool's bank account (it rolls into the pool)."""

    amount: PositiveYuan


class LedgerEntryPublic(BaseModel):
    """One posting."""

    journal_id: str
    account: str
    debit: str
    credit: str
    kind: str
    reference: str | None
    posted_at: datetime


class LedgerPage(BaseModel):
    """Postings, oldest first."""

    items: list[LedgerEntryPublic]
    total: int


class BandIn(BaseModel):
    """Shares for loans up to `up_to` yuan (Guangzhou: 40 % up to 5 M, 30 % to 15 M, 20 % to 30 M)."""

    up_to: PositiveYuan
    shares: dict[Party, Percent]


class AgreementTerms(BaseModel):
    """The rules of one agreement version: data, never code. Every field but `shares` has a
    default, so versions stored before a field existed read with it."""

    shares: dict[Party, Percent] = Field(description="percent of the covered loss per party; sums to 100")
    remainder_to: Party = Field(default=Party.BANK, description="who takes the odd fen of a split")
    absent_share_to: AbsentShareTo = Field(
        default=AbsentShareTo.BANK,
        description="where the share of a party the loan does not have (no guarantor, insurer or valuer "
        "named on it) goes: to a named party (the bank when that one is absent too), or pro_rata over "
        "the parties the loan has",
    )
    bands: list[BandIn] = Field(default_factory=list, max_length=20)
    per_loan_cap: Yuan | None = None
    per_enterprise_cap: Yuan | None = None
    yearly_agreement_cap: Yuan | None = Field(
        default=None, description="most the pool pays this bank in a district year (all versions); none: no cap"
    )
    yearly_pool_cap: Yuan | None = Field(
        default=None, description="most the pool pays all its banks in a district year; none: no cap"
    )
    yearly_cap_excess: CapExcess = Field(
        default=CapExcess.PARTIAL,
        description="a claim past a yearly cap is paid up to it, the rest to the bank (partial), or refused",
    )
    max_loan: Yuan | None = None
    min_ip_share: Percent = Field(default=Decimal(0), description="minimum IP share of the collateral")
    leverage_limit: Leverage | None = Field(
        default=None, description="the pool backs covered loans of at most this many times its balance"
    )
    npl_suspension_threshold: Percent | None = Field(
        default=None, description="the NPL stop line in percent: a bank above it is stopped; none: no line"
    )
    npl_basis: NplBasis = Field(
        default=NplBasis.BALANCE,
        description="balance: non-performing / outstanding principal of the bank's covered loans on the day; "
        "flow: principal defaulted / principal paid out in the district year",
    )
    npl_empty_base: EmptyBase = Field(
        default=EmptyBase.NOT_STOPPED, description="a ratio without a base (nothing outstanding or paid out)"
    )
    npl_stop_refuses: StopScope = Field(
        default=StopScope.ALL_CLAIMS,
        description="which claims a stop refuses; never the claim on the loan whose default tripped the line",
    )
    npl_comeback: Comeback = Field(
        default=Comeback.OPERATOR,
        description="a stopped bank comes back by an operator's reinstatement, or also automatically when "
        "its ratio is measured at or under the line",
    )
    eligible_right_types: list[RightType] | None = Field(
        default=None, description="collateral kinds the pool covers; omitted covers all"
    )


class AgreementCreate(BaseModel):
    """A new version of a bank's pool agreement."""

    pool_id: str
    bank_id: str
    effective_from: BoundedDateTime | None = Field(default=None, description="defaults to now")
    terms: AgreementTerms


class AgreementPublic(BaseModel):
    """One agreement version."""

    id: int
    pool_id: str
    bank_id: str
    version: int
    effective_from: datetime
    terms: AgreementTerms
    created_by: str
    created_at: datetime


class AgreementPage(BaseModel):
    """Agreement versions, newest first."""

    items: list[AgreementPublic]
    total: int


@dataclass
class PoolSummary:
    """A pool with its ledger totals (what `pool_public` shows)."""

    pool: Pool
    totals: PoolTotals
    covered_outstanding_fen: int


def pool_public(summary: PoolSummary) -> PoolPublic:
    """A pool's balance and totals in yuan."""
    t = summary.totals
    return PoolPublic(
        id=summary.pool.id,
        name=summary.pool.name,
        balance=format_yuan(t.balance_fen),
        contributions={source: format_yuan(v) for source, v in t.contributions_fen.items()},
        interest=format_yuan(t.interest_fen),
        claims_paid=format_yuan(t.claims_paid_fen),
        recoveries=format_yuan(t.recoveries_fen),
        covered_outstanding=format_yuan(summary.covered_outstanding_fen),
    )


def ledger_entry_public(e: LedgerEntry) -> LedgerEntryPublic:
    """One posting, amounts in yuan."""
    return LedgerEntryPublic(
        journal_id=e.journal_id,
        account=e.account,
        debit=format_yuan(e.debit_fen),
        credit=format_yuan(e.credit_fen),
        kind=e.kind,
        reference=e.reference,
        posted_at=e.posted_at,
    )


def agreement_public(a: PoolAgreement) -> AgreementPublic:
    """One agreement version with its terms."""
    return AgreementPublic(
        id=a.id or 0,
        pool_id=a.pool_id,
        bank_id=a.bank_id,
        version=a.version,
        effective_from=a.effective_from,
        terms=AgreementTerms.model_validate(a.terms),
        created_by=a.created_by,
        created_at=a.created_at,
    )
