"""Money: fen conversion refuses what it cannot hold exactly; allocate always sums to the whole."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.money import allocate, apply_ratio, format_yuan, from_fen, to_fen


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [("0", 0), ("0.01", 1), ("1234.50", 123450), (Decimal("99999999.99"), 9999999999), (7, 700)],
)
def test_to_fen_exact(yuan: object, fen: int) -> None:
    assert to_fen(yuan) == fen  # type: ignore[arg-type]
    assert to_fen(from_fen(fen)) == fen


@pytest.mark.parametrize("bad", ["1.001", "abc", "NaN", "Infinity", ""])
def test_to_fen_refuses_inexact_or_invalid(bad: str) -> None:
    with pytest.raises(ValueError, match=r"amount|decimal"):
        to_fen(bad)


def test_format_yuan_is_a_two_decimal_string() -> None:
    assert format_yuan(5) == "0.05"
    assert format_yuan(123450) == "1234.50"


def test_apply_ratio_rounds_half_up() -> None:
    assert apply_ratio(5, Decimal("0.5")) == 3
    assert apply_ratio(100_00, Decimal("0.54")) == 54_00


def test_allocate_published_split_54_26_16_4() -> None:
    parts = allocate(1_000_000_01, {"pool": 54, "bank": 26, "guarantor": 16, "insurer": 4}, remainder_to="bank")
    assert sum(parts.values()) == 1_000_000_01
    assert parts == {"pool": 540_000_00, "bank": 260_000_01, "guarantor": 160_000_00, "insurer": 40_000_00}


def test_allocate_remainder_to_named_party_must_be_a_party() -> None:
    with pytest.raises(ValueError, match="remainder party"):
        allocate(101, {"a": 1, "b": 2}, remainder_to="c")


def test_allocate_largest_remainder_without_named_party() -> None:
    assert allocate(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**13),
    weights=st.dictionaries(
        st.sampled_from(["pool", "bank", "guarantor", "insurer", "valuer"]),
        st.integers(min_value=0, max_value=100),
        min_size=1,
    ).filter(lambda w: sum(w.values()) > 0),
)
def test_allocate_parts_sum_exactly_and_stay_within_one_fen(total: int, weights: dict[str, int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for key, weight in weights.items():
        exact = Decimal(total) * weight / weight_sum
        assert abs(parts[key] - exact) < 1
