"""Judging an indicator against the plan's target, as the plan means it.

- growth ("年均增幅 N %"): the compound average annual growth from the base year (2018, the year
  before the plan) to the judged year: (V_judged / V_base) ** (1 / years) - 1. A base of 0 cannot
  be grown from: "no base", not judged.
- per_year ("每年 N"): the judged year's value against the level.
- cumulative ("累计 N"): the value at the end of the judged year (a stock) against the level.

Only complete years are judged. The current year is "year to date": shown, never judged. The
judged year of the dashboard is the latest complete year, but not after the plan's final year
(2022): after the plan the page shows its outcome, and the series go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from ipops.indicators.catalogue import Indicator

Status = Literal["met", "not_met", "year_to_date", "no_base", "no_data"]

BASE_YEAR = 2018
PLAN_FINAL_YEAR = 2022


@dataclass(frozen=True)
class Judgement:
    """The outcome of one indicator for one judged year."""

    status: Status
    judged_year: int
    value: Decimal | None  # the judged year's value (growth: that year's value, the rate is below)
    growth_pct: Decimal | None = None  # the compound average annual growth, one decimal


def judged_year(current_year: int, plan_final_year: int = PLAN_FINAL_YEAR) -> int:
    """The year the dashboard judges: the latest complete one, at most the plan's final year."""
    return min(current_year - 1, plan_final_year)


def average_growth_pct(base: Decimal, final: Decimal, years: int) -> Decimal | None:
    """Compound average annual growth in %, one decimal; None when it cannot be computed."""
    if years <= 0 or base <= 0:
        return None
    if final <= 0:
        return Decimal("-100.0")
    with localcontext() as ctx:
        ctx.prec = 28
        rate = (final / base) ** (Decimal(1) / years) - 1
    return (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def judge(
    entry: Indicator,
    values: dict[int, Decimal | None],
    year: int,
    current_year: int,
    *,
    has_source: bool = True,
    base_year: int = BASE_YEAR,
) -> Judgement:
    """Judge `entry` for `year` from its yearly `values`."""
    value = values.get(year)
    if not has_source:
        return Judgement("no_data", year, None)
    if year >= current_year:
        return Judgement("year_to_date", year, value)
    if entry.target == "growth":
        base = values.get(base_year)
        rate = None if base is None or value is None else average_growth_pct(base, value, year - base_year)
        if rate is None or entry.growth_pct is None:
            return Judgement("no_base", year, value)
        return Judgement("met" if rate >= entry.growth_pct else "not_met", year, value, rate)
    if value is None or entry.target_value is None:
        return Judgement("no_data", year, value)
    return Judgement("met" if value >= entry.target_value else "not_met", year, value)
