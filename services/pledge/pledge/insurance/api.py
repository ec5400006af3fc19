"""The insurance policies' routes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.insurance import service
from pledge.insurance.schemas import InsurancePolicyCreate, InsurancePolicyPage, InsurancePolicyPublic, policy_public

router = APIRouter()


@router.post("/insurance-policies", status_code=201, response_model=InsurancePolicyPublic)
async def create_policy(
    body: InsurancePolicyCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record an IP insurance policy (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, InsurancePolicyPublic]:
        return 201, policy_public(await service.create_policy(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/insurance-policies", response_model=InsurancePolicyPage)
async def list_policies(
    principal: BankOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> InsurancePolicyPage:
    """IP insurance policies, newest first (a bank sees those insuring a right pledged for one
    of its loans)."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_policies(session, principal, limit=limit, offset=offset)
    return InsurancePolicyPage(items=[policy_public(p) for p in rows], total=total)
