"""Statistics use cases: the plan's trusteeship figures, computed from the rows with the plan's
targets (`domain.targets`). Read only."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.errors import RuleViolation
from trusteeship.domain import targets
from trusteeship.enterprises import repository as enterprises
from trusteeship.statistics import repository
from trusteeship.statistics.schemas import (
    CertificationStatistics,
    CoverageStatistics,
    ValidPatentStatistics,
    WorkStatistics,
    certification_public,
    coverage_public,
    valid_patent_year_public,
    work_public,
)


async def coverage_statistics(session: AsyncSession, principal: Principal) -> CoverageStatistics:
    """Cumulative coverage against 1000, and each agency's enterprises against its quota."""
    covered, active = await repository.coverage(session)
    rows = await repository.coverage_by_agency(session, principal)
    return coverage_public(covered, active, rows)


async def valid_patent_statistics(
    session: AsyncSession, principal: Principal, today: date, from_year: int | None, to_year: int | None
) -> ValidPatentStatistics:
    """Enterprises (ever enrolled) holding a valid patent at each year's end, growth vs +15 %."""
    last = min(to_year or today.year, today.year)
    first = from_year or await repository.first_grant_year(session) or last
    first = min(first, last)
    if last - first > 50:
        raise RuleViolation("ask for at most 50 years", field="query.from_year")
    counts: dict[int, int] = {}
    for year in range(first - 1, last + 1):
        on = min(date(year, 12, 31), today)
        counts[year] = await repository.enterprises_with_valid_patent(session, on)
    years = [
        valid_patent_year_public(
            year, min(date(year, 12, 31), today), counts[year], targets.growth_percent(counts[year - 1], counts[year])
        )
        for year in range(first, last + 1)
    ]
    return ValidPatentStatistics(
        years=years,
        first_patents=await repository.count_first_patents(session, principal),
        zero_patent_enterprises=await enterprises.count_zero_patent(session, principal, today),
    )


async def certification_statistics(session: AsyncSession) -> CertificationStatistics:
    """GB/T 29490 certified enterprises (ever enrolled) against 300, and by year of certification."""
    dates = await repository.certifications(session)
    by_year = Counter(str(d.year) for d in dates)
    return certification_public(len(dates), dict(sorted(by_year.items())))


async def work_statistics(
    session: AsyncSession, principal: Principal, from_date: date | None, to_date: date | None, today: date
) -> WorkStatistics:
    """Work per type per month in a window (default: the last twelve months; an agency: its own)."""
    end = to_date or today
    start = from_date or end - timedelta(days=365)
    if end < start:
        raise RuleViolation("to_date is before from_date", field="query.to_date")
    rows = await repository.work_by_month(session, principal, from_date=start, to_date=end)
    return work_public(rows)
