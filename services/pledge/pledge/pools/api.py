"""The pools' routes: pools, their funding and ledger, and the banks' agreement versions
(writes by operators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.pools import service
from pledge.pools.schemas import (
    AgreementCreate,
    AgreementPage,
    AgreementPublic,
    FundingCreate,
    InterestCreate,
    LedgerPage,
    PoolCreate,
    PoolPublic,
    agreement_public,
    ledger_entry_public,
    pool_public,
)

router = APIRouter()


@router.post("/pools", status_code=201, response_model=PoolPublic)
async def create_pool(
    body: PoolCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Create a risk-compensation pool (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, pool_public(await service.create_pool(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pools/{pool_id}", response_model=PoolPublic)
async def get_pool(pool_id: str, principal: BankOrOperator, runtime: Runtime) -> PoolPublic:
    """A pool's balance and totals, derived from its ledger (a bank sees only a pool it has an
    agreement with; any other is 404)."""
    async with runtime.sessionmaker() as session:
        return pool_public(await service.read_pool(session, principal, pool_id))


@router.post("/pools/{pool_id}/contributions", status_code=201, response_model=PoolPublic)
async def contribute(
    pool_id: str,
    body: FundingCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Pay money into the pool from a source: central, municipal or district (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, pool_public(await service.fund_pool(session, pool_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/pools/{pool_id}/interest", status_code=201, response_model=PoolPublic)
async def credit_interest(
    pool_id: str,
    body: InterestCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Credit interest earned on the pool's account; it rolls into the pool (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, pool_public(await service.fund_pool(session, pool_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pools/{pool_id}/ledger", response_model=LedgerPage)
async def pool_ledger(
    pool_id: str, principal: BankOrOperator, runtime: Runtime, limit: Limit = 100, offset: Offset = 0
) -> LedgerPage:
    """The pool's postings, oldest first: an operator all; a bank only those of its own claims
    (payments and recoveries), on a pool it has an agreement with (any other is 404)."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.pool_ledger(session, principal, pool_id, limit=limit, offset=offset)
    return LedgerPage(items=[ledger_entry_public(e) for e in rows], total=total)


@router.post("/pool-agreements", status_code=201, response_model=AgreementPublic)
async def create_agreement(
    body: AgreementCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Add a version of a bank's pool agreement (operators only). Loans approved from its
    `effective_from` on are covered under it; earlier loans keep their version."""

    async def work(session: AsyncSession) -> tuple[int, AgreementPublic]:
        return 201, agreement_public(await service.create_agreement(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pool-agreements", response_model=AgreementPage)
async def list_agreements(
    principal: BankOrOperator,
    runtime: Runtime,
    bank_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AgreementPage:
    """Agreement versions: a bank sees its own."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_agreements(session, principal, bank_id=bank_id, limit=limit, offset=offset)
    return AgreementPage(items=[agreement_public(a) for a in rows], total=total)
