"""Milestone routes: operators record the milestones of goals 七-九; any caller with a token reads
them (the public reads them through the gateway's read model)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AnyPrincipal, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.milestones import service
from operations.milestones.schemas import MilestoneCreate, MilestonePage, MilestonePublic, milestone_public

router = APIRouter()


@router.post("/milestones", status_code=201, response_model=MilestonePublic)
async def record_milestone(
    body: MilestoneCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a milestone of goal 7, 8 or 9 with the date it was achieved and its evidence; it is
    announced (`ipops.operations.milestone.recorded.v1`) for the public progress view."""

    async def work(session: AsyncSession) -> tuple[int, MilestonePublic]:
        return 201, milestone_public(await service.record(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/milestones", response_model=MilestonePage)
async def list_milestones(
    principal: AnyPrincipal,
    runtime: Runtime,
    goal: Annotated[int | None, Query(ge=7, le=9, description="7, 8 or 9")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> MilestonePage:
    """Milestones by goal and date (public facts of the plan: any caller with a token)."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_milestones(session, goal=goal, limit=limit, offset=offset)
    return MilestonePage(items=[milestone_public(r) for r in rows], total=total)
