"""The transactional outbox: an event is a row written in the same transaction as the change it
announces, so both commit or neither does. `add_to_outbox` only adds to the session; it never
commits and never talks to Kafka (the relay does that after the commit).

On PostgreSQL a commit that added outbox rows is followed by `NOTIFY ipops_outbox` (never a
rollback; ipops.events.notify), so the relay of that database wakes at once whichever process or
worker committed, instead of finding the rows at its next poll.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, LargeBinary, Text, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import Field

from ipops import context
from ipops.db import PlatformTable, utc_column
from ipops.events.envelope import CloudEvent
from ipops.events.notify import committed_in_process, notify_committed
from ipops.events.registry import EventPayload


class OutboxMessage(PlatformTable, table=True):
    """An event waiting for (or done with) publication."""

    __tablename__ = "outbox_message"
    # The relay's scan of unpublished rows, as the first revision creates it (ipops.migrations);
    # declared here too so a database built from the models (benchmarks, some tests) has it.
    __table_args__ = (
        Index(
            "ix_outbox_message_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    )
    event_id: str = Field(max_length=64, unique=True)
    event_type: str = Field(max_length=200)
    topic: str = Field(max_length=200)
    key: str = Field(max_length=200)
    headers: list[list[str]] = Field(sa_column=Column(JSON, nullable=False))
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    published_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


def build_event(payload: EventPayload, *, source: str, key: str, subject: str | None = None) -> CloudEvent:
    """The envelope of `payload`, stamped with the current request id."""
    if not payload.event_type:
        raise TypeError(f"{type(payload).__name__} is not registered with @event_type")
    return CloudEvent(
        source=source,
        type=payload.event_type,
        subject=subject if subject is not None else key,
        data=payload.model_dump(mode="json"),
        partitionkey=key,
        requestid=context.request_id.get(),
    )


def add_to_outbox(
    session: AsyncSession,
    payload: EventPayload,
    *,
    source: str,
    key: str,
    subject: str | None = None,
) -> CloudEvent:
    """Add the event announcing a change to the session of that change; returns the envelope."""
    event = build_event(payload, source=source, key=key, subject=subject)
    record_key, value, headers = event.to_record()
    session.info[_NOTIFY] = True
    session.add(
        OutboxMessage(
            event_id=event.id,
            event_type=event.type,
            topic=payload.topic,
            key=record_key.decode(),
            # JSON cannot hold bytes; CloudEvents headers are UTF-8 text by the binding's rules.
            headers=[[name, raw.decode()] for name, raw in headers],
            payload=value,
            created_at=datetime.now(UTC),
        )
    )
    return event


_NOTIFY = "ipops_outbox_notify"


@event.listens_for(Session, "after_commit")
def _notify_relay(session: Session) -> None:
    """A session that added outbox rows has committed: NOTIFY the relays (PostgreSQL), after the
    commit and outside it (ipops.events.notify says why); on SQLite wake the relay of this process."""
    if session.info.pop(_NOTIFY, False):
        engine = session.get_bind()
        if isinstance(engine, Engine):
            if engine.dialect.name == "postgresql":
                notify_committed(engine)
            else:
                committed_in_process(engine)


@event.listens_for(Session, "after_rollback")
def _forget_notify(session: Session, *_args: Any) -> None:
    session.info.pop(_NOTIFY, None)
