"""The HTTP contract of the plan's navigation figures."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ipops.indicators.statistics import IndicatorStatistics
from navigation.enums import ProjectKind, ProjectStatus


class KindProgress(BaseModel):
    """One project kind against its target."""

    kind: ProjectKind
    target: int
    accepted: int = Field(
        description="accepted projects counting toward the target now (the indicator's current-year value)"
    )
    in_pipeline: int = Field(description="approved and not yet decided")
    by_status: dict[ProjectStatus, int]
    progress: float = Field(description="accepted / target")


class PortfolioProgress(BaseModel):
    """Qualified high-value portfolios against the target of 20."""

    target: int
    qualified: int = Field(
        description="patent lists of qualifying portfolios counting now (one list counts once, however many "
        "portfolios hold it): the indicator's current-year value"
    )
    registered: int = Field(description="portfolios registered, withdrawn ones included")
    progress: float


class NavigationStatistics(BaseModel):
    """The plan's navigation figures (tasks 2 and 3)."""

    projects: list[KindProgress]
    portfolios: PortfolioProgress


class IndicatorRecount(BaseModel):
    """The outcome of a recount of the navigation indicators."""

    changed: int = Field(description="contributions written anew (each announced once)")
    statistics: IndicatorStatistics
