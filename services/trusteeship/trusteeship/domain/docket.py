"""The annual-fee docket: which deadlines a granted patent has, what a late payment costs, when an
unpaid fee lapses the patent, and which reminder is due on a given day.

Guarantees:
- every number (terms, grace months, surcharge, fees, reminder offsets) comes from `FeeRules`,
  loaded from `annual_fee_rules.toml`; the functions hold no rule of their own;
- anniversaries are computed from the filing date each time (never year by year), so a filing on
  29 February falls due on 28 February in common years and on 29 February again in leap years;
- a deadline is identified by (patent, patent year): `missing_deadlines` returns only years not
  already present, so regenerating any number of times never duplicates one;
- `reminder_for` returns at most one reminder per call, the most urgent one reached and not yet
  sent, so a job that missed days catches up with one reminder rather than a burst.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from dateutil.relativedelta import relativedelta

from ipops.errors import RuleViolation
from ipops.money import apply_ratio, to_fen
from trusteeship.enums import Milestone, PatentKind


@dataclass(frozen=True)
class FeeBand:
    """The fee of patent years `first`..`last` (inclusive)."""

    first: int
    last: int
    fee_fen: int


@dataclass(frozen=True)
class TermChange:
    """A term that applies to applications of `kind` filed on or after a date."""

    kind: PatentKind
    filed_on_or_after: date
    years: int


@dataclass(frozen=True)
class FeeRules:
    """The annual-fee rules as data."""

    version: str
    grace_months: int
    surcharge_percent_per_full_month_late: int
    surcharge_free_months: int
    reminder_days_before_due: tuple[int, ...]
    reminder_days_before_grace_end: tuple[int, ...]
    terms: Mapping[PatentKind, int]
    term_changes: tuple[TermChange, ...]
    fees: Mapping[PatentKind, tuple[FeeBand, ...]]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FeeRules:
        """Rules from their TOML form (see annual_fee_rules.toml)."""
        return cls(
            version=str(data["version"]),
            grace_months=int(data["grace_months"]),
            surcharge_percent_per_full_month_late=int(data["surcharge_percent_per_full_month_late"]),
            surcharge_free_months=int(data["surcharge_free_months"]),
            reminder_days_before_due=tuple(sorted(int(d) for d in data["reminder_days_before_due"])),
            reminder_days_before_grace_end=tuple(sorted(int(d) for d in data["reminder_days_before_grace_end"])),
            terms={PatentKind(k): int(v) for k, v in data["terms"].items()},
            term_changes=tuple(
                TermChange(PatentKind(c["kind"]), c["filed_on_or_after"], int(c["years"]))
                for c in data.get("term_changes", [])
            ),
            fees={
                PatentKind(kind): tuple(
                    FeeBand(int(b["years"][0]), int(b["years"][1]), to_fen(b["yuan"])) for b in bands
                )
                for kind, bands in data["fees"].items()
            },
        )


def load_rules() -> FeeRules:
    """The rules shipped with the service."""
    text = resources.files("trusteeship.domain").joinpath("annual_fee_rules.toml").read_text(encoding="utf-8")
    return FeeRules.from_mapping(tomllib.loads(text))


RULES = load_rules()


@dataclass(frozen=True)
class Deadline:
    """The annual fee of one patent year."""

    patent_year: int
    due_date: date
    grace_end_date: date
    fee_fen: int


def anniversary(filing_date: date, years: int) -> date:
    """The `years`-th anniversary of `filing_date` (29 February -> 28 February in common years)."""
    result: date = filing_date + relativedelta(years=years)
    return result


def add_months(day: date, months: int) -> date:
    """`day` plus `months`, on the last day of the month where the same day does not exist."""
    result: date = day + relativedelta(months=months)
    return result


def term_years(kind: PatentKind, filing_date: date, rules: FeeRules = RULES) -> int:
    """The term of a patent of `kind` filed on `filing_date`."""
    years = rules.terms[kind]
    for change in sorted(rules.term_changes, key=lambda c: c.filed_on_or_after):
        if change.kind is kind and filing_date >= change.filed_on_or_after:
            years = change.years
    return years


def expiry_date(kind: PatentKind, filing_date: date, rules: FeeRules = RULES) -> date:
    """The day the term ends: the patent is no longer valid from this day."""
    return anniversary(filing_date, term_years(kind, filing_date, rules))


def fee_fen(kind: PatentKind, patent_year: int, rules: FeeRules = RULES) -> int:
    """The annual fee of `patent_year` for `kind`, in fen."""
    for band in rules.fees[kind]:
        if band.first <= patent_year <= band.last:
            return band.fee_fen
    raise ValueError(f"no fee for year {patent_year} of a {kind} patent")


def expected_deadlines(
    kind: PatentKind,
    filing_date: date,
    grant_date: date | None,
    rules: FeeRules = RULES,
    *,
    docket_from: date | None = None,
) -> list[Deadline]:
    """Every deadline a patent has: years whose due date falls after the grant, up to the term.

    A pending application has none (the first fee is paid with the grant registration). With
    `docket_from` (the day the patent was recorded), years whose grace period had already ended
    are left out: a patent recorded as valid had them paid, and the docket looks forward."""
    if grant_date is None:
        return []
    out = []
    for year in range(1, term_years(kind, filing_date, rules) + 1):
        due = anniversary(filing_date, year - 1)
        if due <= grant_date:
            continue
        grace_end = add_months(due, rules.grace_months)
        if docket_from is not None and grace_end < docket_from:
            continue
        out.append(Deadline(year, due, grace_end, fee_fen(kind, year, rules)))
    return out


def missing_deadlines(expected: Iterable[Deadline], existing_years: Collection[int]) -> list[Deadline]:
    """The expected deadlines not yet held: what a regeneration adds (never a duplicate)."""
    return [d for d in expected if d.patent_year not in existing_years]


def full_months_late(due_date: date, paid_date: date) -> int:
    """Whole months by which `paid_date` exceeds `due_date` (0 when on time)."""
    months = 0
    while add_months(due_date, months + 1) < paid_date:
        months += 1
    return months


def surcharge_fen(fee: int, due_date: date, paid_date: date, rules: FeeRules = RULES) -> int:
    """The late-payment surcharge of a fee paid on `paid_date` (within the grace period)."""
    if paid_date <= due_date:
        return 0
    # A payment 1 day to 1 month late is in its first month late, 1 month and 1 day late in its
    # second, and so on; the free months carry no surcharge.
    months_begun = full_months_late(due_date, paid_date) + 1
    charged_months = max(0, months_begun - rules.surcharge_free_months)
    percent = charged_months * rules.surcharge_percent_per_full_month_late
    return apply_ratio(fee, Decimal(percent) / 100)


def payable_on(paid_date: date, deadline: Deadline, rules: FeeRules = RULES) -> bool:
    """True while a payment still keeps the patent: up to and including the grace period's end."""
    return paid_date <= deadline.grace_end_date


def is_lapsed(grace_end_date: date, as_of: date) -> bool:
    """An unpaid fee lapses the patent the day after its grace period ends."""
    return as_of > grace_end_date


def is_valid_on(day: date, grant_date: date | None, expiry: date, lapsed_date: date | None) -> bool:
    """Whether a patent is in force on `day` (granted, not expired, not lapsed)."""
    if grant_date is None or day < grant_date or day >= expiry:
        return False
    return lapsed_date is None or day < lapsed_date


@dataclass(frozen=True)
class Reminder:
    """A reminder to send: `days_ahead` is the offset reached, `target_date` the date it warns of."""

    milestone: Milestone
    offset_days: int
    target_date: date
    days_left: int


def reminder_for(
    due_date: date,
    grace_end_date: date,
    as_of: date,
    sent: Collection[tuple[Milestone, int]],
    rules: FeeRules = RULES,
) -> Reminder | None:
    """The reminder an open deadline needs on `as_of`, or None.

    Before (and on) the due date the offsets count down to it; once it has passed, they count down
    to the end of the grace period. The most urgent offset reached is the one sent; an offset sent
    already, or a more urgent one sent already, means nothing new."""
    if as_of <= due_date:
        milestone, target, offsets = Milestone.DUE, due_date, rules.reminder_days_before_due
    elif as_of <= grace_end_date:
        milestone, target, offsets = Milestone.GRACE_END, grace_end_date, rules.reminder_days_before_grace_end
    else:
        return None
    days_left = (target - as_of).days
    reached = [k for k in offsets if days_left <= k]
    if not reached:
        return None
    offset = min(reached)
    if any(m is milestone and k <= offset for m, k in sent):
        return None
    return Reminder(milestone, offset, target, days_left)


def check_restoration(lapsed_date: date, restored_date: date, today: date) -> None:
    """A restoration is decided after the lapse it undoes, and not in the future."""
    if restored_date < lapsed_date:
        raise RuleViolation(f"the patent lapsed as of {lapsed_date}", field="body.restored_date")
    if restored_date > today:
        raise RuleViolation(f"{restored_date} is in the future", field="body.restored_date")
