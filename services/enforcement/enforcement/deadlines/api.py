"""Routes of deadlines: the overdue and at-risk lists of open cases, and the overdue scan
(operators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.config import EnforcementSettings
from enforcement.deadlines import service
from enforcement.deadlines.schemas import (
    DeadlineList,
    OverdueScan,
    OverdueScanResult,
    deadline_list,
    overdue_scan_result,
)
from ipops.auth import OperatorPrincipal
from ipops.fields import BoundedDate
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime

router = APIRouter()

AsOf = Annotated[BoundedDate | None, Query(description="the day to judge by (China date; default today)")]


@router.get("/deadlines/overdue", response_model=DeadlineList)
async def overdue_cases(principal: OperatorPrincipal, runtime: Runtime, as_of: AsOf = None) -> DeadlineList:
    """Open cases past the due date of their running clock, most overdue first; cases whose
    deadline waits for a holiday calendar year no source covers are listed in
    `waiting_for_calendar`."""
    async with runtime.sessionmaker() as session:
        day, judged = await service.overdue_cases(session, as_of)
    return deadline_list(day, judged)


@router.get("/deadlines/at-risk", response_model=DeadlineList)
async def at_risk_cases(
    principal: OperatorPrincipal,
    runtime: Runtime,
    as_of: AsOf = None,
    within_working_days: Annotated[int | None, Query(ge=0, le=60)] = None,
) -> DeadlineList:
    """Open cases not yet overdue whose running clock falls due within a few working days
    (ENFORCEMENT_AT_RISK_WORKING_DAYS by default), soonest first; cases whose deadline waits for a
    holiday calendar year no source covers are listed in `waiting_for_calendar`."""
    settings = runtime.settings_as(EnforcementSettings)
    async with runtime.sessionmaker() as session:
        day, judged = await service.at_risk_cases(
            session, as_of, within_working_days, default_within=settings.at_risk_working_days
        )
    return deadline_list(day, judged)


@router.post("/overdue-scans", response_model=OverdueScanResult)
async def run_overdue_scan(
    body: OverdueScan,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Run the overdue scan for a day (the daily job does this on its own): flags each case and
    clock once and publishes `case.overdue`; cases it cannot judge because their deadline waits for
    a holiday calendar year are listed in `waiting_for_calendar`."""

    async def work(session: AsyncSession) -> tuple[int, OverdueScanResult]:
        judged = await service.scan_overdue(session, body.as_of)
        return 200, overdue_scan_result(body.as_of, judged)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
