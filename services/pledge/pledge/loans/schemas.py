"""The loans' HTTP contract (submission, moves, repayments, registration, history, DPD runs) and
its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ipops.fields import BoundedDate, CreditCode, PositiveYuan, Yuan
from ipops.money import format_yuan
from pledge.common import Name, RightId
from pledge.domain.compensation import Collateral
from pledge.domain.loan import allowed_moves, is_mixed_pledge
from pledge.enums import LoanStatus, Move, RightKind
from pledge.models import (
    CollateralAlert,
    Loan,
    LoanCollateral,
    LoanDpdRecord,
    LoanInvestment,
    LoanStateChange,
    PledgedRight,
    PledgeRegistration,
    Repayment,
)
from pledge.rights.schemas import CollateralAlertPublic


class LoanCreate(BaseModel):
    """A bank submits an IP-pledged loan. A mixed pledge is derived from the rights, never stated."""

    enterprise_credit_code: CreditCode
    amount: PositiveYuan
    term_months: int = Field(ge=1, le=120)
    right_ids: list[RightId] = Field(min_length=1, max_length=50, description="pledged rights, each appraised")
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
    registered_date: BoundedDate | None = Field(default=None, description="register: the registration date")
    overdue_since: BoundedDate | None = Field(default=None, description="mark_overdue: the first day past due")
    as_of: BoundedDate | None = Field(default=None, description="mark_overdue: the day DPD is computed for")
    disbursed_date: BoundedDate | None = Field(
        default=None,
        description="disburse: the date the money was paid out (Beijing), for a disbursement reported "
        "late; default today, never in the future. The loan counts in this date's year in the plan's "
        "pledge figures, and matures from it.",
    )


class RepaymentCreate(BaseModel):
    """A repayment. On an overdue loan, `still_overdue_since` keeps it overdue; without it the
    arrears are cleared and the loan is performing again."""

    principal: Yuan
    interest: Yuan = Decimal(0)
    paid_date: BoundedDate
    still_overdue_since: BoundedDate | None = None


class RepaymentPublic(BaseModel):
    """A recorded repayment."""

    id: str = Field(description="random (UUID4 text), not sequential")
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
    registered_date: BoundedDate | None = None


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

    right_id: str
    kind: RightKind
    number: str
    appraised_value: str
    released_at: datetime | None


class LoanInvestmentPublic(BaseModel):
    """A guidance-fund investment in the loan's enterprise linked to this loan (投贷联动), as the
    operations service announced it; the exit once the fund has exited."""

    investment_id: str
    fund_id: str
    amount: str = Field(description="yuan, two decimals")
    invested_on: date
    exited_on: date | None
    exit_amount: str | None = Field(description="yuan, two decimals; null until the fund exits")


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
    ip_share: str = Field(
        description="percent of the collateral value that is IP, rounded to two decimals for display "
        "(a claim covers the loss times the IP value over the whole collateral value, exactly)"
    )
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
    investments: list[LoanInvestmentPublic] = Field(
        description="guidance-fund investments linked to this loan (投贷联动), oldest first; a bank sees "
        "them on its own loans only"
    )
    submitted_at: datetime
    approved_at: datetime | None
    registered_at: datetime | None
    disbursed_at: datetime | None = Field(description="when the disbursement was recorded")
    disbursed_date: date | None = Field(description="the date the money was paid out (Beijing)")
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


class DisbursementRestatement(BaseModel):
    """A bank corrects the disbursement it reported: the principal actually paid out, the date it
    was paid out, or both. Only while the loan performs (disbursed or overdue): a default fixes
    the loss on the principal then outstanding."""

    amount: PositiveYuan | None = Field(default=None, description="the principal paid out")
    disbursed_date: BoundedDate | None = Field(
        default=None, description="the date it was paid out (Beijing); not in the future"
    )
    reason: str = Field(min_length=1, max_length=500)


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

    as_of: BoundedDate


class DpdRecomputePublic(BaseModel):
    """How many loans were looked at and how many changed bucket."""

    loans: int
    bucket_changes: int


@dataclass
class LoanView:
    """A loan with the rows its public view shows (what `loan_public` presents)."""

    loan: Loan
    collateral: Sequence[tuple[LoanCollateral, PledgedRight]]
    registration: PledgeRegistration | None
    alerts: Sequence[CollateralAlert]
    investments: Sequence[LoanInvestment] = ()


def loan_public(view: LoanView) -> LoanPublic:
    """A loan with its collateral, registration, allowed moves and collateral alerts."""
    loan = view.loan
    return LoanPublic(
        id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        amount=format_yuan(loan.principal_fen),
        outstanding=format_yuan(loan.outstanding_fen),
        term_months=loan.term_months,
        status=loan.status,
        allowed_moves=allowed_moves(LoanStatus(loan.status)),
        version=loan.version,
        mixed_pledge=is_mixed_pledge((r.kind, r.number) for _, r in view.collateral),
        collateral=[
            CollateralPublic(
                right_id=r.id,
                kind=RightKind(r.kind),
                number=r.number,
                appraised_value=format_yuan(c.appraised_value_fen),
                released_at=c.released_at,
            )
            for c, r in view.collateral
        ],
        ip_share=str(Collateral(loan.ip_value_fen, loan.other_collateral_fen).ip_share_percent()),
        guarantor=loan.guarantor,
        insurer=loan.insurer,
        valuer=loan.valuer,
        covered=loan.covered,
        agreement_id=loan.agreement_id,
        coverage_note=loan.coverage_note,
        overdue_since=loan.overdue_since_date,
        days_past_due=loan.days_past_due,
        dpd_bucket=loan.dpd_bucket,
        default_principal=None if loan.default_principal_fen is None else format_yuan(loan.default_principal_fen),
        collateral_at_risk=loan.collateral_at_risk_at is not None,
        collateral_alerts=[CollateralAlertPublic.model_validate(a) for a in view.alerts],
        registration=RegistrationPublic.model_validate(view.registration) if view.registration else None,
        investments=[loan_investment_public(i) for i in view.investments],
        submitted_at=loan.submitted_at,
        approved_at=loan.approved_at,
        registered_at=loan.registered_at,
        disbursed_at=loan.disbursed_at,
        disbursed_date=loan.disbursed_date,
        overdue_at=loan.overdue_at,
        defaulted_at=loan.defaulted_at,
        compensated_at=loan.compensated_at,
        closed_at=loan.closed_at,
    )


def loan_investment_public(row: LoanInvestment) -> LoanInvestmentPublic:
    """A linked investment, amounts in yuan."""
    return LoanInvestmentPublic(
        investment_id=row.investment_id,
        fund_id=row.fund_id,
        amount=format_yuan(row.amount_fen),
        invested_on=row.invested_on,
        exited_on=row.exited_on,
        exit_amount=None if row.exit_amount_fen is None else format_yuan(row.exit_amount_fen),
    )


def loan_summary(loan: Loan) -> LoanSummary:
    """A loan in a list."""
    return LoanSummary(
        id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        amount=format_yuan(loan.principal_fen),
        outstanding=format_yuan(loan.outstanding_fen),
        status=loan.status,
        covered=loan.covered,
        days_past_due=loan.days_past_due,
        dpd_bucket=loan.dpd_bucket,
        collateral_at_risk=loan.collateral_at_risk_at is not None,
        submitted_at=loan.submitted_at,
    )


def history_public(moves: Sequence[LoanStateChange], dpd: Sequence[LoanDpdRecord]) -> LoanHistory:
    """A loan's moves and DPD records, oldest first."""
    return LoanHistory(
        state_changes=[StateChangePublic.model_validate(m) for m in moves],
        dpd_records=[DpdRecordPublic.model_validate(d) for d in dpd],
    )


def repayment_public(repayment: Repayment, loan: Loan) -> RepaymentPublic:
    """A recorded repayment with what the loan owes after it."""
    return RepaymentPublic(
        id=repayment.id,
        principal=format_yuan(repayment.principal_fen),
        interest=format_yuan(repayment.interest_fen),
        paid_date=repayment.paid_date,
        outstanding=format_yuan(loan.outstanding_fen),
        status=loan.status,
    )


def dpd_recompute_public(loans: int, bucket_changes: int) -> DpdRecomputePublic:
    """What a DPD run looked at and changed."""
    return DpdRecomputePublic(loans=loans, bucket_changes=bucket_changes)
