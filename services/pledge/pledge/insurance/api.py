"""The insurance policies' routes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.insurance import service
from pledge.insurance.schemas import (
    InsurancePolicyCreate,
    InsurancePolicyPage,
    InsurancePolicyPublic,
    PolicyCancellation,
    policy_public,
)

router = APIRouter()


@router.post("/insurance-policies", status_code=201, response_model=InsurancePolicyPublic)
async def create_policy(
    body: InsurancePolicyCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record an IP insurance policy (operators only). Its sum insured counts in the IP insurance
    amount of the (Beijing) year of its `start_date`."""

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


@router.post("/insurance-policies/{policy_id}/cancellation", response_model=InsurancePolicyPublic)
async def cancel_policy(
    policy_id: str,
    body: PolicyCancellation,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Cancel (void) a policy (operators only): its sum insured is taken out of the IP insurance
    amount. A policy already cancelled is 409; `cancelled_date` may not be in the future (422)."""

    async def work(session: AsyncSession) -> tuple[int, InsurancePolicyPublic]:
        return 200, policy_public(await service.cancel_policy(session, policy_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
