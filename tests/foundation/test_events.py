"""The event guarantees, on real Kafka and on PostgreSQL and SQLite:
a change and its event commit together; a rolled-back change publishes nothing; a relay that dies
between publishing and marking publishes again and the consumer applies the event once; a
redelivered event is applied once; a poison message goes to the DLQ with its reason and the
consumer goes on; one aggregate's events keep their order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from ipops import db, kafka
from ipops.db import platform_registry
from ipops.events import ConsumerRunner, OutboxMessage, OutboxRelay, add_to_outbox, inbox
from ipops.events.envelope import CloudEvent
from ipops.settings import ServiceSettings
from tests.foundation.probe import (
    PROBE_TOPIC,
    ItemRecordedV1,
    ProbeItem,
    effects,
    on_item_recorded,
    probe_registry,
)
from tests.testing import eventually

SOURCE = "/ipops/test"


async def record_item(sm: db.SessionMaker, item_id: str, seq: int, *, fail: bool = False) -> None:
    async with db.transaction(sm) as session:
        session.add(ProbeItem(item_id=item_id, seq=seq))
        add_to_outbox(session, ItemRecordedV1(item_id=item_id, seq=seq, fail=fail), source=SOURCE, key=item_id)


async def read_topic(settings: ServiceSettings, topic: str, expected: int, timeout: float = 20) -> list[Any]:
    """Every record on `topic` (from the start) once at least `expected` arrived."""
    consumer = AIOKafkaConsumer(
        settings.topic(topic),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        async with asyncio.timeout(timeout):
            while len(records) < expected:
                batch = await consumer.getmany(timeout_ms=200)
                for rs in batch.values():
                    records.extend(rs)
        # anything more that is already there (duplicates) shows up too
        batch = await consumer.getmany(timeout_ms=500)
        for rs in batch.values():
            records.extend(rs)
    finally:
        await consumer.stop()
    return records


@contextlib.asynccontextmanager
async def running(*parts: Any) -> AsyncIterator[None]:
    for part in parts:
        await part.start()
    try:
        yield
    finally:
        for part in reversed(parts):
            await part.stop()


async def effects_once(sm: db.SessionMaker, n: int | None = None, timeout: float = 30) -> list[Any]:
    """The probe's effects once there are `n` of them (or any at all, without `n`)."""

    async def applied() -> list[Any] | None:
        async with sm() as session:
            rows = await effects(session)
        return rows if (len(rows) == n if n is not None else rows) else None

    return await eventually(applied, timeout=timeout)


async def count_unpublished(sm: db.SessionMaker) -> int:
    async with sm() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))  # type: ignore[union-attr]
            )
            or 0
        )


class TestOutboxCommitsWithTheChange:
    async def test_committed_change_is_published(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        await record_item(probe_db, "a-1", 1)
        relay = OutboxRelay(probe_settings, probe_db)
        async with running(relay):
            records = await read_topic(probe_settings, PROBE_TOPIC.name, 1)
        event = CloudEvent.from_record(records[0].key, records[0].value, records[0].headers)
        assert event.type == "ipops.testprobe.item.recorded.v1"
        assert event.data == {"item_id": "a-1", "seq": 1, "fail": False}
        assert records[0].key == b"a-1"
        headers = dict(records[0].headers)
        assert headers["ce_specversion"] == b"1.0" and headers["content-type"] == b"application/json"
        assert await count_unpublished(probe_db) == 0

    async def test_rolled_back_change_publishes_nothing(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        with pytest.raises(RuntimeError):
            async with db.transaction(probe_db) as session:
                session.add(ProbeItem(item_id="ghost", seq=1))
                add_to_outbox(session, ItemRecordedV1(item_id="ghost", seq=1), source=SOURCE, key="ghost")
                raise RuntimeError("the use case failed after writing")
        await record_item(probe_db, "real", 2)  # a marker that does get published
        relay = OutboxRelay(probe_settings, probe_db)
        async with running(relay):
            records = await read_topic(probe_settings, PROBE_TOPIC.name, 1)
        keys = [r.key for r in records]
        assert keys == [b"real"]
        async with probe_db() as session:
            assert await session.scalar(select(func.count()).select_from(ProbeItem)) == 1


class TestRelayCrashBetweenPublishAndMark:
    async def test_republished_event_is_applied_once(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        await record_item(probe_db, "k-1", 1)
        relay = OutboxRelay(probe_settings, probe_db)

        # The process "dies" after Kafka acknowledged the batch and before the mark committed:
        # the UPDATE that marks the rows fails once, so the transaction rolls back.
        sync_engine = probe_db.kw["bind"].sync_engine
        crashed = []

        def crash_on_mark(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGE SET PUBLISHED_AT") and not crashed:
                crashed.append(statement)
                raise ConnectionResetError("simulated crash between publish and mark")

        sa_event.listen(sync_engine, "before_cursor_execute", crash_on_mark)
        try:
            with pytest.raises(ConnectionResetError):
                await relay.publish_batch()
        finally:
            sa_event.remove(sync_engine, "before_cursor_execute", crash_on_mark)
        assert crashed and await count_unpublished(probe_db) == 1
        assert await relay.publish_batch() == 1  # published again after the "restart"
        await relay.stop()
        assert await count_unpublished(probe_db) == 0

        records = await read_topic(probe_settings, PROBE_TOPIC.name, 2)
        assert len(records) == 2, "the topic holds the event twice"
        consumer = ConsumerRunner(
            probe_settings, probe_db, group="probe", handlers={ItemRecordedV1.event_type: on_item_recorded}
        )
        async with running(consumer):

            async def applied() -> list[Any]:
                async with probe_db() as session:
                    return await effects(session)

            done = await eventually(applied)
            await asyncio.sleep(1.0)  # give the duplicate every chance to be applied twice
            async with probe_db() as session:
                assert len(await effects(session)) == 1
        assert done[0].item_id == "k-1"


class TestRedelivery:
    async def test_same_event_delivered_twice_is_applied_once(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        event = CloudEvent(
            source=SOURCE, type=ItemRecordedV1.event_type, data={"item_id": "r", "seq": 1}, partitionkey="r"
        )
        key, value, headers = event.to_record()
        producer = AIOKafkaProducer(bootstrap_servers=probe_settings.kafka_bootstrap_servers, enable_idempotence=True)
        await producer.start()
        try:
            for _ in range(3):
                await producer.send_and_wait(
                    probe_settings.topic(PROBE_TOPIC.name), value=value, key=key, headers=headers
                )
            marker = CloudEvent(
                source=SOURCE, type=ItemRecordedV1.event_type, data={"item_id": "r", "seq": 2}, partitionkey="r"
            )
            k2, v2, h2 = marker.to_record()
            await producer.send_and_wait(probe_settings.topic(PROBE_TOPIC.name), value=v2, key=k2, headers=h2)
        finally:
            await producer.stop()
        consumer = ConsumerRunner(
            probe_settings, probe_db, group="probe", handlers={ItemRecordedV1.event_type: on_item_recorded}
        )
        async with running(consumer):

            async def both_applied() -> list[Any] | None:
                async with probe_db() as session:
                    rows = await effects(session)
                return rows if any(r.seq == 2 for r in rows) else None

            rows = await eventually(both_applied)
        assert [r.seq for r in rows] == [1, 2]


class TestDeadLetters:
    async def test_poison_and_failing_records_go_to_the_dlq_and_the_consumer_goes_on(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        topic = probe_settings.topic(PROBE_TOPIC.name)
        producer = AIOKafkaProducer(bootstrap_servers=probe_settings.kafka_bootstrap_servers, enable_idempotence=True)
        await producer.start()
        try:
            # 1: not a CloudEvent at all; 2: valid envelope, data of the wrong shape
            await producer.send_and_wait(topic, value=b"\x00not json", key=b"p", headers=[("x-origin", b"fuzz")])
            bad_shape = CloudEvent(source=SOURCE, type=ItemRecordedV1.event_type, data={"seq": "x"}, partitionkey="p")
            k, v, h = bad_shape.to_record()
            await producer.send_and_wait(topic, value=v, key=k, headers=h)
        finally:
            await producer.stop()
        await record_item(probe_db, "p", 3, fail=True)  # 3: a handler that always fails
        await record_item(probe_db, "p", 4)  # 4: fine, must still be applied
        relay = OutboxRelay(probe_settings, probe_db)
        consumer = ConsumerRunner(
            probe_settings, probe_db, group="probe", handlers={ItemRecordedV1.event_type: on_item_recorded}
        )
        async with running(relay, consumer):
            rows = await effects_once(probe_db)
        assert [r.seq for r in rows] == [4]
        dead = await read_topic(probe_settings, PROBE_TOPIC.dlq.name, 3)
        assert len(dead) == 3
        reasons = [dict(r.headers) for r in dead]
        assert reasons[0]["x-error-type"] == b"PoisonRecord"
        assert reasons[0]["x-origin"] == b"fuzz", "original headers are kept"
        assert dead[0].value == b"\x00not json", "the original value is kept byte for byte"
        assert b"data does not fit" in reasons[1]["x-error-reason"]
        assert reasons[2]["x-error-type"] == b"HandlerFailure"
        assert reasons[2]["x-attempts"] == str(probe_settings.consumer_max_attempts).encode()
        assert all(r["x-original-topic"] == topic.encode() for r in reasons)

    async def test_a_failing_record_in_a_polled_batch_leaves_its_neighbours_applied_once(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Published before the consumer starts, so they arrive in one poll and are first tried in
        # one transaction; record 3 makes that transaction fail, and the records are then applied
        # one by one: 1, 2, 4, 5 exactly once, 3 dead-lettered.
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        for seq in range(1, 6):
            await record_item(probe_db, "batch", seq, fail=seq == 3)
        relay = OutboxRelay(probe_settings, probe_db)
        async with running(relay):
            await eventually(lambda: _none_unpublished(probe_db), timeout=20)
        consumer = ConsumerRunner(
            probe_settings, probe_db, group="probe", handlers={ItemRecordedV1.event_type: on_item_recorded}
        )
        caplog.set_level(logging.INFO, logger="ipops.events.consumer")
        async with running(consumer):
            rows = await effects_once(probe_db, 4)
        assert [r.seq for r in rows] == [1, 2, 4, 5]
        assert any("batch not applied" in r.getMessage() for r in caplog.records), "the batch was tried first"
        dead = await read_topic(probe_settings, PROBE_TOPIC.dlq.name, 1)
        assert [dict(r.headers)["x-error-type"] for r in dead] == [b"HandlerFailure"]


class TestPolledBatches:
    async def test_one_polls_records_of_several_partitions_are_applied_in_one_transaction(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        # Twelve aggregates spread over the topic's partitions, published before the consumer
        # starts: a poll returns several partitions' records, and one transaction applies them.
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        for seq in range(24):
            await record_item(probe_db, f"spread-{seq % 12}", seq)
        async with running(OutboxRelay(probe_settings, probe_db)):
            await eventually(lambda: _none_unpublished(probe_db), timeout=20)
        partition_of = {r.key.decode(): r.partition for r in await read_topic(probe_settings, PROBE_TOPIC.name, 24)}
        partitions_by_session: dict[int, set[int]] = {}

        async def noting(session: Any, event: CloudEvent, payload: ItemRecordedV1) -> None:
            partitions_by_session.setdefault(id(session), set()).add(partition_of[payload.item_id])
            await on_item_recorded(session, event, payload)

        consumer = ConsumerRunner(probe_settings, probe_db, group="probe", handlers={ItemRecordedV1.event_type: noting})
        async with running(consumer):
            rows = await effects_once(probe_db, 24)
        assert sorted(r.seq for r in rows) == list(range(24))
        assert len(set(partition_of.values())) > 1
        assert max(len(p) for p in partitions_by_session.values()) > 1, partitions_by_session


async def _none_unpublished(sm: db.SessionMaker) -> bool | None:
    return True if await count_unpublished(sm) == 0 else None


class TestOrdering:
    async def test_one_aggregates_events_arrive_in_commit_order(
        self, probe_db: db.SessionMaker, probe_settings: ServiceSettings
    ) -> None:
        await kafka.ensure_topics(probe_settings, [PROBE_TOPIC])
        for seq in range(60):
            await record_item(probe_db, f"agg-{seq % 3}", seq)
        relay = OutboxRelay(probe_settings, probe_db)
        consumer = ConsumerRunner(
            probe_settings, probe_db, group="probe", handlers={ItemRecordedV1.event_type: on_item_recorded}
        )
        async with running(relay, consumer):
            rows = await effects_once(probe_db, 60)
        for agg in ("agg-0", "agg-1", "agg-2"):
            seqs = [r.seq for r in rows if r.item_id == agg]
            assert seqs == sorted(seqs) and len(seqs) == 20


class TestInboxClaims:
    async def test_a_batch_claims_only_events_its_group_has_not_applied(self, probe_db: db.SessionMaker) -> None:
        # One statement for a polled batch: an id claimed before, or twice in the batch, is not
        # claimed again; another group's claim of the same id is its own.
        async with db.transaction(probe_db) as session:
            assert await inbox.claim(session, "g", "e1", "t")
        async with db.transaction(probe_db) as session:
            fresh = await inbox.claim_many(session, "g", [("e1", "t"), ("e2", "t"), ("e2", "t"), ("e3", "t")])
        assert fresh == {"e2", "e3"}
        async with db.transaction(probe_db) as session:
            assert await inbox.claim_many(session, "other", [("e1", "t")]) == {"e1"}
            assert await inbox.claim_many(session, "g", [("e3", "t")]) == set()
            assert await inbox.claim_many(session, "g", []) == set()
        async with probe_db() as session:
            rows = (await session.execute(select(inbox.InboxEntry.consumer_group, inbox.InboxEntry.event_id))).all()
        assert sorted(rows) == [("g", "e1"), ("g", "e2"), ("g", "e3"), ("other", "e1")]


class TestRelayWakeUp:
    async def test_a_commit_in_another_process_wakes_a_listening_relay(self, pg_url: str, settings_for: Any) -> None:
        # Polls an hour apart: only the NOTIFY of the commit can make the relay publish the row,
        # which another engine (as another worker or process would) commits.
        settings = await _polling_hourly(settings_for, pg_url)
        engines = [await _migrated(db.create_engine(pg_url)), db.create_engine(pg_url)]
        relay_db, writer_db = (db.make_sessionmaker(e) for e in engines)
        relay = OutboxRelay(settings, relay_db)
        try:
            async with running(relay):
                await eventually(lambda: _true_if(relay.listening))
                await eventually(lambda: _none_unpublished(relay_db))  # the start-up pass
                await record_item(writer_db, "w", 1)
                records = await read_topic(settings, PROBE_TOPIC.name, 1)
                await eventually(lambda: _none_unpublished(relay_db))
        finally:
            for engine in engines:
                await engine.dispose()
        assert CloudEvent.from_record(records[0].key, records[0].value, records[0].headers).data["item_id"] == "w"

    async def test_a_commit_in_its_own_process_wakes_the_relay_of_an_sqlite_database(
        self, sqlite_url: str, settings_for: Any
    ) -> None:
        # SQLite cannot LISTEN; its one process tells its relay of each commit. Polls an hour
        # apart, and rows committed while the relay waits and while it publishes: each is published.
        settings = await _polling_hourly(settings_for, sqlite_url)
        engine = await _migrated(db.create_engine(sqlite_url))
        sm = db.make_sessionmaker(engine)
        relay = OutboxRelay(settings, sm)
        try:
            async with running(relay):
                assert relay.listening
                await eventually(lambda: _none_unpublished(sm))  # the start-up pass
                for seq in range(1, 6):
                    await record_item(sm, f"s{seq}", seq)
                records = await read_topic(settings, PROBE_TOPIC.name, 5)
                await eventually(lambda: _none_unpublished(sm))
            assert not relay.listening
        finally:
            await engine.dispose()
        items = [CloudEvent.from_record(r.key, r.value, r.headers).data["item_id"] for r in records]
        assert sorted(items) == [f"s{seq}" for seq in range(1, 6)]


async def _polling_hourly(settings_for: Any, url: str) -> ServiceSettings:
    """Probe settings whose relay polls an hour apart (only a wake-up can publish in a test), with
    the probe topic made."""
    settings: ServiceSettings = settings_for(
        ServiceSettings, url, service_name="probe", relay_idle_seconds=3600, relay_listening_idle_seconds=3600
    )
    await kafka.ensure_topics(settings, [PROBE_TOPIC])
    return settings


async def _migrated(engine: Any) -> Any:
    """The engine, with the platform's and the probe's tables created in its database."""
    async with engine.begin() as conn:
        await conn.run_sync(platform_registry.metadata.create_all)
        await conn.run_sync(probe_registry.metadata.create_all)
    return engine


async def _true_if(value: bool) -> bool | None:
    return True if value else None
