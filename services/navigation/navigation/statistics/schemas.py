"""The HTTP contract of the plan's navigation figures."""

from __future__ import annotations

from pydantic import BaseModel, Field

from navigation.enums import ProjectKind, ProjectStatus


class KindProgress(BaseModel):
    """One project kind against its target."""

    kind: ProjectKind
    target: int
    accepted: int = Field(description="counts toward the target")
    in_pipeline: int = Field(description="approved and not yet decided")
    by_status: dict[ProjectStatus, int]
    progress: float = Field(description="accepted / target")


class PortfolioProgress(BaseModel):
    """Qualified high-value portfolios against the target of 20."""

    target: int
    qualified: int
    registered: int
    progress: float


class NavigationStatistics(BaseModel):
    """The plan's navigation figures (tasks 2 and 3)."""

    projects: list[KindProgress]
    portfolios: PortfolioProgress
