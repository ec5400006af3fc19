"""Alliance routes: operators register industry IP alliances and record members joining and
leaving; agencies and operators read them."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.alliances import service
from operations.alliances.schemas import (
    AllianceCreate,
    AllianceDeparture,
    AllianceMemberCreate,
    AlliancePage,
    AlliancePublic,
    alliance_public,
)
from operations.enums import Industry
from operations.models import Alliance, AllianceMember

router = APIRouter()


def _public(found: tuple[Alliance, Sequence[AllianceMember]]) -> AlliancePublic:
    row, members = found
    return alliance_public(row, members, service.qualifies(row, members))


@router.post("/alliances", status_code=201, response_model=AlliancePublic)
async def create_alliance(
    body: AllianceCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register an industry IP alliance. It counts toward the plan's alliances while it has at
    least 3 current members and is in one of the plan's industries."""

    async def work(session: AsyncSession) -> tuple[int, AlliancePublic]:
        return 201, _public(await service.create(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/alliances", response_model=AlliancePage)
async def list_alliances(
    principal: AgencyOrOperator,
    runtime: Runtime,
    industry: Industry | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AlliancePage:
    """Alliances with their members."""
    async with runtime.sessionmaker() as session:
        found, total = await service.list_alliances(session, industry=industry, limit=limit, offset=offset)
    return AlliancePage(items=[_public(f) for f in found], total=total)


@router.get("/alliances/{alliance_id}", response_model=AlliancePublic)
async def get_alliance(alliance_id: str, principal: AgencyOrOperator, runtime: Runtime) -> AlliancePublic:
    """One alliance and its members."""
    async with runtime.sessionmaker() as session:
        return _public(await service.get(session, alliance_id))


@router.post("/alliances/{alliance_id}/members", status_code=201, response_model=AlliancePublic)
async def join_alliance(
    alliance_id: str,
    body: AllianceMemberCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """An enterprise or institute joins the alliance on a date."""

    async def work(session: AsyncSession) -> tuple[int, AlliancePublic]:
        return 201, _public(await service.join(session, alliance_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/alliances/{alliance_id}/members/{member_id}/departure", response_model=AlliancePublic)
async def leave_alliance(
    alliance_id: str,
    member_id: str,
    body: AllianceDeparture,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """A member leaves the alliance on a date (history kept)."""

    async def work(session: AsyncSession) -> tuple[int, AlliancePublic]:
        return 200, _public(await service.leave(session, alliance_id, member_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
