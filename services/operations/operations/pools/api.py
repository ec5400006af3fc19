"""Pool routes: operators register patent pools and record their members, patents and licensing
terms; agencies and operators read them (a pool is a public register of what it licenses)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.enums import Industry
from operations.pools import service
from operations.pools.schemas import (
    Departure,
    MemberCreate,
    PoolCreate,
    PoolPage,
    PoolPatentCreate,
    PoolPublic,
    TermsCreate,
    pool_public,
)
from operations.pools.service import PoolView

router = APIRouter()


def _public(v: PoolView) -> PoolPublic:
    return pool_public(v.pool, v.members, v.patents, v.terms, v.qualifies)


@router.post("/pools", status_code=201, response_model=PoolPublic)
async def create_pool(
    body: PoolCreate, request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Register a patent pool in one of the plan's industries. It counts toward the plan's pools
    while it holds patents of at least 2 current members and has published licensing terms."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, _public(await service.create_pool(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pools", response_model=PoolPage)
async def list_pools(
    principal: AgencyOrOperator,
    runtime: Runtime,
    industry: Industry | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PoolPage:
    """Patent pools with their members, patents and latest terms."""
    async with runtime.sessionmaker() as session:
        views, total = await service.list_pools(session, industry=industry, limit=limit, offset=offset)
    return PoolPage(items=[_public(v) for v in views], total=total)


@router.get("/pools/{pool_id}", response_model=PoolPublic)
async def get_pool(pool_id: str, principal: AgencyOrOperator, runtime: Runtime) -> PoolPublic:
    """One pool."""
    async with runtime.sessionmaker() as session:
        return _public(await service.get(session, pool_id))


@router.post("/pools/{pool_id}/members", status_code=201, response_model=PoolPublic)
async def add_pool_member(
    pool_id: str,
    body: MemberCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """An enterprise or institute joins the pool on a date."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, _public(await service.add_member(session, pool_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/pools/{pool_id}/members/{member_id}/departure", response_model=PoolPublic)
async def pool_member_leaves(
    pool_id: str,
    member_id: str,
    body: Departure,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """A member leaves the pool on a date (history kept); its patents stop making the pool count."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 200, _public(await service.member_leaves(session, pool_id, member_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/pools/{pool_id}/patents", status_code=201, response_model=PoolPublic)
async def add_pool_patent(
    pool_id: str,
    body: PoolPatentCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """A current member puts a patent (number validated with its check digit) into the pool."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, _public(await service.add_patent(session, pool_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/pools/{pool_id}/terms", status_code=201, response_model=PoolPublic)
async def publish_pool_terms(
    pool_id: str,
    body: TermsCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Publish a new version of the pool's licensing terms (the latest applies)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        return 201, _public(await service.publish_terms(session, pool_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
