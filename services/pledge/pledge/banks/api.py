"""The banks' routes (writes by operators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.banks import service
from pledge.banks.schemas import BankCreate, BankPage, BankPublic

router = APIRouter()


@router.post("/banks", status_code=201, response_model=BankPublic)
async def register_bank(
    body: BankCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register a cooperating bank (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, BankPublic]:
        bank = await service.register_bank(session, body)
        return 201, BankPublic.model_validate(bank)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/banks", response_model=BankPage)
async def list_banks(principal: BankOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0) -> BankPage:
    """Cooperating banks, with their suspension state (a bank sees only itself)."""
    async with runtime.engine.connect() as connection:
        # One statement reads the page and its total, so it needs no transaction around it: in
        # autocommit asyncpg sends no BEGIN and ROLLBACK, two of the four round trips (#17).
        # Not on SQLite: returning the connection to the pool would reset pysqlite's isolation
        # level to its implicit-BEGIN default, undoing what ipops.db sets on every connection.
        if connection.dialect.name == "postgresql":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
        rows, total = await service.list_banks(connection, principal, limit=limit, offset=offset)
    return BankPage(items=[BankPublic.model_validate(r) for r in rows], total=total)


@router.post("/banks/{bank_id}/reinstatement", response_model=BankPublic)
async def reinstate_bank(
    bank_id: str,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Lift a bank's suspension from the pool (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, BankPublic]:
        return 200, BankPublic.model_validate(await service.reinstate_bank(session, bank_id))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
