"""What the trusteeship service contributes to the plan's figures: the counting rule of each
indicator it owns (`ipops.indicators.catalogue.owned_by("trusteeship")`), one definition each.
All three are stocks (a year's value is what counts on its 31 December, Beijing dates) about an
enterprise the platform knows (one that was enrolled at least once), and the subject is the first
32 hex digits of the SHA-256 of its credit code, never the code itself.

trusteeship_smes (累计覆盖中小微企业 1000):
    A SMALL or MICRO enterprise (its declared class, 《中小企业划型标准规定》) counts from the date
    its trusteeship enrolment starts until its last enrolment ends. A transfer between agencies is
    not an end (the next enrolment starts the day the last one ends); an exit ends it from the exit
    date. An enterprise that comes back after an exit counts again from its new start: each span
    of enrolments is a contribution of its own, subject `<hash>:<yyyymmdd of the span's start>`,
    so the years of the gap are not counted and the earlier years stay. Spans with no 31 December
    between them are one (a year-end stock cannot see the gap). Medium, large and unknown do not
    count; correcting the class re-counts every span (a correction to medium takes it out of every
    year; this is the declared class, not a history of classes).

certified_organisations (通过 GB/T 29490 认证的单位 300):
    An enterprise counts from the date of its GB/T 29490 certification until its certificate
    expires (the expiry date, three years after certification unless recorded otherwise) or is
    withdrawn, whichever is first. Subject `<hash>`. Clearing the certification (it was recorded
    by mistake) takes it out of every year.

enterprises_with_valid_patents (拥有有效专利企业, +15 %/year):
    An enterprise counts from the date it first holds a granted patent in force until the day its
    last patent in force ends: a patent is in force from its grant date until it lapses (the due
    date of the fee left unpaid past its grace period) or its term expires, whichever is first.
    Overlapping or touching patents make one span; a gap that spans a year end splits it, and a
    patent granted later counts again from then: subject `<hash>:<yyyymmdd of the span's start>`,
    as for trusteeship_smes. A restored patent counts again without a gap (the restoration undoes
    the lapse, so the patent is in force to its term again). The population is the enterprises
    the platform knows (enrolled at least once), not the whole district.

Pure functions: given the state of an enterprise, the contributions it makes. A subject that no
longer comes out (a span merged into another) is withdrawn by the caller.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ipops.errors import RuleViolation
from trusteeship.enums import EnterpriseSize

OWNER = "trusteeship"
SMES = "trusteeship_smes"
CERTIFIED = "certified_organisations"
VALID_PATENTS = "enterprises_with_valid_patents"
INDICATORS = (SMES, CERTIFIED, VALID_PATENTS)

# The trusteeship target is about small and micro enterprises (the plan's 中小微企业 as the
# programme serves them); medium and large ones may be enrolled but do not count.
COUNTING_SIZES = frozenset({EnterpriseSize.SMALL, EnterpriseSize.MICRO})

# A GB/T 29490 certificate is valid for three years (with yearly surveillance audits).
CERTIFICATE_YEARS = 3


# History is entered late (the plan started in 2019), but no counted fact is older than this.
EARLIEST_BUSINESS_DATE = date(2000, 1, 1)


def check_business_date(day: date, today: date, *, field: str) -> None:
    """A date a counted fact happened on: from 2000-01-01 to today, never the future."""
    if day < EARLIEST_BUSINESS_DATE:
        raise RuleViolation(f"{day} is before {EARLIEST_BUSINESS_DATE}", field=field)
    if day > today:
        raise RuleViolation(f"{day} is in the future", field=field)


@dataclass(frozen=True)
class Contribution:
    """One record's contribution to one indicator (quantity 0: it does not count)."""

    indicator: str
    subject: str
    quantity: int
    start_on: date
    end_on: date | None = None


@dataclass(frozen=True)
class Span:
    """A period from `start` up to `end`, exclusive (None: still open)."""

    start: date
    end: date | None = None


def subject_of(credit_code: str) -> str:
    """The ledger subject of an enterprise: its credit code hashed (the gateway keeps subjects)."""
    return hashlib.sha256(credit_code.encode()).hexdigest()[:32]


def span_subject(credit_code: str, start: date) -> str:
    """The subject of one span of an enterprise."""
    return f"{subject_of(credit_code)}:{start:%Y%m%d}"


def _continues(current: Span, following: Span) -> bool:
    """Whether `following` continues `current`: overlapping, touching, or no 31 December between."""
    if current.end is None or following.start <= current.end:
        return True
    return following.start.year == current.end.year


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans merged into the spans an enterprise counts over, by start."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end is None, s.end or s.start)):
        if merged and _continues(merged[-1], span):
            last = merged[-1]
            end = None if last.end is None or span.end is None else max(last.end, span.end)
            merged[-1] = Span(last.start, end)
        else:
            merged.append(span)
    return merged


def _spans_contributions(indicator: str, credit_code: str, spans: Iterable[Span], counts: bool) -> list[Contribution]:
    return [
        Contribution(indicator, span_subject(credit_code, s.start), int(counts and s.end != s.start), s.start, s.end)
        for s in merge_spans(spans)
    ]


def sme_contributions(
    credit_code: str, size: str, enrolments: Sequence[tuple[date, date | None]]
) -> list[Contribution]:
    """trusteeship_smes: 1 over each span of enrolments ((start, end or None) each) when the
    declared class is small or micro, else 0 over the same spans."""
    counts = size in COUNTING_SIZES
    return _spans_contributions(SMES, credit_code, (Span(s, e) for s, e in enrolments), counts)


def certificate_expiry(certified_on: date) -> date:
    """The default expiry of a GB/T 29490 certificate: three years after certification."""
    try:
        return certified_on.replace(year=certified_on.year + CERTIFICATE_YEARS)
    except ValueError:  # certified on 29 February
        return certified_on.replace(year=certified_on.year + CERTIFICATE_YEARS, day=28) + timedelta(days=1)


@dataclass(frozen=True)
class Certificate:
    """An enterprise's GB/T 29490 certificate as recorded (all None: not certified)."""

    certified_on: date | None = None
    expires_on: date | None = None
    withdrawn_on: date | None = None


CERTIFIED_FIELD, EXPIRY_FIELD, WITHDRAWN_FIELD = (
    "gbt29490_certified_date",
    "gbt29490_expiry_date",
    "gbt29490_withdrawn_date",
)


def updated_certificate(current: Certificate, changes: Mapping[str, date | None], today: date) -> Certificate:
    """The certificate after a change. A new certification date starts a new certificate (expiry
    three years on unless given, not withdrawn unless given); null clears the certification; an
    expiry given as null goes back to the default; a withdrawal given as null is undone."""
    certified = changes.get(CERTIFIED_FIELD, current.certified_on)
    if certified is None:
        if changes.get(EXPIRY_FIELD) or changes.get(WITHDRAWN_FIELD):
            raise RuleViolation("the enterprise has no GB/T 29490 certification", field=f"body.{CERTIFIED_FIELD}")
        return Certificate()
    fresh = certified != current.certified_on
    expires = changes.get(EXPIRY_FIELD) if EXPIRY_FIELD in changes else (None if fresh else current.expires_on)
    withdrawn = (
        changes.get(WITHDRAWN_FIELD) if WITHDRAWN_FIELD in changes else (None if fresh else current.withdrawn_on)
    )
    check_business_date(certified, today, field=f"body.{CERTIFIED_FIELD}")
    expires = expires or certificate_expiry(certified)
    if expires <= certified:
        raise RuleViolation(f"the certificate was issued on {certified}", field=f"body.{EXPIRY_FIELD}")
    if withdrawn is not None:
        check_business_date(withdrawn, today, field=f"body.{WITHDRAWN_FIELD}")
        if withdrawn < certified:
            raise RuleViolation(f"the certificate was issued on {certified}", field=f"body.{WITHDRAWN_FIELD}")
    return Certificate(certified, expires, withdrawn)


def certification_contributions(
    credit_code: str, certified_on: date | None, expires_on: date | None, withdrawn_on: date | None
) -> list[Contribution]:
    """certified_organisations: 1 from the certification date to the earlier of expiry and
    withdrawal; nothing without a certification (the caller withdraws what was counted)."""
    if certified_on is None:
        return []
    ends = [d for d in (expires_on, withdrawn_on) if d is not None]
    end = min(ends) if ends else None
    counts = end is None or end > certified_on
    return [Contribution(CERTIFIED, subject_of(credit_code), int(counts), certified_on, end)]


def patent_in_force(grant_date: date | None, expiry: date, lapsed_date: date | None) -> Span | None:
    """The span a patent is in force: from its grant to the earlier of lapse and expiry; None when
    it was never granted."""
    if grant_date is None:
        return None
    end = min(expiry, lapsed_date) if lapsed_date is not None else expiry
    return Span(grant_date, max(end, grant_date))


def valid_patent_contributions(
    credit_code: str, patents: Sequence[tuple[date | None, date, date | None]]
) -> list[Contribution]:
    """enterprises_with_valid_patents: 1 over each span in which the enterprise holds at least one
    patent in force ((grant date or None, expiry, lapsed date or None) per patent)."""
    spans = [s for s in (patent_in_force(*p) for p in patents) if s is not None]
    return _spans_contributions(VALID_PATENTS, credit_code, spans, True)


def enterprise_contributions(
    credit_code: str,
    size: str,
    enrolments: Sequence[tuple[date, date | None]],
    certification: tuple[date | None, date | None, date | None],
    patents: Sequence[tuple[date | None, date, date | None]],
) -> list[Contribution]:
    """Everything one enterprise contributes, to the three indicators."""
    return (
        sme_contributions(credit_code, size, enrolments)
        + certification_contributions(credit_code, *certification)
        + valid_patent_contributions(credit_code, patents)
    )
