"""The operations app: `create_app()` for tests and uvicorn, `run()` for the console script."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ipops.app import create_service_app
from ipops.contracts import operations as contract
from ipops.runtime import ServiceDefinition
from ipops.serve import run_service
from operations import __version__
from operations.api import router
from operations.config import OperationsSettings
from operations.handlers import HANDLERS

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

DEFINITION = ServiceDefinition(
    name="operations",
    title="ipops operations",
    version=__version__,
    description="IP operations of the Dongli plan: the transaction and licensing register, operation "
    "agencies and their verified revenue, industry alliances and patent pools, overseas trademarks, "
    "the operation guidance fund, talent and IP commissioners, and the milestones of goals 7-9.",
    alembic_ini=ALEMBIC_INI,
    routers=[router],
    topics=[
        contract.TRANSACTION_TOPIC,
        contract.AGENCY_TOPIC,
        contract.POOL_TOPIC,
        contract.ALLIANCE_TOPIC,
        contract.TRADEMARK_TOPIC,
        contract.FUND_TOPIC,
        contract.MILESTONE_TOPIC,
    ],
    publishes=[
        m.event_type
        for m in (
            contract.TransactionRegisteredV1,
            contract.TransactionRescindedV1,
            contract.RoyaltyReportedV1,
            contract.RevenueSubmittedV1,
            contract.RevenueVerifiedV1,
            contract.RevenueRejectedV1,
            contract.PoolChangedV1,
            contract.AllianceChangedV1,
            contract.OverseasMarkChangedV1,
            contract.InvestmentMadeV1,
            contract.InvestmentExitedV1,
            contract.MilestoneRecordedV1,
        )
    ],
    # The registry of agencies is the trusteeship service's; this group follows it.
    consumers={"agency-registry": HANDLERS},
)


def create_app(settings: OperationsSettings | None = None) -> FastAPI:
    """The operations app."""
    return create_service_app(DEFINITION, settings or OperationsSettings())


def run() -> None:
    """Serve on OPERATIONS_HOST:OPERATIONS_PORT (default 127.0.0.1:8005)."""
    run_service("operations.main:create_app", env_prefix="OPERATIONS", default_port=8005)
