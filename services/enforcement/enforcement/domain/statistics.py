"""The plan's enforcement figures for a year, from plain facts about cases and ratings.

Guarantees:
- a case counts in the year it was received (China date); the plan's "administrative cases
  +20 %/year" counts adjudication, counterfeiting and trademark cases only (`ADMINISTRATIVE_TYPES`);
- growth is None when the previous year had no case (no invented percentage);
- "enterprises served" are distinct requester credit codes of the year's cases;
- handling time is days from receipt to closure of the cases *closed* in the year, per type;
- the overdue rate is the share of the year's cases that went past a deadline (flagged by the
  scan, or concluded late);
- the satisfaction average is over ratings *given* in the year, against the 80-point target;
- ratios are Decimals rounded half-up to 4 places (percentages to 2), never floats.
"""

from __future__ import annotations

import statistics as stats
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from enforcement.enums import ADMINISTRATIVE_TYPES, CaseType

GROWTH_TARGET = Decimal("0.20")
ENTERPRISES_TARGET = 100
SATISFACTION_TARGET = Decimal(80)
FOUR = Decimal("0.0001")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class CaseFacts:
    """What statistics need of one case."""

    case_type: CaseType
    received_date: date
    requester_codes: tuple[str, ...] = ()
    closed_date: date | None = None
    within_deadline: bool | None = None
    went_overdue: bool = False


@dataclass(frozen=True)
class RatingFacts:
    """One satisfaction rating."""

    rated_date: date
    score: int


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
    growth_target: Decimal
    growth_met: bool | None
    previous_cases: int
    case_growth: Decimal | None
    enterprises_served: int
    enterprises_target: int
    closed: int
    closed_within_deadline: int
    share_closed_within_deadline: Decimal | None
    overdue_cases: int
    overdue_rate: Decimal | None
    ratings: int
    satisfaction_average: Decimal | None
    satisfaction_target: Decimal
    satisfaction_met: bool | None
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


def figures(year: int, cases: Sequence[CaseFacts], ratings: Iterable[RatingFacts]) -> YearFigures:
    """The figures of `year` (cases of that year and the year before must be given)."""
    received = [c for c in cases if c.received_date.year == year]
    before = [c for c in cases if c.received_date.year == year - 1]
    admin = sum(1 for c in received if c.case_type in ADMINISTRATIVE_TYPES)
    admin_before = sum(1 for c in before if c.case_type in ADMINISTRATIVE_TYPES)
    growth = _growth(admin, admin_before)
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
        administrative_growth=growth,
        growth_target=GROWTH_TARGET,
        growth_met=None if growth is None else growth >= GROWTH_TARGET,
        previous_cases=len(before),
        case_growth=_growth(len(received), len(before)),
        enterprises_served=len({code for c in received for code in c.requester_codes}),
        enterprises_target=ENTERPRISES_TARGET,
        closed=len(closed),
        closed_within_deadline=within,
        share_closed_within_deadline=_ratio(within, len(closed)),
        overdue_cases=overdue,
        overdue_rate=_ratio(overdue, len(received)),
        ratings=len(scores),
        satisfaction_average=average,
        satisfaction_target=SATISFACTION_TARGET,
        satisfaction_met=None if average is None else average >= SATISFACTION_TARGET,
        handling_time=handling,
    )
