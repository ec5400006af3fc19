"""The plan's trusteeship targets (Dongli plan, task 6) and how progress against them is stated.

Guarantees: targets are data; growth is an exact `Decimal` percentage (never a float), and is
`None` when there is no base year to grow from rather than an invented number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PlanTargets:
    """The numbers the plan sets for trusteeship."""

    enterprises_covered: int = 1000  # 累计覆盖 1000 家以上
    valid_patent_growth_percent: Decimal = Decimal("15")  # enterprises holding a valid patent, +15 %/year
    certifications: int = 300  # GB/T 29490 (贯标)


TARGETS = PlanTargets()


def growth_percent(previous: int, current: int) -> Decimal | None:
    """Year-on-year growth in percent, two decimals (half up); None without a base."""
    if previous <= 0:
        return None
    return (Decimal(current - previous) * 100 / Decimal(previous)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def progress_percent(achieved: int, target: int) -> Decimal:
    """Share of a target reached, in percent with two decimals."""
    return (Decimal(achieved) * 100 / Decimal(target)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def growth_met(growth: Decimal | None, target: Decimal = TARGETS.valid_patent_growth_percent) -> bool | None:
    """Whether a growth reaches the target; None when it cannot be told."""
    return None if growth is None else growth >= target
