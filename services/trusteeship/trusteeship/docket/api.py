"""Docket routes: an enterprise's deadlines, the window of deadlines due, payments, the daily run."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.fields import BoundedDate
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from trusteeship.common import today
from trusteeship.docket import service
from trusteeship.docket.schemas import (
    DocketRun,
    DocketRunResult,
    FeeDeadlinePage,
    FeeDeadlinePublic,
    FeePaymentCreate,
    deadline_public,
    docket_page,
)
from trusteeship.enums import DeadlineStatus

router = APIRouter()


@router.get("/enterprises/{credit_code}/docket", response_model=FeeDeadlinePage)
async def enterprise_docket(credit_code: str, principal: AgencyOrOperator, runtime: Runtime) -> FeeDeadlinePage:
    """Every annual-fee deadline of the enterprise's patents, by due date, with payments."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        lines = await service.enterprise_docket(session, principal, credit_code)
    return docket_page(lines, len(lines), day)


@router.get("/docket", response_model=FeeDeadlinePage)
async def docket_window(
    principal: AgencyOrOperator,
    runtime: Runtime,
    from_date: BoundedDate | None = None,
    to_date: BoundedDate | None = None,
    status: DeadlineStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> FeeDeadlinePage:
    """Deadlines due in a window (default: the next 90 days) for enterprises held now."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        lines, total = await service.docket_window(
            session,
            principal,
            from_date=from_date,
            to_date=to_date,
            status=status,
            limit=limit,
            offset=offset,
            today=day,
        )
    return docket_page(lines, total, day)


@router.post("/fee-deadlines/{deadline_id}/payments", status_code=201, response_model=FeeDeadlinePublic)
async def record_payment(
    deadline_id: str,
    body: FeePaymentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record the payment of an annual fee, up to the end of the grace period (surcharge computed)."""
    day = today(runtime)

    async def work(session: AsyncSession) -> tuple[int, FeeDeadlinePublic]:
        deadline, credit_code, payment = await service.record_payment(session, principal, deadline_id, body, day)
        return 201, deadline_public(deadline, credit_code, payment, day)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/docket/run", response_model=DocketRunResult)
async def run_docket(
    body: DocketRun, request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Run the daily docket job for a given day (operators only): add missing deadlines, mark
    expiries and lapses (a lapse re-counts the enterprise's valid-patent indicator), send the
    90/30/7-day reminders. A rerun for the same day does nothing more."""

    async def work(session: AsyncSession) -> tuple[int, DocketRunResult]:
        return 200, await service.run_docket(session, body.as_of)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
