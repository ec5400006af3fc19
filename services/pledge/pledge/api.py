"""Pledge routes under /api/v1/pledge: parse, authorise, open the transaction, call a use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ipops.auth import AnyPrincipal, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime
from pledge import repository, service
from pledge.schemas import BankCreate, BankPage, BankPublic, CollateralAlertPage, CollateralAlertPublic

router = APIRouter(prefix="/api/v1/pledge", tags=["pledge"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


@router.post("/banks", status_code=201, response_model=BankPublic)
async def register_bank(
    body: BankCreate, request: Request, principal: OperatorPrincipal, runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register a cooperating bank (operators only)."""

    async def work(session):  # type: ignore[no-untyped-def]
        bank = await service.register_bank(session, body)
        return 201, BankPublic.model_validate(bank)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/banks", response_model=BankPage)
async def list_banks(principal: AnyPrincipal, runtime: Runtime, limit: Limit = 50, offset: Offset = 0) -> BankPage:
    """Cooperating banks."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_banks(session, limit=limit, offset=offset)
    return BankPage(items=[BankPublic.model_validate(r) for r in rows], total=total)


@router.get("/collateral-alerts", response_model=CollateralAlertPage)
async def list_collateral_alerts(
    principal: AnyPrincipal, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> CollateralAlertPage:
    """Patents named in enforcement cases (fed by enforcement events)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_alerts(session, limit=limit, offset=offset)
    return CollateralAlertPage(items=[CollateralAlertPublic.model_validate(r) for r in rows], total=total)
