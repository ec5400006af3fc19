"""The pledge service app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

from pathlib import Path

import uvicorn
from fastapi import FastAPI

from ipops.app import create_service_app
from ipops.contracts.pledge import BANK_TOPIC, LOAN_TOPIC, BankRegisteredV1
from ipops.runtime import ServiceDefinition
from pledge import __version__
from pledge.api import router
from pledge.config import PledgeSettings
from pledge.handlers import HANDLERS

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

DEFINITION = ServiceDefinition(
    name="pledge",
    title="ipops pledge financing",
    version=__version__,
    description="IP-pledged loans by cooperating banks and the district's risk-compensation pool.",
    alembic_ini=ALEMBIC_INI,
    routers=[router],
    topics=[BANK_TOPIC, LOAN_TOPIC],
    publishes=[BankRegisteredV1.event_type],
    consumers={"enforcement-cases": HANDLERS},
)


def create_app(settings: PledgeSettings | None = None) -> FastAPI:
    """The pledge app."""
    return create_service_app(DEFINITION, settings or PledgeSettings())


def run() -> None:
    """Serve on PLEDGE_HOST:PLEDGE_PORT (default 127.0.0.1:8001)."""
    import os

    uvicorn.run(
        "pledge.main:create_app", factory=True,
        host=os.environ.get("PLEDGE_HOST", "127.0.0.1"), port=int(os.environ.get("PLEDGE_PORT", "8001")),
        log_config=None, proxy_headers=True,
    )
