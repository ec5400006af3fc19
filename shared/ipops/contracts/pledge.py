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
