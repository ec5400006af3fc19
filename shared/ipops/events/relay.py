"""The outbox relay: publishes committed outbox rows to Kafka, in id order, then marks them sent.

Guarantees and their reasons:
- At least once: a row is marked only after Kafka acknowledged it (acks=all, idempotent producer).
  A crash between the acknowledgement and the mark publishes the row again; consumers dedupe by
  event id in their inbox.
- Order per aggregate: one relay at a time per database (a PostgreSQL advisory lock; SQLite has
  one process by construction) publishes rows in id order, and rows of one aggregate share a key
  and so a partition.
- Woken at once: on PostgreSQL it LISTENs on the channel every commit with outbox rows is
  followed by a NOTIFY on (ipops.events.notify), so a commit in another worker or process is published without waiting
  for a poll; the poll stays as a safety net (`relay_listening_idle_seconds`, and the short
  `relay_idle_seconds` while no listening connection is up, after a database restart say).
  On SQLite, whose database one process holds, every commit with outbox rows wakes the relay of
  that process directly; it polls only at the long interval (polling at the short one took 10-16 %
  of each service's CPU during `make demo`, and each poll held SQLite's write lock).
- A stuck producer is replaced: after any Kafka error the producer is closed and a new one built
  (aiokafka #1017: an idempotent producer can stay stuck on OutOfOrderSequenceNumber after a
  broker blip), and `healthy` stays False, which /readyz reports, until a batch goes through.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from sqlalchemy import select, text, update

from ipops.backoff import Backoff
from ipops.db import SessionMaker, dialect_name, transaction
from ipops.events.notify import CHANNEL, on_commit_in_process
from ipops.events.outbox import OutboxMessage
from ipops.kafka import make_producer
from ipops.metrics import EVENTS_PUBLISHED, OUTBOX_PENDING, RELAY_FAILURES
from ipops.settings import ServiceSettings

log = logging.getLogger(__name__)


def dialect_name_of(sessionmaker: SessionMaker) -> str:
    """The dialect of the engine a sessionmaker is bound to."""
    return str(sessionmaker.kw["bind"].dialect.name)


# One advisory-lock key for "the relay of this database"; each service has its own database.
_RELAY_LOCK_KEY = 0x1B0B5_0E1A7


class OutboxRelay:
    """Moves committed outbox rows to Kafka."""

    def __init__(
        self,
        settings: ServiceSettings,
        sessionmaker: SessionMaker,
        *,
        producer_factory: Callable[[ServiceSettings], AIOKafkaProducer] = make_producer,
    ) -> None:
        self._settings = settings
        self._sessionmaker = sessionmaker
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._stop_wakes: Callable[[], None] | None = None
        self.listening = False
        self._stopping = False
        self.healthy = False
        self.last_error: str | None = None

    def wake(self) -> None:
        """Publish now rather than at the next poll (called after a commit that added events)."""
        self._wake.set()

    async def start(self) -> None:
        """Run the relay loop in the background."""
        self._stopping = False
        if dialect_name_of(self._sessionmaker) == "postgresql":
            self._listener = asyncio.create_task(self._listen(), name=f"{self._settings.service_name}-relay-listen")
        else:
            self._stop_wakes = on_commit_in_process(self._sessionmaker.kw["bind"].sync_engine, self.wake)
            self.listening = True
        self._task = asyncio.create_task(self._run(), name=f"{self._settings.service_name}-relay")

    async def stop(self) -> None:
        """Stop the loop and close the producer."""
        self._stopping = True
        if self._stop_wakes is not None:
            self._stop_wakes()
            self._stop_wakes = None
            self.listening = False
        self._wake.set()
        for task in (self._listener, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._listener = None
        await self._close_producer()

    async def _listen(self) -> None:
        """Hold one connection LISTENing on the outbox channel; a notification wakes the loop.
        Reconnects after any failure; meanwhile the loop polls at the short interval."""
        backoff = Backoff(first=0.5, cap=5.0)
        while not self._stopping:
            try:
                await self._listen_once(backoff)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database down: the poll goes on; try again later
                log.info("outbox relay cannot listen; polling", extra={"error": repr(exc)})
            self.listening = False
            await backoff.wait()

    async def _listen_once(self, backoff: Backoff) -> None:
        """Listen until the connection is lost."""
        lost = asyncio.Event()

        def wake(*_args: object) -> None:
            self._wake.set()

        async with self._sessionmaker.kw["bind"].connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            raw.add_termination_listener(lambda *_args: lost.set())
            await raw.add_listener(CHANNEL, wake)
            self.listening = True
            self._wake.set()  # rows committed while nobody listened
            backoff.reset()
            try:
                while not raw.is_closed():  # the termination callback, or a look every few seconds
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), 5)
            finally:
                self.listening = False
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(raw.remove_listener(CHANNEL, wake), 2)

    async def _run(self) -> None:
        backoff = Backoff(first=0.1, cap=5.0)
        while not self._stopping:
            # Cleared before the pass, not after: a commit during the pass wakes the next one.
            self._wake.clear()
            try:
                sent = await self.publish_batch()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker or database down: keep trying, never die
                self.healthy = False
                self.last_error = repr(exc)
                RELAY_FAILURES.labels(self._settings.service_name).inc()
                log.warning("outbox relay failed; retrying", extra={"error": repr(exc), "backoff": backoff.current})
                await self._close_producer()
                await backoff.wait()
                continue
            backoff.reset()
            if sent < self._settings.relay_batch_size:
                # The long safety-net interval only when idle: while rows keep coming the short poll
                # goes on, so a NOTIFY delayed behind a busy writer's pool costs nothing. A wake in
                # this process (SQLite) is never delayed: it waits for the next one.
                settings = self._settings
                quiet = self.listening and (sent == 0 or self._stop_wakes is not None)
                idle = settings.relay_listening_idle_seconds if quiet else settings.relay_idle_seconds
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), idle)

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory(self._settings)
            try:
                await producer.start()
            except BaseException:
                with contextlib.suppress(Exception):
                    await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), 5)

    async def publish_batch(self) -> int:
        """Publish one batch of unpublished rows; returns how many were marked published."""
        async with transaction(self._sessionmaker) as session:
            postgres = dialect_name(session) == "postgresql"
            if postgres:
                got = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _RELAY_LOCK_KEY})
                if not got:
                    self.healthy = True  # another replica's relay is active; that is fine
                    return 0
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))  # type: ignore[union-attr]
                .order_by(OutboxMessage.id)  # type: ignore[arg-type]
                .limit(self._settings.relay_batch_size)
            )
            rows = list((await session.scalars(query)).all())
            if not rows:
                self.healthy = True
                OUTBOX_PENDING.labels(self._settings.service_name).set(0)
                return 0
            OUTBOX_PENDING.labels(self._settings.service_name).set(len(rows))
            producer = await self._ensure_producer()
            futures = [
                await producer.send(
                    self._settings.topic(row.topic),
                    value=row.payload,
                    key=row.key.encode(),
                    headers=[(name, value.encode()) for name, value in row.headers],
                )
                for row in rows
            ]
            results = await asyncio.gather(*futures, return_exceptions=True)
            published: list[int] = []
            failure: BaseException | None = None
            for row, result in zip(rows, results, strict=True):
                if isinstance(result, BaseException):
                    failure = failure or result
                    break  # keep id order: nothing after the first failure is marked
                assert row.id is not None
                published.append(row.id)
                EVENTS_PUBLISHED.labels(self._settings.service_name, row.topic).inc()
            now = datetime.now(UTC)
            if published:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(published))  # type: ignore[union-attr]
                    .values(published_at=now)
                )
            if failure is not None:
                failed_ids = [row.id for row in rows if row.id not in set(published)]
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(failed_ids))  # type: ignore[union-attr]
                    .values(attempts=OutboxMessage.attempts + 1, last_error=repr(failure)[:2000])
                )
        if failure is not None:
            raise failure
        self.healthy = True
        self.last_error = None
        return len(published)
