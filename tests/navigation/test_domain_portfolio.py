"""The plan's high-value portfolio definition at its edges."""

from __future__ import annotations

import pytest

from ipops.identifiers import make_patent_number
from navigation.domain.portfolio import Holding, assess


def holdings(inventions: int, pct_inventions: int = 0, utility: int = 0, flagged_pct: int = 0) -> list[Holding]:
    out = [Holding(make_patent_number(2019, "1", i), "invention", i < flagged_pct) for i in range(inventions)]
    out += [Holding(make_patent_number(2019, "8", i), "pct_invention", False) for i in range(pct_inventions)]
    out += [Holding(make_patent_number(2019, "2", i), "utility_model", False) for i in range(utility)]
    return out


@pytest.mark.parametrize(
    ("items", "inventions", "pct", "qualified"),
    [
        (holdings(50, flagged_pct=10), 50, 10, True),
        (holdings(49, flagged_pct=10), 49, 10, False),
        (holdings(50, flagged_pct=9), 50, 9, False),
        (holdings(45, pct_inventions=5, flagged_pct=5), 50, 10, True),  # type-8 counts as both
        (holdings(40, utility=100, flagged_pct=10), 40, 10, False),  # utility models are not inventions
        (holdings(0), 0, 0, False),
    ],
)
def test_assess(items: list[Holding], inventions: int, pct: int, qualified: bool) -> None:
    result = assess(items)
    assert (result.invention_count, result.pct_count, result.qualified) == (inventions, pct, qualified)


def test_a_patent_listed_twice_counts_once() -> None:
    items = holdings(50, flagged_pct=10)
    result = assess(items + items[:5])
    assert result.patent_count == 50 and result.invention_count == 50
    assert assess(holdings(49, flagged_pct=10)).inventions_short == 1
