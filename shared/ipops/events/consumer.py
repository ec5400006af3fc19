"""The consumer runner: applies events to the local database exactly once, in partition order.

For each record: decode the CloudEvent, then in one transaction claim it in the inbox and run the
handler; the offset (`offset + 1`) is committed only after that transaction. A poll's records (of
every partition it returned) are first tried in one transaction (see `_process_poll`), and their
offsets committed in one request. Failures are sorted:
- a record that cannot be decoded, or whose data does not fit its type, goes to the DLQ at once
  (retrying cannot fix it);
- a handler error is retried with back-off up to `consumer_max_attempts`, then dead-lettered, and
  the runner goes on with the next record;
- the database or broker being unreachable is not the record's fault: the runner waits and
  retries without limit, reports not-ready meanwhile, and commits nothing, so nothing is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from aiokafka.structs import ConsumerRecord
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops import context
from ipops.backoff import Backoff
from ipops.db import SessionMaker, transaction
from ipops.events import inbox
from ipops.events.dlq import dead_letter
from ipops.events.envelope import CloudEvent
from ipops.events.registry import EventPayload, decode_data, spec_for
from ipops.kafka import make_consumer, make_producer
from ipops.metrics import EVENTS_HANDLED
from ipops.outages import is_dependency_outage
from ipops.settings import ServiceSettings

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent, Any], Awaitable[None]]


_Item = tuple[ConsumerRecord[bytes, bytes], CloudEvent, EventPayload, Handler]


@contextlib.contextmanager
def _event_context(event: CloudEvent) -> Iterator[None]:
    """Log lines and events written while applying `event` carry its request and event ids."""
    token_req = context.request_id.set(event.requestid)
    token_evt = context.event_id.set(event.id)
    try:
        yield
    finally:
        context.request_id.reset(token_req)
        context.event_id.reset(token_evt)


class PoisonRecord(Exception):
    """The record can never be applied as it is."""


class ConsumerRunner:
    """One consumer group of one service, with its handlers by event type."""

    def __init__(
        self,
        settings: ServiceSettings,
        sessionmaker: SessionMaker,
        *,
        group: str,
        handlers: Mapping[str, Handler],
    ) -> None:
        unknown = [t for t in handlers if spec_for(t) is None]
        if unknown:
            raise ValueError(f"handlers for unregistered event types: {unknown}")
        self._settings = settings
        self._sessionmaker = sessionmaker
        self.group = group
        self._broker_group = settings.group(group)
        self._handlers = dict(handlers)
        self.topics = sorted({spec_for(t).topic for t in handlers})  # type: ignore[union-attr]
        self._consumer: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None
        self._task: asyncio.Task[None] | None = None
        self.healthy = False
        self.last_error: str | None = None

    async def start(self) -> None:
        """Join the group and consume in the background."""
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.group}")

    async def stop(self) -> None:
        """Leave the group; uncommitted records are redelivered to whoever takes the partitions."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._close()

    async def _close(self) -> None:
        consumer, self._consumer = self._consumer, None
        producer, self._producer = self._producer, None
        for client in (consumer, producer):
            if client is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.stop(), 10)

    async def _run(self) -> None:
        backoff = Backoff(first=0.2, cap=5.0)
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.healthy = False
                self.last_error = repr(exc)
                log.warning("consumer failed; restarting", extra={"group": self.group, "error": repr(exc)})
                await self._close()
                await backoff.wait()

    async def _consume(self) -> None:
        self._producer = make_producer(self._settings)
        await self._producer.start()
        self._consumer = make_consumer(self._settings, self.group, self.topics)
        await self._consumer.start()
        self.healthy = True
        while True:
            batches = await self._consumer.getmany(timeout_ms=500, max_records=200)
            if not batches:
                continue
            await self._process_poll(batches)
            # One offset commit for the whole poll: each record's effect is already committed with
            # its inbox row, so a crash before this line only redelivers records the inbox skips.
            await self._commit({tp: records[-1].offset + 1 for tp, records in batches.items()})

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        assert self._consumer is not None
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as exc:
            # The partition moved to another member in a rebalance; it will redeliver from the
            # last committed offset and the inbox skips what we already applied.
            log.info("offset commit refused after rebalance", extra={"group": self.group, "error": repr(exc)})

    async def _process_poll(self, batches: Mapping[TopicPartition, list[ConsumerRecord[bytes, bytes]]]) -> None:
        """Apply one poll's records, each partition's in its order. They are tried in ONE
        transaction (one commit for the poll, whatever partitions it spans, instead of one per
        partition or per event); if any handler fails there, that transaction is rolled back whole
        and the records are applied one by one, each with its retries and its own dead-lettering,
        exactly as if no batch had been tried."""
        items = [
            item
            for records in batches.values()
            for record in records
            if (item := await self._prepare(record)) is not None
        ]
        if len(items) > 1 and await self._apply_batch(items):
            return
        for item in items:
            with _event_context(item[1]):
                await self._apply_with_retries(*item)

    async def _prepare(self, record: ConsumerRecord[bytes, bytes]) -> _Item | None:
        """The record decoded, or None when it was dead-lettered (poison) or is not ours."""
        try:
            event = CloudEvent.from_record(record.key, record.value, record.headers)
        except ValueError as exc:
            await self._dead_letter(record, PoisonRecord(str(exc)), attempts=1)
            return None
        handler = self._handlers.get(event.type)
        if handler is None:
            EVENTS_HANDLED.labels(self._settings.service_name, self.group, "ignored").inc()
            return None  # a topic carries several types; this group handles only some
        try:
            payload = decode_data(event.type, event.data)
        except ValidationError as exc:
            await self._dead_letter(record, PoisonRecord(f"data does not fit {event.type}: {exc}"), attempts=1)
            return None
        return record, event, payload, handler

    async def _apply_batch(self, items: list[_Item]) -> bool:
        """All of `items` in one transaction with their inbox rows; False (nothing applied) when
        any of them fails, so the caller falls back to one transaction per record."""
        outcomes: list[str] = []
        try:
            async with transaction(self._sessionmaker) as session:
                # every inbox row of the batch in one statement; the handlers then run in order
                fresh = await inbox.claim_many(session, self.group, [(e.id, e.type) for _r, e, _p, _h in items])
                for _record, event, payload, handler in items:
                    with _event_context(event):
                        if event.id in fresh:
                            fresh.discard(event.id)  # a repeat later in the batch is a duplicate
                            await handler(session, event, payload)
                            outcomes.append("applied")
                        else:
                            outcomes.append("duplicate")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("batch not applied; applying its records one by one", extra={"error": repr(exc)})
            return False
        for outcome in outcomes:
            EVENTS_HANDLED.labels(self._settings.service_name, self.group, outcome).inc()
        self.healthy = True
        return True

    async def _apply_with_retries(
        self,
        record: ConsumerRecord[bytes, bytes],
        event: CloudEvent,
        payload: EventPayload,
        handler: Handler,
    ) -> None:
        attempt = 0
        outage = Backoff(first=self._settings.consumer_backoff_seconds, cap=5.0)
        while True:
            attempt += 1
            try:
                async with transaction(self._sessionmaker) as session:
                    if await inbox.claim(session, self.group, event.id, event.type):
                        await handler(session, event, payload)
                        outcome = "applied"
                    else:
                        outcome = "duplicate"
                EVENTS_HANDLED.labels(self._settings.service_name, self.group, outcome).inc()
                self.healthy = True
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if is_dependency_outage(exc):
                    self.healthy = False
                    self.last_error = repr(exc)
                    attempt -= 1  # not the record's fault: does not count toward the limit
                    log.warning("database unavailable; will retry", extra={"error": repr(exc)})
                    await outage.wait()
                    continue
                if attempt >= self._settings.consumer_max_attempts:
                    await self._dead_letter(record, exc, attempts=attempt)
                    return
                log.info(
                    "handler failed; retrying", extra={"event_type": event.type, "attempt": attempt, "error": repr(exc)}
                )
                await asyncio.sleep(self._settings.consumer_backoff_seconds * 2 ** (attempt - 1))

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], error: BaseException, *, attempts: int) -> None:
        assert self._producer is not None
        log.error(
            "event dead-lettered",
            extra={"group": self.group, "topic": record.topic, "offset": record.offset, "error": str(error)},
        )
        try:
            await dead_letter(
                self._producer,
                record,
                error=error,
                attempts=attempts,
                service=self._settings.service_name,
                group=self.group,
            )
        except KafkaError:
            raise  # the runner restarts; the offset was not committed, so the record comes back
        EVENTS_HANDLED.labels(self._settings.service_name, self.group, "dead_lettered").inc()
