"""The statistics' HTTP contract (the plan's trusteeship figures) and presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from trusteeship.domain import targets
from trusteeship.enums import ServiceType
from trusteeship.models import Agency


class AgencyCoverage(BaseModel):
    """One agency's enterprises against its quota."""

    agency_id: str
    name: str
    quota: int
    active: int
    covered_ever: int
    quota_used_percent: str


class CoverageStatistics(BaseModel):
    """Coverage against the plan's 1000: `covered` is the indicator trusteeship_smes this year
    (small and micro enterprises in trusteeship, from the indicator ledger, as
    `/statistics/indicators` counts them); `enrolled_ever` counts every enterprise ever enrolled,
    any size, ended or not; `active` the enrolments open now."""

    covered: int
    enrolled_ever: int
    active: int
    target: int
    progress_percent: str
    agencies: list[AgencyCoverage]


class ValidPatentYear(BaseModel):
    """Enterprises holding at least one valid patent on 31 December of a year: the indicator
    enterprises_with_valid_patents from the ledger (the current year as known today)."""

    year: int
    on_date: date
    enterprises: int
    growth_percent: str | None = Field(
        description="year on year, in percent; the plan's judgement (compound average growth from the "
        "base year, complete years only) is in /statistics/indicators"
    )
    year_to_date: bool


class ValidPatentStatistics(BaseModel):
    """Enterprises holding a valid patent per year, year on year, and zeroing-out."""

    years: list[ValidPatentYear]
    first_patents: int
    zero_patent_enterprises: int


class CertificationStatistics(BaseModel):
    """GB/T 29490 certified organisations against the plan's 300: `certified` is the indicator
    certified_organisations this year (certificates neither expired nor withdrawn, from the
    ledger); `by_year` counts certifications by the year they were issued."""

    certified: int
    target: int
    progress_percent: str
    by_year: dict[str, int]


class RecountPublic(BaseModel):
    """What a recount of the indicator ledger did."""

    enterprises: int = Field(description="enterprises looked at")
    changed: int = Field(description="contributions written or withdrawn (each announced); 0 when all agreed")


class WorkMonthRow(BaseModel):
    """Work of one type in one month."""

    month: str
    service_type: ServiceType
    count: int
    hours: str


class WorkStatistics(BaseModel):
    """Work per type per month."""

    rows: list[WorkMonthRow]


def coverage_public(
    covered: int, enrolled_ever: int, active: int, agencies: Sequence[tuple[Agency, int, int]]
) -> CoverageStatistics:
    """Coverage against the plan's target, and each (agency, held now, ever) against its quota."""
    return CoverageStatistics(
        covered=covered,
        enrolled_ever=enrolled_ever,
        active=active,
        target=targets.TARGETS.enterprises_covered,
        progress_percent=str(targets.progress_percent(covered, targets.TARGETS.enterprises_covered)),
        agencies=[
            AgencyCoverage(
                agency_id=a.id,
                name=a.name,
                quota=a.quota,
                active=n,
                covered_ever=m,
                quota_used_percent=str(targets.progress_percent(n, a.quota)),
            )
            for a, n, m in agencies
            # An agency of the registry without a trusteeship contract (quota 0) holds nobody.
            if a.quota > 0 or n or m
        ],
    )


def valid_patent_year_public(year: int, enterprises: int, growth: Decimal | None, current_year: int) -> ValidPatentYear:
    """One year's count with its growth on the year before."""
    return ValidPatentYear(
        year=year,
        on_date=date(year, 12, 31),
        enterprises=enterprises,
        growth_percent=str(growth) if growth is not None else None,
        year_to_date=year >= current_year,
    )


def certification_public(certified: int, by_year: dict[str, int]) -> CertificationStatistics:
    """Certified enterprises against the plan's target, by year of certification."""
    return CertificationStatistics(
        certified=certified,
        target=targets.TARGETS.certifications,
        progress_percent=str(targets.progress_percent(certified, targets.TARGETS.certifications)),
        by_year=by_year,
    )


def work_public(rows: Sequence[tuple[str, str, int, Any]]) -> WorkStatistics:
    """(month, service type, count, hours) rows, hours with two decimals."""
    return WorkStatistics(
        rows=[WorkMonthRow(month=m, service_type=t, count=n, hours=f"{Decimal(h or 0):.2f}") for m, t, n, h in rows]
    )
