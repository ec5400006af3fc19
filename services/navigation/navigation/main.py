"""The navigation service app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ipops.app import create_service_app
from ipops.contracts.indicators import ContributionRecordedV1, SourceAnnouncedV1
from ipops.contracts.navigation import (
    PORTFOLIO_TOPIC,
    PROJECT_TOPIC,
    PhaseCompletedV1,
    PortfolioDisqualifiedV1,
    PortfolioQualifiedV1,
    ProjectAcceptedV1,
    ProjectApprovedV1,
    ProjectCreatedV1,
)
from ipops.runtime import ServiceDefinition
from ipops.serve import run_service
from navigation import __version__
from navigation.api import router
from navigation.config import NavigationSettings

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

# Navigation consumes no events: it is a producer (projects, portfolios), so it has no handlers.
DEFINITION = ServiceDefinition(
    name="navigation",
    title="ipops patent navigation",
    version=__version__,
    description="GB/T 39551 patent navigation projects, patent landscape analysis and high-value portfolios.",
    alembic_ini=ALEMBIC_INI,
    routers=[router],
    topics=[PROJECT_TOPIC, PORTFOLIO_TOPIC],
    publishes=[
        m.event_type
        for m in (
            ProjectCreatedV1,
            ProjectApprovedV1,
            PhaseCompletedV1,
            ProjectAcceptedV1,
            PortfolioQualifiedV1,
            PortfolioDisqualifiedV1,
            ContributionRecordedV1,
            SourceAnnouncedV1,
        )
    ],
)


def create_app(settings: NavigationSettings | None = None) -> FastAPI:
    """The navigation app."""
    return create_service_app(DEFINITION, settings or NavigationSettings())


def run() -> None:
    """Serve on NAVIGATION_HOST:NAVIGATION_PORT (default 127.0.0.1:8003)."""
    run_service("navigation.main:create_app", env_prefix="NAVIGATION", default_port=8003)
