"""Events the operations service publishes.

One topic per aggregate, keyed by the aggregate's id so one object's events keep their order:
transactions (and their royalties), agencies' revenue reports (keyed by agency), pools,
alliances, overseas marks, the guidance fund's investments (keyed by investment) and milestones.
Amounts are yuan as strings with two decimals, never floats.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from ipops.events.registry import EventPayload, declare_topic, event_type

TRANSACTION_TOPIC = declare_topic("ipops.operations.transaction", partitions=6)
AGENCY_TOPIC = declare_topic("ipops.operations.agency", partitions=3)
POOL_TOPIC = declare_topic("ipops.operations.pool", partitions=3)
ALLIANCE_TOPIC = declare_topic("ipops.operations.alliance", partitions=3)
TRADEMARK_TOPIC = declare_topic("ipops.operations.trademark", partitions=3)
FUND_TOPIC = declare_topic("ipops.operations.fund", partitions=3)
MILESTONE_TOPIC = declare_topic("ipops.operations.milestone", partitions=1)


@event_type("ipops.operations.transaction.registered.v1", topic=TRANSACTION_TOPIC)
class TransactionRegisteredV1(EventPayload):
    """An assignment or licence was registered. `contracted_on` (Beijing date) is the day whose
    year the amount counts in; `pool_id` names the patent pool a licence was granted out of."""

    transaction_id: str
    kind: str
    right_kind: str
    right_numbers: list[str]
    transferor_credit_code: str
    transferee_credit_code: str
    amount: str = Field(description="yuan, two decimals")
    payment_form: str
    contracted_on: date
    agency_id: str | None = None
    pool_id: str | None = None
    navigation_project_id: str | None = None
    registered_at: datetime


@event_type("ipops.operations.transaction.rescinded.v1", topic=TRANSACTION_TOPIC)
class TransactionRescindedV1(EventPayload):
    """A contract was rescinded: its amount (and its royalties) no longer count."""

    transaction_id: str
    rescinded_on: date
    reason: str
    rescinded_at: datetime


@event_type("ipops.operations.royalty.reported.v1", topic=TRANSACTION_TOPIC)
class RoyaltyReportedV1(EventPayload):
    """Running royalties paid under a licence for a year; they count in that year."""

    transaction_id: str
    royalty_report_id: str
    year: int
    amount: str = Field(description="yuan, two decimals")
    reported_at: datetime


@event_type("ipops.operations.revenue.submitted.v1", topic=AGENCY_TOPIC)
class RevenueSubmittedV1(EventPayload):
    """An agency reported its main-business revenue for a year (version 2+ is a correction)."""

    report_id: str
    agency_id: str
    year: int
    version: int
    revenue: str = Field(description="yuan, two decimals")
    submitted_at: datetime


@event_type("ipops.operations.revenue.verified.v1", topic=AGENCY_TOPIC)
class RevenueVerifiedV1(EventPayload):
    """An operator verified a revenue report against its evidence: it is the agency's figure for
    the year (a later verified version replaces it)."""

    report_id: str
    agency_id: str
    year: int
    version: int
    revenue: str = Field(description="yuan, two decimals")
    verified_at: datetime


@event_type("ipops.operations.revenue.rejected.v1", topic=AGENCY_TOPIC)
class RevenueRejectedV1(EventPayload):
    """An operator rejected a revenue report, with the reason; the agency may submit a correction."""

    report_id: str
    agency_id: str
    year: int
    version: int
    reason: str
    rejected_at: datetime


@event_type("ipops.operations.pool.changed.v1", topic=POOL_TOPIC)
class PoolChangedV1(EventPayload):
    """A patent pool was registered or changed (members, patents, licensing terms); `qualifies`
    says whether it now counts toward the plan's pools (see the service README)."""

    pool_id: str
    name: str
    industry: str
    member_count: int
    patent_count: int
    terms_version: int | None = None
    qualifies: bool
    changed_at: datetime


@event_type("ipops.operations.alliance.changed.v1", topic=ALLIANCE_TOPIC)
class AllianceChangedV1(EventPayload):
    """An alliance was registered or a member joined or left; `qualifies` says whether it counts."""

    alliance_id: str
    name: str
    industry: str
    member_count: int
    qualifies: bool
    changed_at: datetime


@event_type("ipops.operations.trademark.changed.v1", topic=TRADEMARK_TOPIC)
class OverseasMarkChangedV1(EventPayload):
    """An overseas mark was registered or a designation changed status; `statuses` maps each
    designated party (ISO 3166 alpha-2 or a regional office) to its status."""

    mark_id: str
    ir_number: str
    basic_mark_number: str
    owner_credit_code: str
    statuses: dict[str, str]
    changed_at: datetime


@event_type("ipops.operations.investment.made.v1", topic=FUND_TOPIC)
class InvestmentMadeV1(EventPayload):
    """The guidance fund invested in an enterprise; `pledge_loan_id` links it to a pledge loan of
    the same enterprise (投贷联动), so the pledge side can show the link."""

    investment_id: str
    fund_id: str
    credit_code: str
    amount: str = Field(description="yuan, two decimals")
    invested_on: date
    pledge_loan_id: str | None = None
    made_at: datetime


@event_type("ipops.operations.investment.exited.v1", topic=FUND_TOPIC)
class InvestmentExitedV1(EventPayload):
    """The fund exited an investment."""

    investment_id: str
    fund_id: str
    credit_code: str
    exited_on: date
    exit_amount: str = Field(description="yuan, two decimals")
    pledge_loan_id: str | None = None
    exited_at: datetime


@event_type("ipops.operations.milestone.recorded.v1", topic=MILESTONE_TOPIC)
class MilestoneRecordedV1(EventPayload):
    """A milestone of goals 七-九 was recorded with its date and evidence; the public may see it."""

    milestone_id: str
    goal: int
    title_zh: str
    title_en: str
    achieved_on: date
    evidence: str
    recorded_at: datetime
