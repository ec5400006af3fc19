"""The plan's high-value portfolio definition at its edges: granted, in-force inventions and PCT
applications filed count; a patent counts toward at most one qualifying portfolio."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ipops.identifiers import make_patent_number
from navigation.domain.portfolio import Holding, allocate, assess, seniority


def holdings(
    inventions: int,
    pct_inventions: int = 0,
    utility: int = 0,
    flagged_pct: int = 0,
    status: str | None = "in_force",
    start: int = 0,
) -> list[Holding]:
    out = [
        Holding(make_patent_number(2019, "1", i), "invention", i - start < flagged_pct, status)
        for i in range(start, start + inventions)
    ]
    out += [Holding(make_patent_number(2019, "8", i), "pct_invention", False, status) for i in range(pct_inventions)]
    out += [Holding(make_patent_number(2019, "2", i), "utility_model", False, status) for i in range(utility)]
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
        # only granted, in-force inventions count; a PCT application counts as filed, whatever its status
        (holdings(50, flagged_pct=10, status="pending"), 0, 10, False),
        (holdings(50, flagged_pct=10, status="rejected"), 0, 10, False),
        (holdings(50, flagged_pct=10, status="lapsed"), 0, 10, False),
        (holdings(50, flagged_pct=10, status="withdrawn"), 0, 10, False),
        (holdings(50, flagged_pct=10, status=None), 0, 10, False),  # registered before statuses were kept
        (holdings(50, flagged_pct=10) + holdings(20, status="pending", start=100), 50, 10, True),
    ],
)
def test_assess(items: list[Holding], inventions: int, pct: int, qualified: bool) -> None:
    result = assess(items)
    assert (result.invention_count, result.pct_count, result.qualified) == (inventions, pct, qualified)


def test_what_did_not_count_is_said() -> None:
    result = assess(holdings(50, flagged_pct=10) + holdings(20, status="lapsed", start=100))
    assert (result.inventions_listed, result.inventions_not_in_force, result.invention_count) == (70, 20, 50)


def test_a_patent_listed_twice_counts_once() -> None:
    items = holdings(50, flagged_pct=10)
    result = assess(items + items[:5])
    assert result.patent_count == 50 and result.invention_count == 50
    assert assess(holdings(49, flagged_pct=10)).inventions_short == 1


class TestOnePatentOnePortfolio:
    def test_the_same_fifty_registered_twice_count_once(self) -> None:
        same = holdings(50, flagged_pct=10)
        result = allocate([("a", same), ("b", same)])
        assert result["a"].qualified and not result["b"].qualified
        b = result["b"]
        assert (b.invention_count, b.pct_count) == (0, 0)
        assert (b.inventions_counted_elsewhere, b.pct_counted_elsewhere, b.counted_elsewhere_in) == (50, 10, ("a",))

    def test_disjoint_portfolios_both_count(self) -> None:
        result = allocate([("a", holdings(50, flagged_pct=10)), ("b", holdings(50, flagged_pct=10, start=100))])
        assert result["a"].qualified and result["b"].qualified

    def test_a_partial_overlap_counts_only_what_is_left(self) -> None:
        a = holdings(50, flagged_pct=10)
        b = holdings(50, flagged_pct=10, start=40)  # 10 inventions shared with a, none of b's PCT flags
        result = allocate([("a", a), ("b", b)])
        assert result["b"].invention_count == 40 and result["b"].inventions_short == 10
        assert not result["b"].qualified

    def test_a_portfolio_that_does_not_qualify_claims_nothing(self) -> None:
        short = holdings(49, flagged_pct=10)
        full = holdings(50, flagged_pct=10)  # shares 49 with the first
        result = allocate([("short", short), ("full", full)])
        assert not result["short"].qualified and result["full"].qualified

    def test_seniority_is_the_first_qualification_then_registration(self) -> None:
        t1, t2, t3 = (datetime(2026, 1, d, tzinfo=UTC) for d in (1, 2, 3))
        order = sorted(
            [("never", None, t1), ("late", t3, t1), ("early", t2, t3)],
            key=lambda p: seniority(p[1], p[2], p[0]),
        )
        assert [p[0] for p in order] == ["early", "late", "never"]
