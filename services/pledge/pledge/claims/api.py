"""The claims' routes: file a claim or report a recovery on a loan (banks), read claims."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator, BankPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.claims import service
from pledge.claims.schemas import (
    ClaimCreate,
    ClaimPage,
    ClaimPublic,
    RecoveryCreate,
    RecoveryPublic,
    claim_public,
    recovery_public,
)

router = APIRouter()


@router.post("/loans/{loan_id}/claims", status_code=201, response_model=ClaimPublic)
async def file_claim(
    loan_id: str,
    body: ClaimCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """File a compensation claim on a defaulted loan: it is paid or refused at once, with the reason."""

    async def work(session: AsyncSession) -> tuple[int, ClaimPublic]:
        return 201, claim_public(await service.file_claim(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/loans/{loan_id}/recoveries", status_code=201, response_model=RecoveryPublic)
async def record_recovery(
    loan_id: str,
    body: RecoveryCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Report money recovered after default; it flows back to the pool and the parties pro rata."""

    async def work(session: AsyncSession) -> tuple[int, RecoveryPublic]:
        return 201, recovery_public(await service.record_recovery(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/claims", response_model=ClaimPage)
async def list_claims(
    principal: BankOrOperator,
    runtime: Runtime,
    loan_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ClaimPage:
    """Claims, newest first: a bank sees its own."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_claims(session, principal, loan_id=loan_id, limit=limit, offset=offset)
    return ClaimPage(items=[claim_public(c) for c in rows], total=total)


@router.get("/claims/{claim_id}", response_model=ClaimPublic)
async def get_claim(claim_id: str, principal: BankOrOperator, runtime: Runtime) -> ClaimPublic:
    """A claim with its split."""
    async with runtime.sessionmaker() as session:
        return claim_public(await service.read_claim(session, principal, claim_id))
