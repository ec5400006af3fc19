"""The statistics' HTTP contract and its presenter."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from ipops.money import format_yuan
from pledge.domain.statistics import YearReport


class BankYear(BaseModel):
    """One bank's non-performing figures for a year."""

    bank_id: str
    disbursed: str
    non_performing: str
    npl_ratio: str | None = Field(description="percent; null when nothing was disbursed")


class YearStatistics(BaseModel):
    """The plan's pledge figures for one year, with growth on the previous year (percent)."""

    year: int
    pledge_amount: str
    pledge_count: int
    mixed_pledge_count: int
    insured_amount: str
    policy_count: int
    claims_paid: str
    recoveries: str
    growth: dict[str, str | None]
    banks: list[BankYear]


class StatisticsPublic(BaseModel):
    """Figures per year, oldest first."""

    years: list[YearStatistics]


def statistics_public(reports: Sequence[YearReport]) -> StatisticsPublic:
    """The yearly reports, amounts in yuan."""
    return StatisticsPublic(
        years=[
            YearStatistics(
                year=r.year,
                pledge_amount=format_yuan(r.figures.pledge_fen),
                pledge_count=r.figures.pledge_count,
                mixed_pledge_count=r.figures.mixed_count,
                insured_amount=format_yuan(r.figures.insured_fen),
                policy_count=r.figures.policy_count,
                claims_paid=format_yuan(r.figures.claims_fen),
                recoveries=format_yuan(r.figures.recoveries_fen),
                growth=r.growth,
                banks=[
                    BankYear(
                        bank_id=b.bank_id,
                        disbursed=format_yuan(b.disbursed_fen),
                        non_performing=format_yuan(b.non_performing_fen),
                        npl_ratio=b.npl_ratio,
                    )
                    for b in r.banks
                ],
            )
            for r in reports
        ]
    )
