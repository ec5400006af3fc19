"""Events the pledge service publishes."""

from __future__ import annotations

from datetime import datetime

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
