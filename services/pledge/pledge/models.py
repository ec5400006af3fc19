"""Tables of the pledge service (and nothing else: schemas are the HTTP contract).

Money is integer fen (`*_fen`, BIGINT), timestamps are aware UTC (`*_at`), dates are `*_date`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


def money_column(*, nullable: bool = False) -> Any:
    """A BIGINT column of fen (an INTEGER would stop at 21 million yuan)."""
    return Column(BigInteger(), nullable=nullable)


class PledgeTable(SQLModel, registry=table_registry):
    """Base of the pledge service's tables."""


class Bank(PledgeTable, table=True):
    """A cooperating bank: a tenant of the pledge API."""

    __tablename__ = "bank"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    registered_at: datetime = Field(sa_column=utc_column())
    suspended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    suspension_reason: str | None = Field(default=None, max_length=500)
    # the loan whose default tripped the NPL stop line: its own claim is not refused for the stop
    suspended_by_loan_id: str | None = Field(default=None, max_length=36)
    # an operator's reinstatement: it holds (measurements at approval or claim do not stop the bank
    # again) until a default takes the bank over the line again
    reinstated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class CollateralAlert(PledgeTable, table=True):
    """A right named in an enforcement case: loans pledging it are collateral-at-risk.
    (`patent_number` holds a trademark's number when `right_kind` is trademark; the column kept
    its first name so revision 0001 stays as it landed.)"""

    __tablename__ = "collateral_alert"

    id: int | None = Field(default=None, primary_key=True)
    right_kind: str = Field(default="patent", max_length=16, sa_column_kwargs={"server_default": "patent"})
    patent_number: str = Field(max_length=20, index=True)
    case_id: str = Field(max_length=64)
    case_type: str = Field(max_length=64)
    raised_at: datetime = Field(sa_column=utc_column())


class Enterprise(PledgeTable, table=True):
    """A borrower, known by its unified social credit code."""

    __tablename__ = "enterprise"

    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    # the bank that recorded it (None: an operator, or recorded before revision 0006)
    registered_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=utc_column())


class PledgedRight(PledgeTable, table=True):
    """A patent or trademark that can be pledged; the patent type is derived from its number.
    Its id is random (UUID4 text): one bank cannot enumerate the district's collateral."""

    __tablename__ = "pledged_right"
    __table_args__ = (UniqueConstraint("kind", "number"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    kind: str = Field(max_length=16)
    number: str = Field(max_length=20, index=True)
    patent_type: str | None = Field(default=None, max_length=32)
    trademark_class: int | None = None
    title: str = Field(max_length=300)
    owner_credit_code: str = Field(foreign_key="enterprise.credit_code", max_length=18)
    filing_date: date | None = None
    grant_date: date | None = None
    # the bank that recorded it (None: an operator, or recorded before revision 0006)
    registered_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=utc_column())


class Appraisal(PledgeTable, table=True):
    """A valuation of a right: the amount, who valued it and when. The latest counts. Its id is
    random (UUID4 text)."""

    __tablename__ = "appraisal"

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    right_id: str = Field(foreign_key="pledged_right.id", max_length=36, index=True)
    value_fen: int = Field(sa_column=money_column())
    valuer: str = Field(max_length=200)
    appraised_date: date
    created_at: datetime = Field(sa_column=utc_column())


class Loan(PledgeTable, table=True):
    """An IP-pledged loan of one bank to one enterprise."""

    __tablename__ = "loan"

    id: str = Field(primary_key=True, max_length=36)
    bank_id: str = Field(foreign_key="bank.id", max_length=64, index=True)
    enterprise_credit_code: str = Field(foreign_key="enterprise.credit_code", max_length=18, index=True)
    principal_fen: int = Field(sa_column=money_column())
    outstanding_fen: int = Field(sa_column=money_column())
    ip_value_fen: int = Field(sa_column=money_column())
    other_collateral_fen: int = Field(sa_column=money_column())
    term_months: int
    guarantor: str | None = Field(default=None, max_length=200)
    insurer: str | None = Field(default=None, max_length=200)
    valuer: str | None = Field(default=None, max_length=200)
    status: str = Field(max_length=32, index=True)
    version: int = 1
    covered: bool = False
    agreement_id: int | None = Field(default=None, foreign_key="pool_agreement.id")
    coverage_note: str | None = Field(default=None, max_length=500)
    overdue_since_date: date | None = None
    days_past_due: int = 0
    dpd_bucket: str = Field(default="current", max_length=32)
    default_principal_fen: int | None = Field(default=None, sa_column=money_column(nullable=True))
    collateral_at_risk_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    submitted_at: datetime = Field(sa_column=utc_column())
    approved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    rejected_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    withdrawn_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    registered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    disbursed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # the business date of the disbursement (Beijing): the bank may report it late, so it is not
    # derived from `disbursed_at` (when it was recorded); the indicators and maturity count from it
    disbursed_date: date | None = None
    overdue_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    defaulted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    compensated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class LoanCollateral(PledgeTable, table=True):
    """A right pledged for a loan; `released_at` is set when the loan ends. The partial unique
    index makes "one right backs at most one live loan" a database fact, race-proof."""

    __tablename__ = "loan_collateral"
    __table_args__ = (
        Index(
            "uq_loan_collateral_live_right",
            "right_id",
            unique=True,
            postgresql_where=text("released_at IS NULL"),
            sqlite_where=text("released_at IS NULL"),
        ),
    )

    loan_id: str = Field(foreign_key="loan.id", primary_key=True, max_length=36)
    right_id: str = Field(foreign_key="pledged_right.id", primary_key=True, max_length=36)
    appraised_value_fen: int = Field(sa_column=money_column())
    released_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class LoanStateChange(PledgeTable, table=True):
    """History: one row per move, with its actor and time."""

    __tablename__ = "loan_state_change"

    id: int | None = Field(default=None, primary_key=True)
    loan_id: str = Field(foreign_key="loan.id", max_length=36, index=True)
    from_status: str = Field(max_length=32)
    to_status: str = Field(max_length=32)
    move: str = Field(max_length=32)
    actor: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=500)
    at: datetime = Field(sa_column=utc_column())


class LoanDpdRecord(PledgeTable, table=True):
    """History of a loan's days past due, written whenever its bucket is recomputed and changes."""

    __tablename__ = "loan_dpd_record"

    id: int | None = Field(default=None, primary_key=True)
    loan_id: str = Field(foreign_key="loan.id", max_length=36, index=True)
    as_of_date: date
    days_past_due: int
    bucket: str = Field(max_length=32)
    at: datetime = Field(sa_column=utc_column())


class Repayment(PledgeTable, table=True):
    """A repayment the bank reported. Its id is random (UUID4 text)."""

    __tablename__ = "repayment"

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    loan_id: str = Field(foreign_key="loan.id", max_length=36, index=True)
    principal_fen: int = Field(sa_column=money_column())
    interest_fen: int = Field(sa_column=money_column())
    paid_date: date
    actor: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())


class PledgeRegistration(PledgeTable, table=True):
    """The pledge registration at the national IP office (one per loan)."""

    __tablename__ = "pledge_registration"

    loan_id: str = Field(foreign_key="loan.id", primary_key=True, max_length=36)
    status: str = Field(max_length=16)
    registration_number: str | None = Field(default=None, max_length=64)
    registered_date: date | None = None
    refused_reason: str | None = Field(default=None, max_length=500)
    changed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = Field(sa_column=utc_column())


class Pool(PledgeTable, table=True):
    """A risk-compensation pool. Its row is locked (`FOR UPDATE`) by every claim payment so two
    claims are decided one after the other against the balance the postings give."""

    __tablename__ = "pool"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    version: int = 1
    created_at: datetime = Field(sa_column=utc_column())


class PoolAgreement(PledgeTable, table=True):
    """One version of a bank's pool agreement: its terms are data (shares, bands, caps...)."""

    __tablename__ = "pool_agreement"
    __table_args__ = (UniqueConstraint("bank_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    pool_id: str = Field(foreign_key="pool.id", max_length=64)
    bank_id: str = Field(foreign_key="bank.id", max_length=64, index=True)
    version: int
    effective_from: datetime = Field(sa_column=utc_column())
    terms: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_column())


class LedgerEntry(PledgeTable, table=True):
    """One posting; the postings of one journal entry share `journal_id` and balance."""

    __tablename__ = "ledger_entry"

    id: int | None = Field(default=None, primary_key=True)
    pool_id: str = Field(foreign_key="pool.id", max_length=64, index=True)
    journal_id: str = Field(max_length=36, index=True)
    account: str = Field(max_length=64)
    debit_fen: int = Field(sa_column=money_column())
    credit_fen: int = Field(sa_column=money_column())
    kind: str = Field(max_length=32)
    reference: str | None = Field(default=None, max_length=64)
    posted_at: datetime = Field(sa_column=utc_column())


class Claim(PledgeTable, table=True):
    """A bank's compensation claim on a defaulted covered loan, paid or refused."""

    __tablename__ = "claim"

    id: str = Field(primary_key=True, max_length=36)
    loan_id: str = Field(foreign_key="loan.id", max_length=36, index=True)
    bank_id: str = Field(foreign_key="bank.id", max_length=64, index=True)
    agreement_id: int | None = Field(default=None, foreign_key="pool_agreement.id")
    status: str = Field(max_length=16)
    loss_fen: int = Field(sa_column=money_column())
    pool_fen: int = Field(sa_column=money_column())
    shares: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    capped_by: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=500)
    filed_at: datetime = Field(sa_column=utc_column())


class Recovery(PledgeTable, table=True):
    """Money recovered after default, with each party's pro-rata part."""

    __tablename__ = "recovery"

    id: int | None = Field(default=None, primary_key=True)
    loan_id: str = Field(foreign_key="loan.id", max_length=36, index=True)
    claim_id: str | None = Field(default=None, foreign_key="claim.id", max_length=36)
    amount_fen: int = Field(sa_column=money_column())
    shares: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    actor: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=utc_column())


class InsurancePolicy(PledgeTable, table=True):
    """An IP insurance policy (知识产权保险); a cancelled (voided) one has `cancelled_at`. Its id is
    random (UUID4 text, revision 0008)."""

    __tablename__ = "insurance_policy"
    __table_args__ = (UniqueConstraint("insurer", "policy_number"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    policy_number: str = Field(max_length=64)
    insurer: str = Field(max_length=200)
    product_type: str = Field(max_length=64)
    enterprise_credit_code: str = Field(foreign_key="enterprise.credit_code", max_length=18)
    insured_rights: list[str] = Field(sa_column=Column(JSON, nullable=False))
    sum_insured_fen: int = Field(sa_column=money_column())
    premium_fen: int = Field(sa_column=money_column())
    subsidy_fen: int = Field(sa_column=money_column())
    start_date: date
    end_date: date
    created_at: datetime = Field(sa_column=utc_column())
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    cancelled_date: date | None = None
    cancellation_reason: str | None = Field(default=None, max_length=500)


class LoanInvestment(PledgeTable, table=True):
    """A guidance-fund investment linked to a loan of the same enterprise (投贷联动), as announced
    by operations (`ipops.operations.investment.made.v1` / `.exited.v1`); operations owns the
    investment, pledge keeps what a loan's read shows of it."""

    __tablename__ = "loan_investment"

    investment_id: str = Field(primary_key=True, max_length=64)
    loan_id: str = Field(foreign_key="loan.id", max_length=36, index=True)
    fund_id: str = Field(max_length=64)
    credit_code: str = Field(max_length=18)
    amount_fen: int = Field(sa_column=money_column())
    invested_on: date
    made_at: datetime = Field(sa_column=utc_column())
    exited_on: date | None = None
    exit_amount_fen: int | None = Field(default=None, sa_column=money_column(nullable=True))
    exited_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
