"""The pledge service app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from ipops.app import create_service_app
from ipops.contracts.pledge import (
    BANK_TOPIC,
    CLAIM_TOPIC,
    LOAN_TOPIC,
    POOL_TOPIC,
    BankRegisteredV1,
    BankSuspendedV1,
    ClaimPaidV1,
    ClaimRefusedV1,
    LoanApprovalUndoneV1,
    LoanApprovedV1,
    LoanClosedV1,
    LoanDefaultedV1,
    LoanDisbursedV1,
    LoanDisbursementUndoneV1,
    LoanSubmittedV1,
    PoolFundedV1,
    RecoveryRecordedV1,
)
from ipops.runtime import ServiceDefinition, ServiceRuntime
from pledge import __version__, service
from pledge.api import router
from pledge.config import PledgeSettings
from pledge.handlers import HANDLERS

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
log = logging.getLogger(__name__)


async def daily_dpd(runtime: ServiceRuntime) -> None:
    """Recompute days past due once at start-up and then just after each UTC midnight."""
    while True:
        try:
            async with runtime.transaction() as session:
                await service.recompute_dpd(session, datetime.now(UTC).date())
        except Exception:  # the next run retries; a failed night must not kill the service
            log.exception("DPD recomputation failed")
        current = datetime.now(UTC)
        tomorrow = datetime.combine(current.date() + timedelta(days=1), time(0, 5), tzinfo=UTC)
        await asyncio.sleep((tomorrow - current).total_seconds())


DEFINITION = ServiceDefinition(
    name="pledge",
    title="ipops pledge financing",
    version=__version__,
    description="IP-pledged loans by cooperating banks and the district's risk-compensation pool.",
    alembic_ini=ALEMBIC_INI,
    routers=[router],
    topics=[BANK_TOPIC, LOAN_TOPIC, CLAIM_TOPIC, POOL_TOPIC],
    publishes=[
        m.event_type
        for m in (
            BankRegisteredV1,
            BankSuspendedV1,
            LoanSubmittedV1,
            LoanApprovedV1,
            LoanApprovalUndoneV1,
            LoanDisbursedV1,
            LoanDisbursementUndoneV1,
            LoanDefaultedV1,
            LoanClosedV1,
            ClaimPaidV1,
            ClaimRefusedV1,
            RecoveryRecordedV1,
            PoolFundedV1,
        )
    ],
    consumers={"enforcement-cases": HANDLERS},
    jobs=[daily_dpd],
)


def create_app(settings: PledgeSettings | None = None) -> FastAPI:
    """The pledge app."""
    return create_service_app(DEFINITION, settings or PledgeSettings())


def run() -> None:
    """Serve on PLEDGE_HOST:PLEDGE_PORT (default 127.0.0.1:8001)."""
    import os

    uvicorn.run(
        "pledge.main:create_app",
        factory=True,
        host=os.environ.get("PLEDGE_HOST", "127.0.0.1"),
        port=int(os.environ.get("PLEDGE_PORT", "8001")),
        log_config=None,
        proxy_headers=True,
    )
