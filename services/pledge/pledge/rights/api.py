"""The rights' routes: collateral alerts, enterprises, rights and their appraisals."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.rights import service
from pledge.rights.schemas import (
    AppraisalCreate,
    AppraisalPublic,
    CollateralAlertPage,
    CollateralAlertPublic,
    EnterpriseCreate,
    EnterprisePublic,
    RightCreate,
    RightPublic,
    appraisal_public,
    right_public,
)

router = APIRouter()


@router.get("/collateral-alerts", response_model=CollateralAlertPage)
async def list_collateral_alerts(
    principal: BankOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> CollateralAlertPage:
    """Patents and trademarks named in enforcement cases (fed by enforcement events); a bank sees
    those naming a right pledged for one of its loans."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_alerts(session, principal, limit=limit, offset=offset)
    return CollateralAlertPage(items=[CollateralAlertPublic.model_validate(r) for r in rows], total=total)


@router.post("/enterprises", status_code=201, response_model=EnterprisePublic)
async def create_enterprise(
    body: EnterpriseCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a borrowing enterprise by its unified social credit code."""

    async def work(session: AsyncSession) -> tuple[int, EnterprisePublic]:
        return 201, EnterprisePublic.model_validate(await service.create_enterprise(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/enterprises/{credit_code}", response_model=EnterprisePublic)
async def get_enterprise(credit_code: str, principal: BankOrOperator, runtime: Runtime) -> EnterprisePublic:
    """An enterprise (a bank sees one it recorded, one owning a right it recorded, or one
    borrowing on its loans; any other is 404)."""
    async with runtime.sessionmaker() as session:
        enterprise = await service.read_enterprise(session, principal, credit_code)
    return EnterprisePublic.model_validate(enterprise)


@router.post("/rights", status_code=201, response_model=RightPublic)
async def create_right(
    body: RightCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a patent (check digit verified, type derived) or a trademark (with its class)."""

    async def work(session: AsyncSession) -> tuple[int, RightPublic]:
        return 201, right_public(*await service.create_right(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/rights/{right_id}", response_model=RightPublic)
async def get_right(right_id: str, principal: BankOrOperator, runtime: Runtime) -> RightPublic:
    """A right with its latest appraisal (a bank sees one it recorded or one pledged for its
    loans; any other is 404)."""
    async with runtime.sessionmaker() as session:
        return right_public(*await service.read_right(session, principal, right_id))


@router.post("/rights/{right_id}/appraisals", status_code=201, response_model=AppraisalPublic)
async def appraise_right(
    right_id: str,
    body: AppraisalCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Add a valuation of a right (amount, valuer, date)."""

    async def work(session: AsyncSession) -> tuple[int, AppraisalPublic]:
        return 201, appraisal_public(await service.appraise_right(session, principal, right_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
