"""The arithmetic of landscape figures, pure and table-driven."""

from __future__ import annotations

import pytest

from navigation.domain import landscape as figures


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, 0.3333), (2, 2, 1.0), (0, 5, 0.0), (3, 0, None)],
)
def test_share(part: int, whole: int, expected: float | None) -> None:
    assert figures.share(part, whole) == expected


def test_a_year_series_fills_gaps_and_has_no_growth_after_an_empty_year() -> None:
    result = figures.year_series({2018: 10, 2020: 5, 2021: 20})
    assert result["first"] == 2018 and result["last"] == 2021
    assert result["series"] == [
        {"year": 2018, "filings": 10, "growth": None},
        {"year": 2019, "filings": 0, "growth": -1.0},
        {"year": 2020, "filings": 5, "growth": None},
        {"year": 2021, "filings": 20, "growth": 3.0},
    ]
    assert result["cagr"] == round((20 / 10) ** (1 / 3) - 1, 4)


@pytest.mark.parametrize(
    ("counts", "cagr"),
    [({}, None), ({2020: 7}, None), ({2019: 0, 2020: 4}, None)],
)
def test_cagr_needs_two_years_and_a_start(counts: dict[int, int], cagr: float | None) -> None:
    assert figures.year_series(counts)["cagr"] == cagr


@pytest.mark.parametrize(
    ("shares", "cr4", "hhi"),
    [
        ([], None, None),
        ([1.0], 1.0, 10000.0),
        ([0.25, 0.25, 0.25, 0.25], 1.0, 2500.0),
        ([0.5, 0.2, 0.1, 0.1, 0.1], 0.9, 3200.0),
    ],
)
def test_concentration(shares: list[float], cr4: float | None, hhi: float | None) -> None:
    assert figures.concentration(shares) == (cr4, hhi)


def test_growth_windows_are_the_last_three_years_against_the_three_before() -> None:
    assert figures.growth_windows(2022) == ((2017, 2019), (2020, 2022))
