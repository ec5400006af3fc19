"""The pledge service app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ipops.app import create_service_app
from ipops.contracts.indicators import ContributionRecordedV1, SourceAnnouncedV1
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
    LoanDisbursementRestatedV1,
    LoanDisbursementUndoneV1,
    LoanSubmittedV1,
    PoolFundedV1,
    RecoveryRecordedV1,
)
from ipops.runtime import ServiceDefinition
from ipops.serve import run_service
from pledge import __version__
from pledge.api import router
from pledge.config import PledgeSettings
from pledge.handlers import FUND_HANDLERS, HANDLERS
from pledge.jobs import daily_dpd

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

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
            LoanDisbursementRestatedV1,
            LoanDefaultedV1,
            LoanClosedV1,
            ClaimPaidV1,
            ClaimRefusedV1,
            RecoveryRecordedV1,
            PoolFundedV1,
            # the plan's indicators pledge is the source of (`pledge.domain.indicators`)
            ContributionRecordedV1,
            SourceAnnouncedV1,
        )
    ],
    consumers={"enforcement-cases": HANDLERS, "operations-fund": FUND_HANDLERS},
    jobs=[daily_dpd],
)


def create_app(settings: PledgeSettings | None = None) -> FastAPI:
    """The pledge app."""
    return create_service_app(DEFINITION, settings or PledgeSettings())


def run() -> None:
    """Serve on PLEDGE_HOST:PLEDGE_PORT (default 127.0.0.1:8001) with PLEDGE_WORKERS processes (default 1)."""
    run_service("pledge.main:create_app", env_prefix="PLEDGE", default_port=8001)
