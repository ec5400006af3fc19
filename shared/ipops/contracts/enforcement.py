"""Events the enforcement service publishes, all on one topic keyed by case id.

`CaseOpenedV1` is consumed by pledge (collateral-at-risk alerts for the named patents) and by
trusteeship (the case in the queue of the enterprise's agency): its fields never change, they
only grow. Every later event repeats the case type and the requester's credit code so a consumer
can act without keeping a copy of the case. A case that ends without an outcome announces it
(`withdrawn`, `cancelled`: opened in error, merged, a duplicate), and a corrected case type is
announced (`corrected`), so a consumer that acted on `opened` can undo or redo what it did.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from ipops.events.registry import EventPayload, declare_topic, event_type

CASE_TOPIC = declare_topic("ipops.enforcement.case", partitions=6)


class CaseParty(EventPayload):
    """A party of a case; `credit_code` when the party is an enterprise."""

    role: str = Field(description="requester or respondent")
    name: str
    credit_code: str | None = None
    kind: str | None = Field(default=None, description="enterprise, person or foreign")


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
    requester_agency_id: str | None = Field(default=None, description="the agency that brought the case")
    related_case_id: str | None = Field(default=None, description="the failed mediation this case follows")
    acceptance_due_date: date | None = None


@event_type("ipops.enforcement.case.accepted.v1", topic=CASE_TOPIC)
class CaseAcceptedV1(EventPayload):
    """A case was accepted (docketed); its handling clock started."""

    case_id: str
    case_type: str
    channel: str
    requester_credit_codes: list[str] = Field(default_factory=list)
    accepted_at: datetime
    handling_due_date: date | None = None


@event_type("ipops.enforcement.case.mediated.v1", topic=CASE_TOPIC)
class CaseMediatedV1(EventPayload):
    """The parties reached a mediation agreement."""

    case_id: str
    case_type: str
    requester_credit_codes: list[str] = Field(default_factory=list)
    patent_numbers: list[str] = Field(default_factory=list)
    trademark_numbers: list[str] = Field(default_factory=list)
    mediated_at: datetime
    resolution_reason: str | None = None


@event_type("ipops.enforcement.case.decided.v1", topic=CASE_TOPIC)
class CaseDecidedV1(EventPayload):
    """An adjudication or enforcement decision was made."""

    case_id: str
    case_type: str
    requester_credit_codes: list[str] = Field(default_factory=list)
    patent_numbers: list[str] = Field(default_factory=list)
    trademark_numbers: list[str] = Field(default_factory=list)
    decided_at: datetime
    resolution_reason: str | None = None


@event_type("ipops.enforcement.case.closed.v1", topic=CASE_TOPIC)
class CaseClosedV1(EventPayload):
    """A case was closed; `outcome` is the status it was closed from."""

    case_id: str
    case_type: str
    channel: str
    outcome: str
    resolution_reason: str | None = None
    requester_credit_codes: list[str] = Field(default_factory=list)
    patent_numbers: list[str] = Field(default_factory=list)
    trademark_numbers: list[str] = Field(default_factory=list)
    closed_at: datetime
    within_deadline: bool | None = None


@event_type("ipops.enforcement.case.rated.v1", topic=CASE_TOPIC)
class CaseRatedV1(EventPayload):
    """The served party rated the service of a closed case (0 to 100)."""

    case_id: str
    case_type: str
    score: int
    rated_at: datetime


@event_type("ipops.enforcement.case.overdue.v1", topic=CASE_TOPIC)
class CaseOverdueV1(EventPayload):
    """A case passed a deadline (`clock`: acceptance or handling) without reaching it."""

    case_id: str
    case_type: str
    channel: str
    clock: str
    due_date: date
    as_of: date
    requester_credit_codes: list[str] = Field(default_factory=list)
    handler_ids: list[str] = Field(default_factory=list)


@event_type("ipops.enforcement.case.withdrawn.v1", topic=CASE_TOPIC)
class CaseWithdrawnV1(EventPayload):
    """The requester withdrew the case before its outcome; it no longer counts in the plan's figures."""

    case_id: str
    case_type: str
    requester_credit_codes: list[str] = Field(default_factory=list)
    patent_numbers: list[str] = Field(default_factory=list)
    trademark_numbers: list[str] = Field(default_factory=list)
    withdrawn_at: datetime
    reason: str | None = None


@event_type("ipops.enforcement.case.cancelled.v1", topic=CASE_TOPIC)
class CaseCancelledV1(EventPayload):
    """The case was cancelled: opened in error, merged into another case, or a duplicate
    (`resolution_reason`, e.g. opened_in_error, merged, duplicate). It never was a case of its own:
    a consumer undoes what `opened` made it do."""

    case_id: str
    case_type: str
    requester_credit_codes: list[str] = Field(default_factory=list)
    patent_numbers: list[str] = Field(default_factory=list)
    trademark_numbers: list[str] = Field(default_factory=list)
    cancelled_at: datetime
    reason: str
    resolution_reason: str | None = None


@event_type("ipops.enforcement.case.corrected.v1", topic=CASE_TOPIC)
class CaseCorrectedV1(EventPayload):
    """A mistaken case type was corrected; the case's deadline and its counting follow the new type."""

    case_id: str
    previous_case_type: str
    case_type: str
    requester_credit_codes: list[str] = Field(default_factory=list)
    corrected_at: datetime
    reason: str
