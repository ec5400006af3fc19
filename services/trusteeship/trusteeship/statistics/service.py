"""Statistics use cases: the plan's trusteeship figures, computed from the rows with the plan's
targets (`domain.targets`). Read only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.errors import RuleViolation
from ipops.indicators import ledger
from ipops.indicators.catalogue import indicator as catalogue_entry
from ipops.indicators.figures import contribution_groups, yearly_values
from ipops.indicators.statistics import IndicatorStatistics, owner_statistics
from trusteeship.domain import indicators, targets
from trusteeship.enterprises import repository as enterprises
from trusteeship.models import Enterprise
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


@dataclass(frozen=True)
class RecountResult:
    """What a recount looked at and changed."""

    enterprises: int
    changed: int


async def recount_enterprise(
    session: AsyncSession, credit_code: str, reason: str, *, locked: Enterprise | None = None
) -> int:
    """Write what one enterprise contributes to the three indicators now, by the counting rules
    (`domain.indicators`), and withdraw what it no longer does; returns how many contributions
    changed (each announced through the outbox). Called in the transaction of every change to
    the enterprise's enrolments, size class, certificate or patents. `locked`: the enterprise, when
    the caller holds its row lock already (or has just inserted it)."""
    enterprise = locked if locked is not None else await repository.lock_enterprise(session, credit_code)
    if enterprise is None:
        return 0
    rows = indicators.enterprise_contributions(
        credit_code,
        enterprise.size,
        await repository.enrolment_spans(session, credit_code),
        (enterprise.gbt29490_certified_date, enterprise.gbt29490_expiry_date, enterprise.gbt29490_withdrawn_date),
        await repository.patent_spans(session, credit_code),
    )
    # the enterprise's whole ledger in one statement, for the contributions and the withdrawals
    ledger_rows = await repository.ledger_rows(session, indicators.INDICATORS, indicators.subject_of(credit_code))
    current = {(r.indicator, r.subject): r for r in ledger_rows}
    changed = 0
    for row in rows:
        changed += await ledger.contribute(
            session,
            owner=indicators.OWNER,
            indicator=row.indicator,
            subject=row.subject,
            quantity=row.quantity,
            start_on=row.start_on,
            end_on=row.end_on,
            reason=reason,
            locked=current,
        )
    produced = {(r.indicator, r.subject) for r in rows}
    counted = sorted(key for key, r in current.items() if r.quantity > 0)  # sorted: events in a stable order
    for name, subject in counted:
        if (name, subject) not in produced:
            changed += await ledger.withdraw(
                session, owner=indicators.OWNER, indicator=name, subject=subject, reason=reason, locked=current
            )
    return changed


async def recount_indicators(session: AsyncSession) -> RecountResult:
    """Recompute every enterprise's contributions (the backfill after the upgrade that introduced
    the ledger, and a repair); a second run changes nothing."""
    codes = await repository.enterprise_codes(session)
    changed = 0
    for code in codes:
        changed += await recount_enterprise(session, code, "recount")
    return RecountResult(enterprises=len(codes), changed=changed)


async def indicator_statistics(session: AsyncSession, today: date) -> IndicatorStatistics:
    """The plan's indicators trusteeship is the source of, from its own ledger."""
    return await owner_statistics(session, indicators.OWNER, today.year)


async def _current_value(session: AsyncSession, indicator_id: str, year: int) -> int:
    """An indicator's value for `year` from the ledger, as `/statistics/indicators` shows it."""
    groups = await contribution_groups(session, [indicator_id])
    value = yearly_values(catalogue_entry(indicator_id), groups.get(indicator_id, []), [year])[year]
    return int(value or 0)


async def coverage_statistics(session: AsyncSession, principal: Principal, today: date) -> CoverageStatistics:
    """Small and micro enterprises in trusteeship this year (the indicator) against 1000, every
    enterprise ever enrolled, and each agency's enterprises against its quota."""
    enrolled_ever, active = await repository.coverage(session)
    rows = await repository.coverage_by_agency(session, principal)
    covered = await _current_value(session, indicators.SMES, today.year)
    return coverage_public(covered, enrolled_ever, active, rows)


async def valid_patent_statistics(
    session: AsyncSession, principal: Principal, today: date, from_year: int | None, to_year: int | None
) -> ValidPatentStatistics:
    """Enterprises holding a valid patent on each 31 December (the indicator, from the ledger),
    year on year; first patents and today's zero-patent enterprises."""
    last = min(to_year or today.year, today.year)
    first = from_year or await repository.first_grant_year(session) or last
    first = min(first, last)
    if last - first > 50:
        raise RuleViolation("ask for at most 50 years", field="query.from_year")
    groups = await contribution_groups(session, [indicators.VALID_PATENTS])
    values = yearly_values(
        catalogue_entry(indicators.VALID_PATENTS), groups.get(indicators.VALID_PATENTS, []), range(first - 1, last + 1)
    )
    counts = {year: int(value or 0) for year, value in values.items()}
    years = [
        valid_patent_year_public(year, counts[year], targets.growth_percent(counts[year - 1], counts[year]), today.year)
        for year in range(first, last + 1)
    ]
    return ValidPatentStatistics(
        years=years,
        first_patents=await repository.count_first_patents(session, principal),
        zero_patent_enterprises=await enterprises.count_zero_patent(session, principal, today),
    )


async def certification_statistics(session: AsyncSession, today: date) -> CertificationStatistics:
    """GB/T 29490 certified organisations this year (the indicator) against 300, and the
    certifications of enterprises the platform knows by year of issue."""
    dates = await repository.certifications(session)
    by_year = Counter(str(d.year) for d in dates)
    certified = await _current_value(session, indicators.CERTIFIED, today.year)
    return certification_public(certified, dict(sorted(by_year.items())))


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
