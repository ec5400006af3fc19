"""Events the pledge service publishes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from ipops.events.registry import EventPayload, declare_topic, event_type

BANK_TOPIC = declare_topic("ipops.pledge.bank", partitions=3)
LOAN_TOPIC = declare_topic("ipops.pledge.loan", partitions=6)


@event_type("ipops.pledge.bank.registered.v1", topic=BANK_TOPIC)
class BankRegisteredV1(EventPayload):
    """A cooperating bank joined the pledge-financing programme."""

    bank_id: str
    name: str
    registered_at: datetime


@event_type("ipops.pledge.loan.approved.v1", topic=LOAN_TOPIC)
class LoanApprovedV1(EventPayload):
    """A bank approved an IP-pledged loan (and, where eligible, the pool covers it).

    Consumed by trusteeship (the loan shows in the enterprise's profile) and by the gateway's
    public progress read model."""

    loan_id: str
    bank_id: str
    enterprise_credit_code: str
    enterprise_name: str
    amount: str  # yuan, two decimals, as a string: never a float
    mixed_pledge: bool
    patent_numbers: list[str] = []
    trademark_numbers: list[str] = []
    approved_at: datetime
    covered: bool | None = None  # added later: whether the risk-compensation pool covers the loan


CLAIM_TOPIC = declare_topic("ipops.pledge.claim", partitions=3)
POOL_TOPIC = declare_topic("ipops.pledge.pool", partitions=1)


@event_type("ipops.pledge.loan.submitted.v1", topic=LOAN_TOPIC)
class LoanSubmittedV1(EventPayload):
    """A bank submitted an IP-pledged loan application."""

    loan_id: str
    bank_id: str
    enterprise_credit_code: str
    amount: str
    mixed_pledge: bool
    patent_numbers: list[str] = []
    trademark_numbers: list[str] = []
    submitted_at: datetime


@event_type("ipops.pledge.loan.approval_undone.v1", topic=LOAN_TOPIC)
class LoanApprovalUndoneV1(EventPayload):
    """A bank took back an approval (the loan is submitted again): consumers that counted the
    approval count it out."""

    loan_id: str
    bank_id: str
    amount: str
    undone_at: datetime


@event_type("ipops.pledge.loan.disbursed.v1", topic=LOAN_TOPIC)
class LoanDisbursedV1(EventPayload):
    """The bank paid the loan out."""

    loan_id: str
    bank_id: str
    enterprise_credit_code: str
    amount: str
    mixed_pledge: bool
    covered: bool
    disbursed_at: datetime
    disbursed_on: date | None = Field(
        default=None, description="the date the money was paid out (Beijing); the bank may report it late"
    )


@event_type("ipops.pledge.loan.disbursement_undone.v1", topic=LOAN_TOPIC)
class LoanDisbursementUndoneV1(EventPayload):
    """A disbursement was reversed (the loan is registered, not paid out)."""

    loan_id: str
    bank_id: str
    amount: str
    undone_at: datetime


@event_type("ipops.pledge.loan.disbursement_restated.v1", topic=LOAN_TOPIC)
class LoanDisbursementRestatedV1(EventPayload):
    """The bank corrected a disbursement it reported: the principal paid out (`amount`, the
    outstanding principal moves by the difference) and/or the date it was paid out. Consumers
    that counted the disbursement count it again with these figures."""

    loan_id: str
    bank_id: str
    amount: str
    previous_amount: str
    disbursed_on: date
    previous_disbursed_on: date
    reason: str
    restated_at: datetime


@event_type("ipops.pledge.loan.defaulted.v1", topic=LOAN_TOPIC)
class LoanDefaultedV1(EventPayload):
    """A loan was declared in default."""

    loan_id: str
    bank_id: str
    enterprise_credit_code: str
    outstanding_principal: str
    days_past_due: int
    defaulted_at: datetime


@event_type("ipops.pledge.loan.closed.v1", topic=LOAN_TOPIC)
class LoanClosedV1(EventPayload):
    """A loan closed: `outcome` is `repaid` or `written_off`; its pledges are released."""

    loan_id: str
    bank_id: str
    outcome: str
    closed_at: datetime


@event_type("ipops.pledge.claim.paid.v1", topic=CLAIM_TOPIC)
class ClaimPaidV1(EventPayload):
    """The pool paid its share of a defaulted loan's principal loss. `shares` maps each party
    (pool, bank, guarantor, insurer, valuer) to the yuan it bears."""

    claim_id: str
    loan_id: str
    bank_id: str
    agreement_id: int
    agreement_version: int
    loss: str
    pool_amount: str
    shares: dict[str, str]
    paid_at: datetime


@event_type("ipops.pledge.claim.refused.v1", topic=CLAIM_TOPIC)
class ClaimRefusedV1(EventPayload):
    """A compensation claim was refused, with the reason."""

    claim_id: str
    loan_id: str
    bank_id: str
    loss: str
    reason: str
    refused_at: datetime


@event_type("ipops.pledge.loan.recovery_recorded.v1", topic=LOAN_TOPIC)
class RecoveryRecordedV1(EventPayload):
    """Money recovered on a defaulted loan, with each party's pro-rata part."""

    recovery_id: int
    loan_id: str
    bank_id: str
    amount: str
    shares: dict[str, str]
    recorded_at: datetime


@event_type("ipops.pledge.pool.funded.v1", topic=POOL_TOPIC)
class PoolFundedV1(EventPayload):
    """Money entered the pool: a contribution (`source` central, municipal or district) or interest."""

    pool_id: str
    kind: str  # contribution | interest
    source: str | None = None
    amount: str
    balance: str
    funded_at: datetime


@event_type("ipops.pledge.bank.suspended.v1", topic=BANK_TOPIC)
class BankSuspendedV1(EventPayload):
    """A bank's non-performing losses passed its agreement's threshold: no new cover, no claims."""

    bank_id: str
    reason: str
    suspended_at: datetime
