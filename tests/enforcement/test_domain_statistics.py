"""The plan's enforcement figures from plain facts: growth, enterprises, deadlines, satisfaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from enforcement.domain.statistics import CaseFacts, RatingFacts, figures
from enforcement.enums import CaseType

ADJ = CaseType.PATENT_INFRINGEMENT_ADJUDICATION
TM = CaseType.TRADEMARK_ENFORCEMENT
ASSIST = CaseType.ASSISTANCE


def case(
    case_type: CaseType,
    received: str,
    *codes: str,
    closed: str | None = None,
    within: bool | None = None,
    overdue: bool = False,
) -> CaseFacts:
    return CaseFacts(
        case_type=case_type,
        received_date=date.fromisoformat(received),
        requester_codes=codes,
        closed_date=date.fromisoformat(closed) if closed else None,
        within_deadline=within,
        went_overdue=overdue,
    )


@pytest.mark.parametrize(
    ("before", "now", "growth", "met"),
    [
        (5, 6, Decimal("0.2000"), True),  # exactly +20 % meets the target
        (6, 7, Decimal("0.1667"), False),
        (3, 2, Decimal("-0.3333"), False),
        (0, 4, None, None),  # no base year: no invented percentage
    ],
)
def test_administrative_growth(before: int, now: int, growth: Decimal | None, met: bool | None) -> None:
    cases = [case(ADJ, "2025-06-01") for _ in range(before)] + [case(TM, "2026-06-01") for _ in range(now)]
    cases += [case(ASSIST, "2026-06-01")]  # assistance is not an administrative case
    result = figures(2026, cases, [])
    assert (result.administrative_growth, result.growth_met) == (growth, met)
    assert result.cases == now + 1 and result.administrative_cases == now


def test_enterprises_served_are_distinct_requesters_of_the_year() -> None:
    cases = [
        case(ADJ, "2026-01-02", "A", "B"),
        case(ASSIST, "2026-12-31", "A"),
        case(TM, "2025-12-31", "C"),  # last year
        case(ASSIST, "2026-05-05"),  # a person, no credit code
    ]
    assert figures(2026, cases, []).enterprises_served == 2


def test_deadline_share_overdue_rate_and_handling_time() -> None:
    cases = [
        case(ADJ, "2025-11-03", closed="2026-01-30", within=True),  # received last year, closed this year
        case(ADJ, "2026-01-05", closed="2026-03-25", within=True),
        case(ADJ, "2026-02-02", closed="2026-07-01", within=False),
        case(TM, "2026-03-02", overdue=True),  # still open, flagged by the scan
        case(TM, "2026-04-01"),
    ]
    result = figures(2026, cases, [])
    assert (result.closed, result.closed_within_deadline, result.share_closed_within_deadline) == (
        3,
        2,
        Decimal("0.6667"),
    )
    assert (result.overdue_cases, result.overdue_rate) == (2, Decimal("0.5000"))
    adjudication = next(h for h in result.handling_time if h.case_type is ADJ)
    # 88, 79 and 149 days
    assert (adjudication.closed, adjudication.mean_days, adjudication.median_days) == (
        3,
        Decimal("105.3"),
        Decimal("88.0"),
    )
    trademark = next(h for h in result.handling_time if h.case_type is TM)
    assert (trademark.closed, trademark.mean_days) == (0, None)


@pytest.mark.parametrize(
    ("scores", "average", "met"),
    [
        ([80], Decimal("80.0"), True),
        ([79, 80], Decimal("79.5"), False),
        ([100, 0, 59], Decimal("53.0"), False),
        ([], None, None),
    ],
)
def test_satisfaction_against_80(scores: list[int], average: Decimal | None, met: bool | None) -> None:
    ratings = [RatingFacts(date(2026, 3, 1), s) for s in scores] + [RatingFacts(date(2025, 12, 31), 0)]
    result = figures(2026, [], ratings)
    assert (result.satisfaction_average, result.satisfaction_met, result.ratings) == (average, met, len(scores))
