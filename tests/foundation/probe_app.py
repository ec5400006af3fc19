"""A minimal service built with the platform's app factory, to test the HTTP conventions
(problem+json, auth, idempotency, request ids, health) independently of any domain."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.app import create_service_app
from ipops.auth import AnyPrincipal, BankOrOperator
from ipops.errors import NotFound
from ipops.events import add_to_outbox
from ipops.fields import PatentNumber, Yuan
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime, ServiceDefinition
from ipops.settings import ServiceSettings
from tests.foundation.probe import PROBE_TOPIC, ItemRecordedV1, ProbeItem, on_item_recorded

router = APIRouter(prefix="/api/v1/probe")

# Called (synchronously) after a write committed and before the route returns: the fault suite
# kills the process here to leave a committed, unpublished event behind.
after_write: Callable[[int], None] | None = None


class ItemCreate(BaseModel):
    item_id: str = Field(min_length=1, max_length=40)
    seq: int = Field(ge=0)
    amount: Yuan
    patent: PatentNumber | None = None


class ItemPublic(BaseModel):
    id: int
    item_id: str
    seq: int


@router.post("/items", status_code=201, response_model=ItemPublic)
async def create_item(
    body: ItemCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    async def work(session: AsyncSession) -> tuple[int, ItemPublic]:
        item = ProbeItem(item_id=body.item_id, seq=body.seq)
        session.add(item)
        await session.flush()
        # widen the window in which a concurrent duplicate could slip through
        await asyncio.sleep(0.2)
        add_to_outbox(session, ItemRecordedV1(item_id=body.item_id, seq=body.seq), source="/probe", key=body.item_id)
        assert item.id is not None
        return 201, ItemPublic(id=item.id, item_id=item.item_id, seq=item.seq)

    response = await idempotent_write(runtime, request, principal, idempotency_key, work)
    if after_write is not None:
        after_write(body.seq)
    return response


@router.get("/items/{item_id}", response_model=ItemPublic)
async def get_item(item_id: int, principal: AnyPrincipal, runtime: Runtime) -> ItemPublic:
    async with runtime.sessionmaker() as session:
        item = await session.get(ProbeItem, item_id)
    if item is None or item.id is None:
        raise NotFound(f"item {item_id} not found")
    return ItemPublic(id=item.id, item_id=item.item_id, seq=item.seq)


@router.get("/items")
async def count_items(principal: AnyPrincipal, runtime: Runtime) -> dict[str, int]:
    """A second route on the path of the write (GET and POST of one path are two routes)."""
    async with runtime.sessionmaker() as session:
        items = (await session.execute(select(func.count()).select_from(ProbeItem))).scalar_one()
    return {"items": items}


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internal detail")


def create_probe_app(settings: ServiceSettings, *, consume: bool = True) -> FastAPI:
    definition = ServiceDefinition(
        name="probe",
        title="probe",
        version="0",
        alembic_ini=Path("unused"),
        routers=[router],
        topics=[PROBE_TOPIC],
        publishes=[ItemRecordedV1.event_type],
        consumers={"self": {ItemRecordedV1.event_type: on_item_recorded}} if consume else {},
    )
    return create_service_app(definition, settings)
