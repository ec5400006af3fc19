"""The statistics' HTTP contract and its presenter."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from ipops.money import format_yuan
from pledge.domain.statistics import YearReport
from pledge.statistics.service import Recount


class BankYear(BaseModel):
    """One bank's non-performing figures for a year."""

    bank_id: str
    disbursed: str
    non_performing: str
    npl_ratio: str | None = Field(description="percent; null when nothing was disbursed")


class YearStatistics(BaseModel):
    """The plan's pledge figures for one year, with growth on the previous year (percent)."""

    year: int
    pledge_amount: str = Field(description="principal of the loans paid out in the year (indicator pledge_amount)")
    pledge_count: int = Field(description="loans paid out in the year (indicator pledge_count)")
    mixed_pledge_count: int = Field(
        description="mixed patent-trademark pledges paid out in the year (mixed_pledges is their running total)"
    )
    insured_amount: str = Field(description="sum insured of the policies taking effect in the year (insurance_amount)")
    policy_count: int = Field(description="policies taking effect in the year, cancelled ones not")
    claims_paid: str
    recoveries: str
    growth: dict[str, str | None]
    banks: list[BankYear]


class RecountPublic(BaseModel):
    """What a recount of the indicator ledger did."""

    loans: int = Field(description="loans looked at")
    policies: int = Field(description="insurance policies looked at")
    changed: int = Field(description="contributions written or withdrawn (each announced); 0 when all agreed")


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


def recount_public(recount: Recount) -> RecountPublic:
    """A recount's outcome."""
    return RecountPublic(loans=recount.loans, policies=recount.policies, changed=recount.changed)
