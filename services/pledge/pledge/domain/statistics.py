"""The plan's yearly figures, derived: each bank's NPL ratio and the growth on the year before.

Guarantees: every figure is a decimal string (never a float); a ratio without a base (nothing
disbursed) and a growth without a previous year (or a previous zero) are None, not 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class YearFigures:
    """One year's raw figures (fen and counts)."""

    pledge_fen: int = 0
    pledge_count: int = 0
    mixed_count: int = 0
    insured_fen: int = 0
    policy_count: int = 0
    claims_fen: int = 0
    recoveries_fen: int = 0


@dataclass(frozen=True)
class BankFigures:
    """One bank's principal disbursed and non-performing in a year, and their ratio (percent)."""

    bank_id: str
    disbursed_fen: int
    non_performing_fen: int
    npl_ratio: str | None


@dataclass(frozen=True)
class YearReport:
    """A year's figures with growth on the year before (percent) and each bank's NPL figures."""

    year: int
    figures: YearFigures
    growth: dict[str, str | None] = field(default_factory=dict)
    banks: list[BankFigures] = field(default_factory=list)


def npl_ratio(disbursed_fen: int, non_performing_fen: int) -> str | None:
    """Non-performing principal as a percent of the principal disbursed (two decimals)."""
    if not disbursed_fen:
        return None
    return str((Decimal(non_performing_fen) * 100 / disbursed_fen).quantize(Decimal("0.01")))


def growth(current: int, previous: int | None) -> str | None:
    """Growth on the previous year in percent (one decimal), None without a base."""
    if not previous:
        return None
    return str((Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1")))


def year_reports(
    years: Mapping[int, YearFigures], banks: Mapping[int, Mapping[str, tuple[int, int]]]
) -> list[YearReport]:
    """The years oldest first; `banks` holds (disbursed, non-performing) per year and bank."""
    reports = []
    for year in sorted(years):
        figures, previous = years[year], years.get(year - 1)
        reports.append(
            YearReport(
                year=year,
                figures=figures,
                growth={
                    "pledge_amount": growth(figures.pledge_fen, previous.pledge_fen if previous else None),
                    "pledge_count": growth(figures.pledge_count, previous.pledge_count if previous else None),
                    "insured_amount": growth(figures.insured_fen, previous.insured_fen if previous else None),
                },
                banks=[
                    BankFigures(bank_id, disbursed, non_performing, npl_ratio(disbursed, non_performing))
                    for bank_id, (disbursed, non_performing) in sorted(banks.get(year, {}).items())
                ],
            )
        )
    return reports
