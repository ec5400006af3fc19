"""The statistics' HTTP contract (the plan's trusteeship figures) and presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

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
    """Cumulative coverage (distinct enterprises ever enrolled) against the plan's 1000."""

    covered: int
    active: int
    target: int
    progress_percent: str
    agencies: list[AgencyCoverage]


class ValidPatentYear(BaseModel):
    """Enterprises holding at least one valid patent at the end of a year."""

    year: int
    on_date: date
    enterprises: int
    growth_percent: str | None
    target_growth_percent: str
    met: bool | None


class ValidPatentStatistics(BaseModel):
    """Year-on-year growth of enterprises holding a valid patent (+15 % a year) and zeroing-out."""

    years: list[ValidPatentYear]
    first_patents: int
    zero_patent_enterprises: int


class CertificationStatistics(BaseModel):
    """GB/T 29490 certified enterprises against the plan's 300."""

    certified: int
    target: int
    progress_percent: str
    by_year: dict[str, int]


class WorkMonthRow(BaseModel):
    """Work of one type in one month."""

    month: str
    service_type: ServiceType
    count: int
    hours: str


class WorkStatistics(BaseModel):
    """Work per type per month."""

    rows: list[WorkMonthRow]


def coverage_public(covered: int, active: int, agencies: Sequence[tuple[Agency, int, int]]) -> CoverageStatistics:
    """Coverage against the plan's target, and each (agency, held now, ever) against its quota."""
    return CoverageStatistics(
        covered=covered,
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


def valid_patent_year_public(year: int, on_date: date, enterprises: int, growth: Decimal | None) -> ValidPatentYear:
    """One year's count with its growth against the plan's +15 %."""
    return ValidPatentYear(
        year=year,
        on_date=on_date,
        enterprises=enterprises,
        growth_percent=str(growth) if growth is not None else None,
        target_growth_percent=str(targets.TARGETS.valid_patent_growth_percent),
        met=targets.growth_met(growth),
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
