"""The arithmetic of a patent landscape's figures, once the counts are known (the counting itself is
DuckDB SQL over the data set: `navigation.datasets.landscape`, whose docstring defines each figure).

Guarantees: ratios are rounded to four places and are None (never a division by zero) when their
base is empty; a year series has one point per year from the first to the last, zero-filled, with
growth None after a year of no filings; CR4 and HHI are computed from shares that sum to 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from navigation.domain.patent_data import GROWTH_WINDOW_YEARS


def r4(value: float | None) -> float | None:
    """`value` rounded to four places (None stays None)."""
    return None if value is None else round(value, 4)


def share(part: float, whole: float) -> float | None:
    """`part / whole` to four places, None when `whole` is zero."""
    return r4(part / whole) if whole else None


def year_series(counts: Mapping[int, int]) -> dict[str, Any]:
    """Filings per year from the first year to the last (gaps as 0), each year's growth over the
    year before, and the compound annual growth rate between the first and the last year."""
    if not counts:
        return {"first": None, "last": None, "series": [], "cagr": None}
    first, last = min(counts), max(counts)
    series = []
    previous: int | None = None
    for year in range(first, last + 1):
        n = int(counts.get(year, 0))
        growth = None if not previous else r4((n - previous) / previous)
        series.append({"year": year, "filings": n, "growth": growth})
        previous = n
    start, end = counts[first], counts[last]
    cagr = r4((end / start) ** (1 / (last - first)) - 1) if last > first and start > 0 else None
    return {"first": first, "last": last, "series": series, "cagr": cagr}


def concentration(shares: Sequence[float]) -> tuple[float | None, float | None]:
    """(CR4, HHI) of market shares ranked largest first: the sum of the top four shares, and the
    sum of squared percentage shares on the 0..10000 scale; (None, None) without any share."""
    if not shares:
        return None, None
    return r4(sum(shares[:4])), round(sum((s * 100) ** 2 for s in shares), 1)


def growth_windows(last_year: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(earlier, recent) year windows of the "fastest-growing" ranking: the last
    GROWTH_WINDOW_YEARS application years against the same number of years before them."""
    w = GROWTH_WINDOW_YEARS
    return (last_year - 2 * w + 1, last_year - w), (last_year - w + 1, last_year)
