"""What enforcement contributes to the plan's indicators (goal 六), one counting rule each.

The rules, in words (the service README's "Indicators" section says the same):

- `enforcement_cases` (专利、商标行政执法办案量, a flow): a case counts 1 when it is an administrative
  enforcement case of a patent or a trademark - patent infringement adjudication, counterfeit
  patent, trademark enforcement (`ADMINISTRATIVE_TYPES`); patent mediation, rights-protection
  assistance and overseas assistance are services, not enforcement, and never count. It counts in
  the Beijing year of the date the case was received. A case withdrawn or cancelled (opened in
  error, merged into another, a duplicate) is taken back out, whatever happens to it afterwards;
  a corrected case type counts again under the rule (a mediation corrected to an adjudication
  starts counting, the reverse stops). A rejected case (not admissible) stays counted: the
  office received and decided on it. Subject: the case id.
- `enterprises_protected` (每年获得维权服务的企业, a flow per year): a distinct enterprise counts once
  in a year when a case of ANY type (mediation and assistance included) naming it as a requesting
  party (by its credit code) was received that year and is not taken out (withdrawn, cancelled).
  Only the year of receipt counts: a case received in December and closed in January counts in
  December's year only. It counts from the receipt date of its first such case that year; when
  every case that made it count that year is taken out, it is withdrawn. Subject:
  `<year>:<sha256(credit code)[:32]>` (the ledger, and the gateway's copy, never hold the code).
- `satisfaction` (知识产权保护工作社会满意度, a level): the score of the district's yearly PUBLIC
  SURVEY, not an average of the served parties' per-case ratings. The year's current survey
  version counts, as tenths of a point (84.5 -> 845). It is dated on the day it was conducted,
  or on 31 December of its year when it was conducted after the year ended, so it always falls
  in the year it measures. A withdrawn survey (a version that withdraws the year's, e.g. recorded
  for the wrong year) takes the year's figure out. Subject: `survey:<year>`.

Pure functions: the use cases load the records, call these, and write what they return to the
ledger in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from enforcement.enums import ADMINISTRATIVE_TYPES, CaseStatus, CaseType

OWNER = "enforcement"
ENFORCEMENT_CASES = "enforcement_cases"
ENTERPRISES_PROTECTED = "enterprises_protected"
SATISFACTION = "satisfaction"

# The statuses whose timestamp, once set, takes a case out of every indicator for good.
TAKEN_OUT_BY = (CaseStatus.WITHDRAWN, CaseStatus.CANCELLED)


@dataclass(frozen=True)
class Contribution:
    """One record's contribution to one indicator (quantity 0: it does not count)."""

    indicator: str
    subject: str
    quantity: int
    start_on: date
    reason: str
    end_on: date | None = None


@dataclass(frozen=True)
class CountedCase:
    """What the counting rules need of a case: its type, receipt date (Beijing) and whether a
    withdrawal or cancellation has ever been recorded on it."""

    case_id: str
    case_type: CaseType
    received_date: date
    taken_out: bool = False


def is_taken_out(withdrawn: bool, cancelled: bool) -> bool:
    """A case once withdrawn or cancelled no longer counts anywhere (closing it changes nothing)."""
    return withdrawn or cancelled


def case_contribution(case: CountedCase) -> Contribution:
    """The case's contribution to `enforcement_cases`."""
    counts = case.case_type in ADMINISTRATIVE_TYPES and not case.taken_out
    if case.taken_out:
        reason = "case withdrawn or cancelled"
    elif counts:
        reason = f"{case.case_type.value} case received"
    else:
        reason = f"{case.case_type.value} is not administrative enforcement"
    return Contribution(ENFORCEMENT_CASES, case.case_id, 1 if counts else 0, case.received_date, reason)


def enterprise_subject(year: int, credit_code: str) -> str:
    """The ledger's subject of an enterprise in a year: never the credit code itself."""
    return f"{year}:{hashlib.sha256(credit_code.encode()).hexdigest()[:32]}"


def enterprise_contribution(year: int, credit_code: str, cases: Iterable[CountedCase]) -> Contribution:
    """The enterprise's contribution to `enterprises_protected` in `year`, from every case naming
    it as a requester (cases received in other years are ignored)."""
    of_year = [c for c in cases if c.received_date.year == year]
    counting = [c.received_date for c in of_year if not c.taken_out]
    subject = enterprise_subject(year, credit_code)
    if counting:
        return Contribution(ENTERPRISES_PROTECTED, subject, 1, min(counting), "a case it requested was received")
    first = min((c.received_date for c in of_year), default=date(year, 1, 1))
    return Contribution(ENTERPRISES_PROTECTED, subject, 0, first, "every case it requested this year was taken out")


def survey_subject(year: int) -> str:
    """The ledger's subject of a year's satisfaction survey."""
    return f"survey:{year}"


def score_tenths(score: Decimal) -> int:
    """A survey score (0-100, one decimal) in the indicator's base unit, tenths of a point."""
    return int((score * 10).to_integral_value())


def survey_contribution(year: int, score: Decimal, conducted_on: date, withdrawn: bool = False) -> Contribution:
    """The year's current survey version as its `satisfaction` figure (none once withdrawn)."""
    start = min(conducted_on, date(year, 12, 31))
    if withdrawn:
        return Contribution(SATISFACTION, survey_subject(year), 0, start, f"survey of {year} withdrawn")
    return Contribution(SATISFACTION, survey_subject(year), score_tenths(score), start, f"survey of {year}")
