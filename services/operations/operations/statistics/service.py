"""Statistics use cases: the operations indicators from the ledger, and a year's register figures."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import district_today
from ipops.indicators.statistics import IndicatorStatistics, owner_statistics
from ipops.money import format_yuan
from operations.common import SERVICE
from operations.domain.indicators import AGENCY_REVENUE_LINE_FEN
from operations.statistics import repository
from operations.statistics.schemas import YearFigures


async def indicator_statistics(session: AsyncSession) -> IndicatorStatistics:
    """The operations indicators, each with its yearly series since the base year and its verdict."""
    return await owner_statistics(session, SERVICE, district_today().year)


async def year_figures(session: AsyncSession, year: int) -> YearFigures:
    """The register's figures of one year."""
    registered, rescinded, standing, royalties = await repository.transaction_figures(session, year)
    latest: dict[str, tuple[int, int]] = {}
    for agency, version, fen in await repository.verified_revenue(session, year):
        if agency not in latest or version > latest[agency][0]:
            latest[agency] = (version, fen)
    sessions, attendance, commissioners, commissioners_total = await repository.talent_figures(session, year)
    investments, invested = await repository.investment_figures(session, year)
    return YearFigures(
        year=year,
        transactions_registered=registered,
        transactions_rescinded=rescinded,
        contract_amount=format_yuan(standing),
        royalties=format_yuan(royalties),
        verified_revenue_reports=len(latest),
        agencies_at_revenue_line=sum(1 for _, fen in latest.values() if fen >= AGENCY_REVENUE_LINE_FEN),
        training_sessions=sessions,
        training_attendance=attendance,
        commissioners_registered=commissioners,
        commissioners_total=commissioners_total,
        investments=investments,
        investment_amount=format_yuan(invested),
        milestones=await repository.milestone_count(session, year),
    )
