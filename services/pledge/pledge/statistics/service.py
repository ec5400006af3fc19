"""The statistics use case: sum the rows per year (and per year and bank), then derive the
ratios and growth in the domain."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_year
from pledge.domain.statistics import YearFigures, YearReport, year_reports
from pledge.statistics import repository


async def report_statistics(session: AsyncSession, principal: Principal) -> list[YearReport]:
    """Figures per district year, oldest first (a pledge counts in the year it was paid out in
    Beijing; a policy in the year it starts) with, per year and bank, the principal disbursed and the principal that
    defaulted. The district's figures sum every bank's loans; the per-bank rows are only those
    `principal` may see (an operator every bank's, a bank its own)."""
    shown = repository.bank_row_filter(principal)
    years: dict[int, YearFigures] = {}
    banks: dict[int, dict[str, tuple[int, int]]] = {}

    def year(y: int) -> YearFigures:
        return years.setdefault(y, YearFigures())

    for at, bank_id, principal_fen, patents, trademarks in await repository.disbursed_loans_with_kinds(session):
        figures = year(district_year(at))
        figures.pledge_fen += principal_fen
        figures.pledge_count += 1
        figures.mixed_count += 1 if patents and trademarks else 0
        if shown(bank_id):
            d, n = banks.setdefault(district_year(at), {}).get(bank_id, (0, 0))
            banks[district_year(at)][bank_id] = (d + principal_fen, n)
    for at, bank_id, principal_fen in await repository.defaulted_loans(session):
        if shown(bank_id):
            d, n = banks.setdefault(district_year(at), {}).get(bank_id, (0, 0))
            banks[district_year(at)][bank_id] = (d, n + principal_fen)
        year(district_year(at))
    for start, sum_insured in await repository.policy_amounts(session):
        figures = year(start.year)
        figures.insured_fen += sum_insured
        figures.policy_count += 1
    claims, recoveries = await repository.paid_claims_and_recoveries(session)
    for at, pool_fen in claims:
        year(district_year(at)).claims_fen += pool_fen
    for at, amount in recoveries:
        year(district_year(at)).recoveries_fen += amount
    return year_reports(years, banks)
