"""Events the enforcement service publishes."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ipops.events.registry import EventPayload, declare_topic, event_type

CASE_TOPIC = declare_topic("ipops.enforcement.case", partitions=6)


class CaseParty(EventPayload):
    """A party of a case; `credit_code` when the party is an enterprise."""

    role: str = Field(description="requester or respondent")
    name: str
    credit_code: str | None = None


@event_type("ipops.enforcement.case.opened.v1", topic=CASE_TOPIC)
class CaseOpenedV1(EventPayload):
    """A rights-protection or enforcement case was opened, naming the IP rights it concerns."""

    case_id: str
    case_type: str
    channel: str = "ordinary"
    patent_numbers: list[str] = Field(default_factory=list)
    trademark_numbers: list[str] = Field(default_factory=list)
    parties: list[CaseParty] = Field(default_factory=list)
    opened_at: datetime
