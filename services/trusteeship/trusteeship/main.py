"""The trusteeship app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ipops.app import create_service_app
from ipops.contracts.indicators import ContributionRecordedV1, SourceAnnouncedV1
from ipops.contracts.trusteeship import (
    AGENCY_TOPIC,
    DOCKET_TOPIC,
    ENROLMENT_TOPIC,
    WORKLOG_TOPIC,
    AgencyRegisteredV1,
    AgencyUpdatedV1,
    EnterpriseEnrolledV1,
    EnterpriseExitedV1,
    EnterpriseTransferredV1,
    FeeDueV1,
    FirstPatentV1,
    PatentLapsedV1,
    PatentRestoredV1,
    WorkLoggedV1,
    WorkUploadedV1,
)
from ipops.runtime import ServiceDefinition
from ipops.serve import run_service
from trusteeship import __version__
from trusteeship.api import router
from trusteeship.config import TrusteeshipSettings
from trusteeship.handlers import HANDLERS
from trusteeship.jobs import daily_docket

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

DEFINITION = ServiceDefinition(
    name="trusteeship",
    title="ipops trusteeship",
    version=__version__,
    description="IP custody of small and micro enterprises by service agencies: enrolments, work logs, "
    "the annual-fee docket and the plan's trusteeship targets.",
    alembic_ini=ALEMBIC_INI,
    routers=[router],
    topics=[ENROLMENT_TOPIC, WORKLOG_TOPIC, DOCKET_TOPIC, AGENCY_TOPIC],
    publishes=[
        EnterpriseEnrolledV1.event_type,
        EnterpriseTransferredV1.event_type,
        EnterpriseExitedV1.event_type,
        WorkLoggedV1.event_type,
        WorkUploadedV1.event_type,
        FeeDueV1.event_type,
        PatentLapsedV1.event_type,
        PatentRestoredV1.event_type,
        FirstPatentV1.event_type,
        AgencyRegisteredV1.event_type,
        AgencyUpdatedV1.event_type,
        # the plan's indicators trusteeship is the source of (`trusteeship.domain.indicators`)
        ContributionRecordedV1.event_type,
        SourceAnnouncedV1.event_type,
    ],
    # One group for the three inbound streams: each handler is small and keyed by enterprise.
    consumers={"profile-and-queue": HANDLERS},
    jobs=[daily_docket],
)


def create_app(settings: TrusteeshipSettings | None = None) -> FastAPI:
    """The trusteeship app."""
    return create_service_app(DEFINITION, settings or TrusteeshipSettings())


def run() -> None:
    """Serve on TRUSTEESHIP_HOST:TRUSTEESHIP_PORT (default 127.0.0.1:8002)."""
    run_service("trusteeship.main:create_app", env_prefix="TRUSTEESHIP", default_port=8002)
