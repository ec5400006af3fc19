"""The enforcement service app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from enforcement import __version__
from enforcement.api import router
from enforcement.calendar import service as calendar
from enforcement.config import EnforcementSettings
from enforcement.jobs import daily_calendar_check, daily_overdue_scan
from ipops.app import create_service_app
from ipops.contracts.enforcement import (
    CASE_TOPIC,
    CaseAcceptedV1,
    CaseCancelledV1,
    CaseClosedV1,
    CaseCorrectedV1,
    CaseDecidedV1,
    CaseMediatedV1,
    CaseOpenedV1,
    CaseOverdueV1,
    CaseRatedV1,
    CaseWithdrawnV1,
)
from ipops.contracts.indicators import ContributionRecordedV1, SourceAnnouncedV1
from ipops.runtime import ServiceDefinition, ServiceRuntime
from ipops.serve import run_service

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


async def calendar_readiness(runtime: ServiceRuntime) -> dict[str, Any]:
    """/readyz's "holiday_calendar" check: whether deadlines can be counted this year and next."""
    async with runtime.sessionmaker() as session:
        return await calendar.readiness(session)


DEFINITION = ServiceDefinition(
    name="enforcement",
    title="ipops enforcement",
    version=__version__,
    description="Rights-protection and administrative enforcement cases: intake, workflow, deadlines, "
    "mediation, the served parties' ratings, the yearly satisfaction survey and the plan's indicators.",
    alembic_ini=ALEMBIC_INI,
    routers=[router],
    topics=[CASE_TOPIC],
    publishes=[
        m.event_type
        for m in (
            CaseOpenedV1,
            CaseAcceptedV1,
            CaseMediatedV1,
            CaseDecidedV1,
            CaseClosedV1,
            CaseRatedV1,
            CaseOverdueV1,
            CaseWithdrawnV1,
            CaseCancelledV1,
            CaseCorrectedV1,
            ContributionRecordedV1,
            SourceAnnouncedV1,
        )
    ],
    jobs=[daily_overdue_scan, daily_calendar_check],
    readiness_checks={"holiday_calendar": calendar_readiness},
)


def create_app(settings: EnforcementSettings | None = None) -> FastAPI:
    """The enforcement app."""
    return create_service_app(DEFINITION, settings or EnforcementSettings())


def run() -> None:
    """Serve on ENFORCEMENT_HOST:ENFORCEMENT_PORT (default 127.0.0.1:8004)."""
    run_service("enforcement.main:create_app", env_prefix="ENFORCEMENT", default_port=8004)
