"""Kafka clients with the settings money needs, and topics declared in code.

aiokafka's defaults are unsafe here: producers are idempotent (which forces acks=all) and
consumers never auto-commit; offsets are committed by the consumer runner after the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from ipops.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    """A logical topic: its name without prefix and its partition count."""

    name: str
    partitions: int = 6
    # Days a record is kept: long enough to rebuild the public read model from the topic.
    retention_days: int = -1

    @property
    def dlq(self) -> TopicSpec:
        """The dead-letter topic of this topic."""
        return TopicSpec(f"{self.name}.dlq", partitions=1, retention_days=self.retention_days)


async def ensure_topics(settings: ServiceSettings, specs: Iterable[TopicSpec]) -> None:
    """Create the topics (and their DLQs) that do not exist yet; existing ones are left as is."""
    wanted: dict[str, TopicSpec] = {}
    for spec in specs:
        wanted[settings.topic(spec.name)] = spec
        wanted[settings.topic(spec.dlq.name)] = spec.dlq
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name,
                num_partitions=spec.partitions,
                replication_factor=settings.kafka_replication_factor or (1 if _single_broker(settings) else 3),
                topic_configs={
                    "retention.ms": str(spec.retention_days * 86_400_000) if spec.retention_days > 0 else "-1",
                },
            )
            for name, spec in wanted.items()
            if name not in existing
        ]
        if missing:
            # another replica may create one between our list and our create
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
            log.info("created topics", extra={"topics": [t.name for t in missing]})
    finally:
        await admin.close()


def _single_broker(settings: ServiceSettings) -> bool:
    return "," not in settings.kafka_bootstrap_servers


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    """An idempotent producer (acks=all): a retried send is never written twice."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_idempotence=True,
        linger_ms=2,
        request_timeout_ms=10_000,
        client_id=f"{settings.service_name}-producer",
    )


def make_consumer(settings: ServiceSettings, group: str, topics: Iterable[str]) -> AIOKafkaConsumer:
    """A consumer that never commits by itself and starts from the beginning of new groups."""
    return AIOKafkaConsumer(
        *[settings.topic(t) for t in topics],
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=settings.group(group),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        client_id=f"{settings.service_name}-{group}",
        session_timeout_ms=10_000,
        heartbeat_interval_ms=1_000,
        metadata_max_age_ms=5_000,
    )


async def ping(settings: ServiceSettings, timeout: float = 3.0) -> None:
    """Raise when the broker does not answer a metadata request within `timeout` seconds."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, request_timeout_ms=int(timeout * 1000)
    )
    try:
        await asyncio.wait_for(admin.start(), timeout)
        await asyncio.wait_for(admin.list_topics(), timeout)
    except (KafkaError, OSError, TimeoutError) as exc:
        raise ConnectionError(f"Kafka unreachable: {exc!r}") from exc
    finally:
        await admin.close()
