"""Talent routes: operators record training sessions and register IP commissioners; agencies and
operators read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.talent import service
from operations.talent.schemas import (
    CommissionerCreate,
    CommissionerPage,
    CommissionerPublic,
    TrainingCreate,
    TrainingPage,
    TrainingPublic,
    commissioner_public,
    training_public,
)

router = APIRouter()


@router.post("/training-sessions", status_code=201, response_model=TrainingPublic)
async def record_training_session(
    body: TrainingCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a training session that was held: date, topic, organiser, attendance."""

    async def work(session: AsyncSession) -> tuple[int, TrainingPublic]:
        return 201, training_public(await service.record_training(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/training-sessions", response_model=TrainingPage)
async def list_training_sessions(
    principal: AgencyOrOperator,
    runtime: Runtime,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> TrainingPage:
    """Training sessions, newest first."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_training(session, year=year, limit=limit, offset=offset)
    return TrainingPage(items=[training_public(r) for r in rows], total=total)


@router.post("/commissioners", status_code=201, response_model=CommissionerPublic)
async def register_commissioner(
    body: CommissionerCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register an IP commissioner (知识产权专员) and the technical field they serve."""

    async def work(session: AsyncSession) -> tuple[int, CommissionerPublic]:
        return 201, commissioner_public(await service.register_commissioner(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/commissioners", response_model=CommissionerPage)
async def list_commissioners(
    principal: AgencyOrOperator, runtime: Runtime, field: str | None = None, limit: Limit = 50, offset: Offset = 0
) -> CommissionerPage:
    """Registered IP commissioners by name."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_commissioners(session, field=field, limit=limit, offset=offset)
    return CommissionerPage(items=[commissioner_public(r) for r in rows], total=total)
