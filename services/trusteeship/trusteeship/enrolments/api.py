"""Enrolment routes: an agency (or an operator for it) enrols; operators transfer; the holder exits."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from trusteeship.common import today
from trusteeship.enrolments import service
from trusteeship.enrolments.schemas import (
    EnrolmentCreate,
    EnrolmentExit,
    EnrolmentPage,
    EnrolmentPublic,
    EnrolmentTransfer,
    TransferResult,
    enrolment_public,
    transfer_result,
)
from trusteeship.enums import EnrolmentStatus

router = APIRouter()


@router.post("/enrolments", status_code=201, response_model=EnrolmentPublic)
async def enrol(
    body: EnrolmentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Take an enterprise into trusteeship: one agency at a time, within its contract period and
    quota. The enterprise is registered on its first enrolment."""

    async def work(session: AsyncSession) -> tuple[int, EnrolmentPublic]:
        row, _ = await service.enrol(session, principal, body, today(runtime))
        return 201, enrolment_public(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/enrolments", response_model=EnrolmentPage)
async def list_enrolments(
    principal: AgencyOrOperator,
    runtime: Runtime,
    credit_code: str | None = None,
    status: EnrolmentStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnrolmentPage:
    """Enrolments, newest first: an agency's own, or all for operators."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_enrolments(
            session, principal, credit_code=credit_code, status=status, limit=limit, offset=offset
        )
    return EnrolmentPage(items=[enrolment_public(r) for r in rows], total=total)


@router.post("/enrolments/{enrolment_id}/transfer", response_model=TransferResult)
async def transfer_enrolment(
    enrolment_id: str,
    body: EnrolmentTransfer,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Move an enterprise to another agency (operators only); both enrolments stay in its history."""

    async def work(session: AsyncSession) -> tuple[int, TransferResult]:
        old, new = await service.transfer(session, enrolment_id, body, today(runtime))
        return 200, transfer_result(old, new)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enrolments/{enrolment_id}/exit", response_model=EnrolmentPublic)
async def exit_enrolment(
    enrolment_id: str,
    body: EnrolmentExit,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """End an enrolment (the holding agency or an operator); the enterprise still counts as covered."""

    async def work(session: AsyncSession) -> tuple[int, EnrolmentPublic]:
        row = await service.exit_enrolment(session, principal, enrolment_id, body, today(runtime))
        return 200, enrolment_public(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
