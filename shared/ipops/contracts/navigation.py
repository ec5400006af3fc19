"""Events the navigation service publishes."""

from __future__ import annotations

from datetime import datetime

from ipops.events.registry import EventPayload, declare_topic, event_type

PROJECT_TOPIC = declare_topic("ipops.navigation.project", partitions=3)


@event_type("ipops.navigation.project.accepted.v1", topic=PROJECT_TOPIC)
class ProjectAcceptedV1(EventPayload):
    """A navigation project passed review and acceptance.

    Consumed by trusteeship (an enterprise-operation project shows in the beneficiary's profile)
    and by the gateway's public list of accepted projects."""

    project_id: str
    kind: str  # industry_planning | enterprise_operation
    title: str
    industry: str
    undertaking_org: str
    beneficiary_credit_code: str | None = None
    accepted_at: datetime
