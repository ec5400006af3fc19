"""Events the trusteeship service publishes.

Topics are one per aggregate: enrolments keyed by the enterprise's credit code (so one
enterprise's enrolled -> transferred -> exited keep their order), work logs keyed by agency, the
docket keyed by patent number, and the registry of agencies keyed by agency id (trusteeship owns
the district's one registry of agencies; the operations service follows it through these events).

Enrolment and fee-deadline ids are random strings (UUID4, 32 hex digits) since issue #15: they
were sequential integers, which let one agency enumerate another's objects. The change of type
in the `.v1` payloads was made while no consumer read these fields.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from ipops.events.registry import EventPayload, declare_topic, event_type

ENROLMENT_TOPIC = declare_topic("ipops.trusteeship.enrolment", partitions=6)
WORKLOG_TOPIC = declare_topic("ipops.trusteeship.worklog", partitions=6)
DOCKET_TOPIC = declare_topic("ipops.trusteeship.docket", partitions=6)
AGENCY_TOPIC = declare_topic("ipops.trusteeship.agency", partitions=3)


@event_type("ipops.trusteeship.agency.registered.v1", topic=AGENCY_TOPIC)
class AgencyRegisteredV1(EventPayload):
    """The district office registered an agency in the one registry of agencies (with or without a
    trusteeship purchase contract: an agency without one cannot enrol enterprises, but other
    services, such as operations, know it by this id). `credit_code` is the agency's own unified
    social credit code, normalised, when the registry holds it."""

    agency_id: str
    name: str
    credit_code: str | None = None
    has_trusteeship_contract: bool = False
    registered_at: datetime


@event_type("ipops.trusteeship.agency.updated.v1", topic=AGENCY_TOPIC)
class AgencyUpdatedV1(EventPayload):
    """An agency's registry entry changed (name, credit code or contract terms). Carries the whole
    current name and credit code, so a follower upserts it; `updated_at` orders updates (a follower
    keeps the latest and ignores an older one that arrives late)."""

    agency_id: str
    name: str
    credit_code: str | None = None
    has_trusteeship_contract: bool = False
    updated_at: datetime


@event_type("ipops.trusteeship.enterprise.enrolled.v1", topic=ENROLMENT_TOPIC)
class EnterpriseEnrolledV1(EventPayload):
    """An agency took an enterprise into trusteeship. `first_enrolment` is true when the enterprise
    was never enrolled before: the plan's cumulative coverage grew by one."""

    enrolment_id: str
    agency_id: str
    credit_code: str
    enterprise_name: str
    start_date: date
    first_enrolment: bool
    enrolled_at: datetime


@event_type("ipops.trusteeship.enterprise.transferred.v1", topic=ENROLMENT_TOPIC)
class EnterpriseTransferredV1(EventPayload):
    """The district office moved an enterprise from one agency to another (history is kept)."""

    credit_code: str
    from_agency_id: str
    to_agency_id: str
    from_enrolment_id: str
    to_enrolment_id: str
    transfer_date: date
    reason: str
    transferred_at: datetime


@event_type("ipops.trusteeship.enterprise.exited.v1", topic=ENROLMENT_TOPIC)
class EnterpriseExitedV1(EventPayload):
    """An enterprise left trusteeship (it still counts toward cumulative coverage)."""

    enrolment_id: str
    agency_id: str
    credit_code: str
    end_date: date
    reason: str
    exited_at: datetime


@event_type("ipops.trusteeship.work.logged.v1", topic=WORKLOG_TOPIC)
class WorkLoggedV1(EventPayload):
    """An agency logged one piece of work for an enterprise it holds."""

    work_log_id: int
    agency_id: str
    credit_code: str
    service_type: str
    work_date: date
    hours: str | None = Field(default=None, description='decimal hours as a string, e.g. "1.50"')
    logged_at: datetime


@event_type("ipops.trusteeship.work.uploaded.v1", topic=WORKLOG_TOPIC)
class WorkUploadedV1(EventPayload):
    """An agency's bulk upload of work logs was accepted whole (one event per upload, not per row)."""

    upload_id: str
    agency_id: str
    row_count: int
    enterprise_count: int
    counts_by_service_type: dict[str, int]
    first_work_date: date
    last_work_date: date
    uploaded_at: datetime


@event_type("ipops.trusteeship.fee.due.v1", topic=DOCKET_TOPIC)
class FeeDueV1(EventPayload):
    """A reminder: an annual fee falls due (milestone `due`) or its grace period ends (`grace_end`)
    in `days_left` days. Sent to the agency holding the enterprise."""

    deadline_id: str
    patent_number: str
    credit_code: str
    agency_id: str | None
    patent_year: int
    milestone: str
    offset_days: int
    days_left: int
    due_date: date
    grace_end_date: date
    fee: str  # yuan, two decimals, as a string: never a float
    surcharge_if_paid_at_grace_end: str
    reminded_on: date


@event_type("ipops.trusteeship.patent.lapsed.v1", topic=DOCKET_TOPIC)
class PatentLapsedV1(EventPayload):
    """A patent lapsed: the annual fee of `patent_year` went unpaid past the grace period. The right
    ends as of the due date of that fee (`lapsed_date`)."""

    patent_number: str
    credit_code: str
    agency_id: str | None
    patent_year: int
    due_date: date
    grace_end_date: date
    lapsed_date: date
    detected_on: date


@event_type("ipops.trusteeship.patent.restored.v1", topic=DOCKET_TOPIC)
class PatentRestoredV1(EventPayload):
    """A lapsed patent was restored (恢复权利, Implementing Regulations of the Patent Law, rule 6):
    the lapse as of `lapsed_date` is undone and the right is in force again without a gap; the fee
    left unpaid was paid with the restoration."""

    patent_number: str
    credit_code: str
    agency_id: str | None
    lapsed_date: date
    restored_date: date
    restored_at: datetime


@event_type("ipops.trusteeship.patent.first.v1", topic=DOCKET_TOPIC)
class FirstPatentV1(EventPayload):
    """ "Patent zeroing-out" (专利清零): an enrolled enterprise with no valid patent obtained its first."""

    credit_code: str
    patent_number: str
    grant_date: date
    agency_id: str
    enrolment_id: str
    counted_at: datetime
