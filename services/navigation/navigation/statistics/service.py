"""The plan's navigation figures: accepted projects by kind against 15 and 45, qualified
portfolios against 20 (targets and progress are `domain.targets`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from navigation.domain import targets
from navigation.enums import ProjectKind, ProjectStatus
from navigation.statistics import repository
from navigation.statistics.schemas import KindProgress, NavigationStatistics, PortfolioProgress


def _kind_progress(kind: str, target: int, counts: list[tuple[str, str, int]]) -> KindProgress:
    by_status = {status: 0 for status in ProjectStatus}
    for k, status, n in counts:
        if k == kind:
            by_status[ProjectStatus(status)] += n
    accepted = by_status[ProjectStatus.ACCEPTED]
    return KindProgress(
        kind=ProjectKind(kind),
        target=target,
        accepted=accepted,
        in_pipeline=by_status[ProjectStatus.IN_PROGRESS] + by_status[ProjectStatus.UNDER_REVIEW],
        by_status=by_status,
        progress=targets.progress(accepted, target),
    )


async def statistics(session: AsyncSession) -> NavigationStatistics:
    """Projects by kind and status against 15 and 45; qualified portfolios against 20."""
    counts = await repository.project_counts(session)
    registered, qualified = await repository.portfolio_counts(session)
    return NavigationStatistics(
        projects=[_kind_progress(kind, target, counts) for kind, target in targets.PROJECT_TARGETS.items()],
        portfolios=PortfolioProgress(
            target=targets.PORTFOLIO_TARGET,
            qualified=qualified,
            registered=registered,
            progress=targets.progress(qualified, targets.PORTFOLIO_TARGET),
        ),
    )
