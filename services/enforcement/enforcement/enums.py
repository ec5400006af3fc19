"""String enums shared by models, schemas and the domain, so a status is spelled one way."""

from __future__ import annotations

from enum import StrEnum


class CaseType(StrEnum):
    """What a case is about (DOMAIN-RULES §4)."""

    PATENT_INFRINGEMENT_ADJUDICATION = "patent_infringement_adjudication"  # 专利侵权纠纷行政裁决
    PATENT_MEDIATION = "patent_mediation"  # 专利纠纷调解
    COUNTERFEIT_PATENT = "counterfeit_patent"  # 假冒专利查处
    TRADEMARK_ENFORCEMENT = "trademark_enforcement"  # 商标行政执法
    ASSISTANCE = "assistance"  # 维权援助
    OVERSEAS_ASSISTANCE = "overseas_assistance"  # 海外纠纷应对指导


# The plan's "administrative case count +20 %/year" counts administrative enforcement of patents
# and trademarks: adjudication, counterfeiting and trademark cases (not mediation or assistance).
ADMINISTRATIVE_TYPES = frozenset(
    {CaseType.PATENT_INFRINGEMENT_ADJUDICATION, CaseType.COUNTERFEIT_PATENT, CaseType.TRADEMARK_ENFORCEMENT}
)


class Channel(StrEnum):
    """Ordinary procedure, or the rapid rights-protection channel (快速维权)."""

    ORDINARY = "ordinary"
    RAPID = "rapid"


class CaseStatus(StrEnum):
    """Where a case is; every status has a `<status>_at` column."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNDER_REVIEW = "under_review"
    DECIDED = "decided"
    MEDIATED = "mediated"
    MEDIATION_FAILED = "mediation_failed"
    WITHDRAWN = "withdrawn"
    # Opened in error, merged into another case or a duplicate: it never was a case of its own.
    CANCELLED = "cancelled"
    CLOSED = "closed"


class Move(StrEnum):
    """What can happen to a case; `ALLOWED_MOVES` in `domain/workflow.py` says from where."""

    ACCEPT = "accept"
    REJECT = "reject"
    START_REVIEW = "start_review"
    DECIDE = "decide"
    MEDIATE = "mediate"
    FAIL_MEDIATION = "fail_mediation"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"
    CLOSE = "close"


class PartyRole(StrEnum):
    """Side of a party."""

    REQUESTER = "requester"
    RESPONDENT = "respondent"


class PartyKind(StrEnum):
    """An enterprise (domestic, by credit code), a natural person, or a foreign party."""

    ENTERPRISE = "enterprise"
    PERSON = "person"
    FOREIGN = "foreign"


class RightKind(StrEnum):
    """Kind of IP right a case involves."""

    PATENT = "patent"
    TRADEMARK = "trademark"


class Clock(StrEnum):
    """The two deadlines of a case: deciding on acceptance, then handling it to a conclusion."""

    ACCEPTANCE = "acceptance"
    HANDLING = "handling"


class DayUnit(StrEnum):
    """How a rule counts: working days (calendar-aware), calendar days, or calendar months."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class DayKind(StrEnum):
    """An entry of the public-holiday calendar."""

    HOLIDAY = "holiday"  # a day off, whatever weekday it is
    WORKDAY = "workday"  # a make-up working day (调休上班), usually a Saturday or Sunday


class CalendarSource(StrEnum):
    """Where a special day of the calendar comes from (the operator's entry wins)."""

    LIBRARY = "library"  # the official calendar of the `chinesecalendar` library
    OPERATOR = "operator"  # the operator's table (`PUT /calendar/{day}`)


class DocumentKind(StrEnum):
    """Evidence filed by a party, or a document the office issued or received."""

    EVIDENCE = "evidence"
    DOCUMENT = "document"


class NoteKind(StrEnum):
    """What a case officer records on the timeline during review."""

    EVIDENCE_EXCHANGE = "evidence_exchange"  # 证据交换
    HEARING = "hearing"  # 口头审理
    INSPECTION = "inspection"  # 现场勘验
    CONTACT = "contact"  # a call or meeting with a party
    NOTE = "note"
