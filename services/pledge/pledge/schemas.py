"""The pledge HTTP contract: request bodies (`*Create`), responses (`*Public`, `*Page`).

Amounts go in as `ipops.fields.Yuan` (a decimal string with at most two places) and come out as
strings with two decimals; percentages are decimal strings too. Never a float.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ipops.fields import CreditCode, PatentNumber, TrademarkNumber, Yuan
from pledge.enums import ClaimStatus, FundingSource, Move, Party, RightKind

Name = Annotated[str, Field(min_length=1, max_length=200)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)]
PositiveYuan = Annotated[Yuan, Field(gt=0)]
RightType = Literal["invention", "utility_model", "design", "pct_invention", "pct_utility_model", "trademark"]


# --- banks -----------------------------------------------------------------------------------------


class BankCreate(BaseModel):
    """Register a cooperating bank."""

    id: str = Field(
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="the bank's tenant id, as carried in its tokens",
    )
    name: str = Field(min_length=1, max_length=200)


class BankPublic(BaseModel):
    """A cooperating bank."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    registered_at: datetime
    suspended_at: datetime | None = None
    suspension_reason: str | None = None


class BankPage(BaseModel):
    """A page of banks."""

    items: list[BankPublic]
    total: int


class CollateralAlertPublic(BaseModel):
    """A right named in an enforcement case (`patent_number` is the right's number, kept under its
    first name; `right_kind` says whether it is a patent or a trademark)."""

    model_config = ConfigDict(from_attributes=True)

    right_kind: str = "patent"
    patent_number: str
    case_id: str
    case_type: str
    raised_at: datetime


class CollateralAlertPage(BaseModel):
    """Alerts, newest first."""

    items: list[CollateralAlertPublic]
    total: int


# --- enterprises and rights -------------------------------------------------------------------------


class EnterpriseCreate(BaseModel):
    """An enterprise, by its unified social credit code (GB 32100-2015, check character verified)."""

    credit_code: CreditCode
    name: Name


class EnterprisePublic(BaseModel):
    """An enterprise."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    created_at: datetime


class PatentCreate(BaseModel):
    """A Chinese patent: the application number's check digit is verified, its type derived."""

    kind: Literal["patent"]
    number: PatentNumber
    title: Name
    owner_credit_code: CreditCode
    filing_date: date | None = None
    grant_date: date | None = None


class TrademarkCreate(BaseModel):
    """A registered trademark, with its Nice class."""

    kind: Literal["trademark"]
    number: TrademarkNumber
    trademark_class: int = Field(ge=1, le=45)
    title: Name
    owner_credit_code: CreditCode
    filing_date: date | None = None
    grant_date: date | None = None


RightCreate = Annotated[PatentCreate | TrademarkCreate, Field(discriminator="kind")]


class AppraisalCreate(BaseModel):
    """A valuation of a right."""

    value: PositiveYuan
    valuer: Name
    appraised_date: date


class AppraisalPublic(BaseModel):
    """A valuation."""

    id: int
    value: str
    valuer: str
    appraised_date: date


class RightPublic(BaseModel):
    """A patent or trademark, with its latest appraisal."""

    id: int
    kind: RightKind
    number: str
    patent_type: str | None
    trademark_class: int | None
    title: str
    owner_credit_code: str
    filing_date: date | None
    grant_date: date | None
    appraisal: AppraisalPublic | None


# --- loans ---------------------------------------------------------------------------------------------


class LoanCreate(BaseModel):
    """A bank submits an IP-pledged loan. A mixed pledge is derived from the rights, never stated."""

    enterprise_credit_code: CreditCode
    amount: PositiveYuan
    term_months: int = Field(ge=1, le=120)
    right_ids: list[int] = Field(min_length=1, max_length=50, description="pledged rights, each appraised")
    other_collateral_value: Yuan = Field(default=Decimal(0), description="value of non-IP collateral, if any")
    guarantor: Name | None = None
    insurer: Name | None = None
    valuer: Name | None = None


class LoanTransition(BaseModel):
    """One move of the loan state machine; some moves need more fields."""

    move: Move
    reason: str | None = Field(default=None, max_length=500)
    registration_number: str | None = Field(
        default=None, min_length=1, max_length=64, description="register: the national IP office's number"
    )
    registered_date: date | None = Field(default=None, description="register: the registration date")
    overdue_since: date | None = Field(default=None, description="mark_overdue: the first day past due")
    as_of: date | None = Field(default=None, description="mark_overdue: the day DPD is computed for")


class RepaymentCreate(BaseModel):
    """A repayment. On an overdue loan, `still_overdue_since` keeps it overdue; without it the
    arrears are cleared and the loan is performing again."""

    principal: Yuan
    interest: Yuan = Decimal(0)
    paid_date: date
    still_overdue_since: date | None = None


class RepaymentPublic(BaseModel):
    """A recorded repayment."""

    id: int
    principal: str
    interest: str
    paid_date: date
    outstanding: str
    status: str


class RegistrationUpdate(BaseModel):
    """What the national IP office decided after registration: refused, or a registered change."""

    status: Literal["refused", "changed"]
    reason: str | None = Field(default=None, max_length=500)
    registration_number: str | None = Field(default=None, min_length=1, max_length=64)
    registered_date: date | None = None


class RegistrationPublic(BaseModel):
    """The pledge registration of a loan."""

    model_config = ConfigDict(from_attributes=True)

    status: str
    registration_number: str | None
    registered_date: date | None
    refused_reason: str | None
    changed_at: datetime | None
    cancelled_at: datetime | None


class CollateralPublic(BaseModel):
    """A right pledged for a loan."""

    right_id: int
    kind: RightKind
    number: str
    appraised_value: str
    released_at: datetime | None


class LoanPublic(BaseModel):
    """A loan as its bank (or an operator) sees it."""

    id: str
    bank_id: str
    enterprise_credit_code: str
    amount: str
    outstanding: str
    term_months: int
    status: str
    allowed_moves: list[str]
    version: int
    mixed_pledge: bool
    collateral: list[CollateralPublic]
    ip_share: str = Field(description="percent of the collateral value that is IP")
    guarantor: str | None
    insurer: str | None
    valuer: str | None
    covered: bool
    agreement_id: int | None
    coverage_note: str | None
    overdue_since: date | None
    days_past_due: int
    dpd_bucket: str
    default_principal: str | None
    collateral_at_risk: bool
    collateral_alerts: list[CollateralAlertPublic]
    registration: RegistrationPublic | None
    submitted_at: datetime
    approved_at: datetime | None
    registered_at: datetime | None
    disbursed_at: datetime | None
    overdue_at: datetime | None
    defaulted_at: datetime | None
    compensated_at: datetime | None
    closed_at: datetime | None


class LoanSummary(BaseModel):
    """A loan in a list."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    bank_id: str
    enterprise_credit_code: str
    amount: str
    outstanding: str
    status: str
    covered: bool
    days_past_due: int
    dpd_bucket: str
    collateral_at_risk: bool
    submitted_at: datetime


class LoanPage(BaseModel):
    """A page of loans, newest first."""

    items: list[LoanSummary]
    total: int


class StateChangePublic(BaseModel):
    """One move in a loan's history."""

    model_config = ConfigDict(from_attributes=True)

    from_status: str
    to_status: str
    move: str
    actor: str
    reason: str | None
    at: datetime


class DpdRecordPublic(BaseModel):
    """A recomputation of days past due that changed the bucket."""

    model_config = ConfigDict(from_attributes=True)

    as_of_date: date
    days_past_due: int
    bucket: str
    at: datetime


class LoanHistory(BaseModel):
    """A loan's moves and DPD history, oldest first."""

    state_changes: list[StateChangePublic]
    dpd_records: list[DpdRecordPublic]


class DpdRecompute(BaseModel):
    """Recompute days past due of every overdue loan (the daily job does this at midnight)."""

    as_of: date


class DpdRecomputePublic(BaseModel):
    """How many loans were looked at and how many changed bucket."""

    loans: int
    bucket_changes: int


# --- pools, agreements, ledger ---------------------------------------------------------------------------


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
    """The rules of one agreement version: data, never code."""

    shares: dict[Party, Percent] = Field(description="percent of the covered loss per party; sums to 100")
    remainder_to: Party = Field(default=Party.BANK, description="who takes the odd fen of a split")
    bands: list[BandIn] = Field(default_factory=list, max_length=20)
    per_loan_cap: Yuan | None = None
    per_enterprise_cap: Yuan | None = None
    max_loan: Yuan | None = None
    min_ip_share: Percent = Field(default=Decimal(0), description="minimum IP share of the collateral")
    leverage_limit: Annotated[Decimal, Field(gt=0, max_digits=6, decimal_places=2)] | None = None
    npl_suspension_threshold: Percent | None = None
    eligible_right_types: list[RightType] | None = Field(
        default=None, description="collateral kinds the pool covers; omitted covers all"
    )


class AgreementCreate(BaseModel):
    """A new version of a bank's pool agreement."""

    pool_id: str
    bank_id: str
    effective_from: datetime | None = Field(default=None, description="defaults to now")
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


# --- claims and recoveries ---------------------------------------------------------------------------------


class ClaimCreate(BaseModel):
    """A compensation claim: the principal loss (never interest or fees)."""

    loss: PositiveYuan


class ClaimPublic(BaseModel):
    """A claim and its decision."""

    id: str
    loan_id: str
    bank_id: str
    agreement_id: int | None
    status: ClaimStatus
    loss: str
    pool_amount: str
    shares: dict[str, str]
    capped_by: str | None
    reason: str | None
    filed_at: datetime


class ClaimPage(BaseModel):
    """Claims, newest first."""

    items: list[ClaimPublic]
    total: int


class RecoveryCreate(BaseModel):
    """Money recovered on a defaulted loan (sale of the pledged rights, late payment...)."""

    amount: PositiveYuan


class RecoveryPublic(BaseModel):
    """A recovery and each party's part."""

    id: int
    loan_id: str
    claim_id: str | None
    amount: str
    shares: dict[str, str]
    recorded_at: datetime


# --- insurance and statistics --------------------------------------------------------------------------------


class InsurancePolicyCreate(BaseModel):
    """An IP insurance policy."""

    policy_number: str = Field(min_length=1, max_length=64)
    insurer: Name
    product_type: str = Field(min_length=1, max_length=64, examples=["patent_enforcement", "pledge_guarantee"])
    enterprise_credit_code: CreditCode
    insured_rights: list[str] = Field(default_factory=list, max_length=200)
    sum_insured: PositiveYuan
    premium: Yuan
    subsidy: Yuan = Decimal(0)
    start_date: date
    end_date: date


class InsurancePolicyPublic(BaseModel):
    """A policy."""

    id: int
    policy_number: str
    insurer: str
    product_type: str
    enterprise_credit_code: str
    insured_rights: list[str]
    sum_insured: str
    premium: str
    subsidy: str
    start_date: date
    end_date: date


class InsurancePolicyPage(BaseModel):
    """Policies, newest first."""

    items: list[InsurancePolicyPublic]
    total: int


class BankYear(BaseModel):
    """One bank's non-performing figures for a year."""

    bank_id: str
    disbursed: str
    non_performing: str
    npl_ratio: str | None = Field(description="percent; null when nothing was disbursed")


class YearStatistics(BaseModel):
    """The plan's pledge figures for one year, with growth on the previous year (percent)."""

    year: int
    pledge_amount: str
    pledge_count: int
    mixed_pledge_count: int
    insured_amount: str
    policy_count: int
    claims_paid: str
    recoveries: str
    growth: dict[str, str | None]
    banks: list[BankYear]


class StatisticsPublic(BaseModel):
    """Figures per year, oldest first."""

    years: list[YearStatistics]
