"""Events the navigation service publishes.

Projects are one topic keyed by project id (so created -> approved -> phase completed -> accepted
keep their order); portfolios are another, keyed by the enterprise's credit code.
"""

from __future__ import annotations

from datetime import date, datetime

from ipops.events.registry import EventPayload, declare_topic, event_type

PROJECT_TOPIC = declare_topic("ipops.navigation.project", partitions=3)
PORTFOLIO_TOPIC = declare_topic("ipops.navigation.portfolio", partitions=3)


@event_type("ipops.navigation.project.created.v1", topic=PROJECT_TOPIC)
class ProjectCreatedV1(EventPayload):
    """A navigation project was proposed (by the district office or its undertaking organisation)."""

    project_id: str
    kind: str  # industry_planning | enterprise_operation
    gbt_part: int
    title: str
    industry: str
    undertaking_org: str
    undertaking_org_name: str | None = None
    beneficiary_credit_code: str | None = None
    budget: str  # yuan, two decimals, as a string: never a float
    created_at: datetime


@event_type("ipops.navigation.project.approved.v1", topic=PROJECT_TOPIC)
class ProjectApprovedV1(EventPayload):
    """The district office approved a project; it starts in the preparation phase."""

    project_id: str
    kind: str
    undertaking_org: str
    beneficiary_credit_code: str | None = None
    approved_at: datetime


@event_type("ipops.navigation.project.phase_completed.v1", topic=PROJECT_TOPIC)
class PhaseCompletedV1(EventPayload):
    """A project closed a phase (its gate's deliverables present) and entered the next one."""

    project_id: str
    kind: str
    undertaking_org: str
    completed_phase: str  # preparation | retrieval | analysis | review
    next_phase: str | None = None
    completed_at: datetime


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
    gbt_part: int | None = None
    undertaking_org_name: str | None = None
    beneficiary_name: str | None = None
    summary: str | None = None
    accepted_on: date | None = None  # the acceptance date (Beijing), from which the project counts


@event_type("ipops.navigation.portfolio.qualified.v1", topic=PORTFOLIO_TOPIC)
class PortfolioQualifiedV1(EventPayload):
    """An enterprise's patent portfolio met the plan's high-value definition (at least 50 granted,
    in-force invention patents and at least 10 PCT applications): the first time, or again after
    `portfolio.disqualified`. Its patent list counts toward the 20 (one list counts once, however
    many portfolios hold it: the figure itself is `ipops.indicator.contribution.recorded`)."""

    portfolio_id: str
    credit_code: str
    enterprise_name: str
    name: str
    invention_count: int
    pct_count: int
    project_id: str | None = None
    qualified_on: date
    qualified_at: datetime


@event_type("ipops.navigation.portfolio.disqualified.v1", topic=PORTFOLIO_TOPIC)
class PortfolioDisqualifiedV1(EventPayload):
    """A portfolio that qualified no longer does, from `disqualified_on` (Beijing date): `reason`
    is `withdrawn` (its registrant withdrew it), `below_thresholds` (patents removed, lapsed or
    refused so that fewer than 50 in-force inventions or 10 PCT applications count) or
    `counted_elsewhere` (its patents count toward an earlier-qualified portfolio). The counts are
    those it has now."""

    portfolio_id: str
    credit_code: str
    enterprise_name: str
    name: str
    reason: str  # withdrawn | below_thresholds | counted_elsewhere
    invention_count: int
    pct_count: int
    project_id: str | None = None
    disqualified_on: date
    disqualified_at: datetime
