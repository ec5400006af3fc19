"""The yearly figures' derived values, pure: NPL ratio and growth as decimal strings, None
without a base; years oldest first with each bank's figures."""

from __future__ import annotations

import pytest

from pledge.domain.statistics import BankFigures, YearFigures, growth, npl_ratio, year_reports


@pytest.mark.parametrize(
    ("disbursed", "non_performing", "ratio"),
    [(0, 0, None), (0, 500, None), (150_000, 50_000, "33.33"), (300, 300, "100.00"), (3, 2, "66.67")],
)
def test_npl_ratio(disbursed: int, non_performing: int, ratio: str | None) -> None:
    assert npl_ratio(disbursed, non_performing) == ratio


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(150, None, None), (150, 0, None), (150, 100, "50.0"), (50, 100, "-50.0"), (1, 3, "-66.7"), (100, 100, "0.0")],
)
def test_growth(current: int, previous: int | None, expected: str | None) -> None:
    assert growth(current, previous) == expected


def test_year_reports_oldest_first_with_growth_and_banks() -> None:
    years = {
        2026: YearFigures(pledge_fen=150_000, pledge_count=2, insured_fen=0),
        2025: YearFigures(pledge_fen=100_000, pledge_count=1, insured_fen=0),
    }
    banks = {2026: {"bank-b": (50_000, 0), "bank-a": (100_000, 50_000)}}
    before, now = year_reports(years, banks)
    assert (before.year, now.year) == (2025, 2026)
    assert before.growth == {"pledge_amount": None, "pledge_count": None, "insured_amount": None}
    assert before.banks == []
    assert now.growth == {"pledge_amount": "50.0", "pledge_count": "100.0", "insured_amount": None}
    assert now.banks == [BankFigures("bank-a", 100_000, 50_000, "50.00"), BankFigures("bank-b", 50_000, 0, "0.00")]
