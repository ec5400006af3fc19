"""A probe event and tables used to test the event machinery itself (outbox, relay, inbox, DLQ).

The machinery under test is the real one; only the payload and the effect table are the test's.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column
from ipops.events import CloudEvent, EventPayload, declare_topic, event_type

PROBE_TOPIC = declare_topic("ipops.testprobe.item", partitions=3)

probe_registry = new_registry()


@event_type("ipops.testprobe.item.recorded.v1", topic=PROBE_TOPIC)
class ItemRecordedV1(EventPayload):
    """A probe item was recorded."""

    item_id: str
    seq: int
    fail: bool = False


class ProbeTable(SQLModel, registry=probe_registry):
    pass


class ProbeItem(ProbeTable, table=True):
    __tablename__ = "probe_item"

    id: int | None = Field(default=None, primary_key=True)
    item_id: str
    seq: int
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC), sa_column=utc_column())


class ProbeEffect(ProbeTable, table=True):
    __tablename__ = "probe_effect"

    id: int | None = Field(default=None, primary_key=True)
    item_id: str
    seq: int
    event_id: str
    applied_at: datetime = Field(default_factory=lambda: datetime.now(UTC), sa_column=utc_column())


class HandlerFailure(Exception):
    pass


async def on_item_recorded(session: AsyncSession, event: CloudEvent, payload: ItemRecordedV1) -> None:
    if payload.fail:
        raise HandlerFailure(f"item {payload.item_id} asks to fail")
    session.add(ProbeEffect(item_id=payload.item_id, seq=payload.seq, event_id=event.id))


async def effects(session: AsyncSession) -> list[ProbeEffect]:
    return list((await session.scalars(select(ProbeEffect).order_by(ProbeEffect.id))).all())
