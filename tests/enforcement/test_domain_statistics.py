"""Enforcement's yearly figures from plain facts and the ledger's indicator values: growth year on
year, deadlines, handling time, the served parties' average rating."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from enforcement.domain.statistics import CaseFacts, LedgerFigures, RatingFacts, figures
from enforcement.enums import CaseType

ADJ = CaseType.PATENT_INFRINGEMENT_ADJUDICATION
TM = CaseType.TRADEMARK_ENFORCEMENT
ASSIST = CaseType.ASSISTANCE


def case(
    case_type: CaseType,
    received: str,
    *,
    closed: str | None = None,
    within: bool | None = None,
    overdue: bool = False,
) -> CaseFacts:
    return CaseFacts(
        case_type=case_type,
        received_date=date.fromisoformat(received),
        closed_date=date.fromisoformat(closed) if closed else None,
        within_deadline=within,
        went_overdue=overdue,
    )


@pytest.mark.parametrize(
    ("before", "now", "growth"),
    [
        (5, 6, Decimal("0.2000")),
        (6, 7, Decimal("0.1667")),
        (3, 2, Decimal("-0.3333")),
        (0, 4, None),  # no previous year: no invented percentage
    ],
)
def test_indicator_figures_come_from_the_ledger_growth_year_on_year(
    before: int, now: int, growth: Decimal | None
) -> None:
    # the cases say otherwise: only the ledger's values are the plan's indicators
    cases = [case(ADJ, "2026-06-01"), case(ASSIST, "2026-06-01"), case(TM, "2025-06-01")]
    ledger = LedgerFigures(now, before, enterprises_protected=7, satisfaction=Decimal("84.5"))
    result = figures(2026, cases, [], ledger)
    assert (result.administrative_cases, result.previous_administrative_cases) == (now, before)
    assert result.administrative_growth == growth
    assert (result.enterprises_protected, result.satisfaction) == (7, Decimal("84.5"))
    assert (result.cases, result.previous_cases, result.case_growth) == (2, 1, Decimal("1.0000"))


def test_without_ledger_values_the_indicators_are_zero_and_no_survey() -> None:
    result = figures(2026, [case(ADJ, "2026-06-01")], [])
    assert (result.administrative_cases, result.enterprises_protected, result.satisfaction) == (0, 0, None)


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
    ("scores", "average"),
    [([80], Decimal("80.0")), ([79, 80], Decimal("79.5")), ([100, 0, 59], Decimal("53.0")), ([], None)],
)
def test_served_parties_average_rating_of_the_year(scores: list[int], average: Decimal | None) -> None:
    ratings = [RatingFacts(date(2026, 3, 1), s) for s in scores] + [RatingFacts(date(2025, 12, 31), 0)]
    result = figures(2026, [], ratings)
    assert (result.served_parties_average_rating, result.served_party_ratings) == (average, len(scores))
    assert result.satisfaction is None  # ratings are not the plan's satisfaction (the survey is)
