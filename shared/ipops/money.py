"""Money as integer fen; yuan only at the edges, as `Decimal` with two places.

`allocate` splits an amount by weights with the largest-remainder method, so the parts always sum
exactly to the whole: the guarantee the risk-compensation split and recovery pro-rata rely on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")

CENT = Decimal("0.01")


def to_fen(yuan: Decimal | str | int) -> int:
    """Yuan (at most two decimals) to integer fen; more precision is an error, never rounded."""
    try:
        amount = Decimal(yuan)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {yuan!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {yuan!r}")
    if amount != amount.quantize(CENT):
        raise ValueError(f"more than two decimal places: {yuan!r}")
    return int(amount * 100)


def from_fen(fen: int) -> Decimal:
    """Integer fen to yuan with exactly two decimal places."""
    return (Decimal(fen) / 100).quantize(CENT)


def format_yuan(fen: int) -> str:
    """The JSON representation of an amount: a string with two decimals, never a float."""
    return str(from_fen(fen))


def apply_ratio(fen: int, ratio: Decimal | Fraction) -> int:
    """`fen * ratio` rounded half up to the fen."""
    exact = Fraction(fen) * Fraction(ratio)
    return int(Decimal(exact.numerator / Decimal(exact.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(
    total_fen: int,
    weights: Mapping[K, Decimal | Fraction | int],
    *,
    remainder_to: K | None = None,
) -> dict[K, int]:
    """Split `total_fen` by `weights` so the parts sum exactly to `total_fen`.

    Each part is first floored; the fen left over go one by one to the largest fractional
    remainders (ties in key order), or all to `remainder_to` when a party is named for it, as
    pool agreements do ("the rounding difference is borne by the bank").
    """
    if total_fen < 0:
        raise ValueError("cannot allocate a negative amount")
    keys: Sequence[K] = list(weights)
    exact = {k: Fraction(weights[k]) for k in keys}
    if any(w < 0 for w in exact.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact.values(), Fraction(0))
    if weight_sum == 0:
        raise ValueError("weights sum to zero")
    shares = {k: total_fen * exact[k] / weight_sum for k in keys}
    parts = {k: int(shares[k]) for k in keys}  # floor: shares are non-negative
    left = total_fen - sum(parts.values())
    if left:
        if remainder_to is not None:
            if remainder_to not in parts:
                raise ValueError(f"remainder party {remainder_to!r} is not among the weights")
            parts[remainder_to] += left
        else:
            order = sorted(keys, key=lambda k: shares[k] - parts[k], reverse=True)
            for k in order[:left]:
                parts[k] += 1
    return parts
