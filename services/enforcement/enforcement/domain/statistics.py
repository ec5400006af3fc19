"""Enforcement's yearly statistics, from plain facts about cases and ratings and from the
indicator ledger.

Guarantees:
- the figures that are plan indicators are NOT computed here: administrative cases and the
  enterprises protected come from the indicator ledger (`domain/indicators.py` is their one
  definition), passed in as `LedgerFigures`; so are the survey's satisfaction score. The plan's
  judgement (average growth from the base year, targets) is `/statistics/indicators`;
- `cases` counts every case received in the year (China date), whatever its type or fate;
- growth (`case_growth`, `administrative_growth`) is year on year, None when the previous year
  had none (no invented percentage); it is not the plan's average growth;
- handling time is days from receipt to closure of the cases *closed* in the year, per type;
- the overdue rate is the share of the year's cases that went past a deadline (flagged by the
  scan, or concluded late);
- the served parties' average rating is over the per-case ratings *given* in the year: how the
  parties served rated the office, not the plan's social satisfaction (a public survey);
- ratios are Decimals rounded half-up to 4 places (percentages to 2), never floats.
"""

from __future__ import annotations

import statistics as stats
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from enforcement.enums import CaseType

FOUR = Decimal("0.0001")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class CaseFacts:
    """What statistics need of one case."""

    case_type: CaseType
    received_date: date
    closed_date: date | None = None
    within_deadline: bool | None = None
    went_overdue: bool = False


@dataclass(frozen=True)
class RatingFacts:
    """One satisfaction rating."""

    rated_date: date
    score: int


@dataclass(frozen=True)
class LedgerFigures:
    """The year's (and the year before's) indicator values, as the ledger adds them up."""

    administrative_cases: int = 0
    previous_administrative_cases: int = 0
    enterprises_protected: int = 0
    satisfaction: Decimal | None = None


@dataclass(frozen=True)
class HandlingTime:
    """Days from receipt to closure of one type's cases closed in the year."""

    case_type: CaseType
    closed: int
    mean_days: Decimal | None
    median_days: Decimal | None


@dataclass(frozen=True)
class YearFigures:
    """The enforcement figures of one year."""

    year: int
    cases: int
    administrative_cases: int
    previous_administrative_cases: int
    administrative_growth: Decimal | None
    previous_cases: int
    case_growth: Decimal | None
    enterprises_protected: int
    satisfaction: Decimal | None
    closed: int
    closed_within_deadline: int
    share_closed_within_deadline: Decimal | None
    overdue_cases: int
    overdue_rate: Decimal | None
    served_party_ratings: int
    served_parties_average_rating: Decimal | None
    handling_time: list[HandlingTime] = field(default_factory=list)


def _ratio(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, ROUND_HALF_UP)


def _growth(now: int, before: int) -> Decimal | None:
    if before == 0:
        return None
    return (Decimal(now - before) / Decimal(before)).quantize(FOUR, ROUND_HALF_UP)


def _in(year: int, day: date | None) -> bool:
    return day is not None and day.year == year


def figures(
    year: int, cases: Sequence[CaseFacts], ratings: Iterable[RatingFacts], ledger: LedgerFigures | None = None
) -> YearFigures:
    """The figures of `year` (cases of that year and the year before must be given)."""
    ledger = ledger or LedgerFigures()
    received = [c for c in cases if c.received_date.year == year]
    before = [c for c in cases if c.received_date.year == year - 1]
    admin, admin_before = ledger.administrative_cases, ledger.previous_administrative_cases
    closed = [c for c in cases if _in(year, c.closed_date)]
    within = sum(1 for c in closed if c.within_deadline)
    overdue = sum(1 for c in received if c.went_overdue or c.within_deadline is False)
    scores = [r.score for r in ratings if r.rated_date.year == year]
    average = (Decimal(sum(scores)) / len(scores)).quantize(TENTH, ROUND_HALF_UP) if scores else None
    by_type: dict[CaseType, list[int]] = defaultdict(list)
    for case in closed:
        assert case.closed_date is not None
        by_type[case.case_type].append((case.closed_date - case.received_date).days)
    handling = [
        HandlingTime(
            case_type=t,
            closed=len(by_type[t]),
            mean_days=(Decimal(sum(by_type[t])) / len(by_type[t])).quantize(TENTH, ROUND_HALF_UP)
            if by_type[t]
            else None,
            median_days=Decimal(str(stats.median(by_type[t]))).quantize(TENTH, ROUND_HALF_UP) if by_type[t] else None,
        )
        for t in CaseType
    ]
    return YearFigures(
        year=year,
        cases=len(received),
        administrative_cases=admin,
        previous_administrative_cases=admin_before,
        administrative_growth=_growth(admin, admin_before),
        previous_cases=len(before),
        case_growth=_growth(len(received), len(before)),
        enterprises_protected=ledger.enterprises_protected,
        satisfaction=ledger.satisfaction,
        closed=len(closed),
        closed_within_deadline=within,
        share_closed_within_deadline=_ratio(within, len(closed)),
        overdue_cases=overdue,
        overdue_rate=_ratio(overdue, len(received)),
        served_party_ratings=len(scores),
        served_parties_average_rating=average,
        handling_time=handling,
    )
