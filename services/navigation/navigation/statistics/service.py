"""The plan's navigation figures: accepted projects by kind against 15 and 45, counting patent
lists against 20 (targets and progress are `domain.targets`). What counts toward a target is read
from the indicator ledger (`domain.indicators` decides it), so these figures, the service's
`/statistics/indicators` and the public figures are one definition; the pipeline and the
registrations beside them are read from the projects and portfolios."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import district_today
from ipops.indicators.statistics import IndicatorStatistics, owner_statistics
from navigation.domain import indicators, targets
from navigation.enums import ProjectKind, ProjectStatus
from navigation.portfolios.service import recount_portfolios
from navigation.projects.service import recount_projects
from navigation.statistics import repository
from navigation.statistics.schemas import IndicatorRecount, KindProgress, NavigationStatistics, PortfolioProgress


def _kind_progress(kind: str, target: int, counts: list[tuple[str, str, int]], counting: int) -> KindProgress:
    by_status = {status: 0 for status in ProjectStatus}
    for k, status, n in counts:
        if k == kind:
            by_status[ProjectStatus(status)] += n
    return KindProgress(
        kind=ProjectKind(kind),
        target=target,
        accepted=counting,
        in_pipeline=by_status[ProjectStatus.IN_PROGRESS] + by_status[ProjectStatus.UNDER_REVIEW],
        by_status=by_status,
        progress=targets.progress(counting, target),
    )


async def indicator_statistics(session: AsyncSession) -> IndicatorStatistics:
    """The navigation indicators, each with its yearly series since the base year and its verdict."""
    return await owner_statistics(session, indicators.OWNER, district_today().year)


def _current(stats: IndicatorStatistics) -> dict[str, int]:
    """Each indicator's value in the current year (a stock: what counts today)."""
    return {s.indicator: int(s.series[-1].value or Decimal(0)) for s in stats.indicators}


async def statistics(session: AsyncSession) -> NavigationStatistics:
    """Projects by kind and status against 15 and 45; counting patent lists against 20."""
    counts = await repository.project_counts(session)
    registered, _ = await repository.portfolio_counts(session)
    current = _current(await indicator_statistics(session))
    lists = current[indicators.HIGH_VALUE_PORTFOLIOS]
    return NavigationStatistics(
        projects=[
            _kind_progress(kind, target, counts, current[indicators.PROJECT_INDICATORS[ProjectKind(kind)]])
            for kind, target in targets.PROJECT_TARGETS.items()
        ],
        portfolios=PortfolioProgress(
            target=targets.PORTFOLIO_TARGET,
            qualified=lists,
            registered=registered,
            progress=targets.progress(lists, targets.PORTFOLIO_TARGET),
        ),
    )


async def recount_indicators(session: AsyncSession) -> IndicatorRecount:
    """Write every project's and patent list's contributions again through the counting rules
    (idempotent: only what changed is written and announced) - the backfill of existing rows."""
    changed = await recount_projects(session) + await recount_portfolios(session)
    return IndicatorRecount(changed=changed, statistics=await indicator_statistics(session))
