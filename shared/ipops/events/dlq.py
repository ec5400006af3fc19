"""Dead letters: a record that cannot be applied goes to `<topic>.dlq` with its reason.

The original key, value and headers are kept byte for byte, so an operator can fix the cause and
replay the record to its topic; the `x-*` headers say what failed, where it came from and how
many times it was tried. Nothing is dropped silently.
"""

from __future__ import annotations

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from ipops.metrics import EVENTS_DEAD_LETTERED

DLQ_SUFFIX = ".dlq"


def dlq_topic(topic: str) -> str:
    """The dead-letter topic of a (broker-level) topic."""
    return f"{topic}{DLQ_SUFFIX}"


async def dead_letter(
    producer: AIOKafkaProducer,
    record: ConsumerRecord[bytes, bytes],
    *,
    error: BaseException,
    attempts: int,
    service: str,
    group: str,
) -> None:
    """Publish `record` to its DLQ and wait for the broker's acknowledgement."""
    headers = list(record.headers or ())
    headers += [
        ("x-error-reason", str(error)[:4000].encode()),
        ("x-error-type", type(error).__name__.encode()),
        ("x-attempts", str(attempts).encode()),
        ("x-original-topic", record.topic.encode()),
        ("x-original-partition", str(record.partition).encode()),
        ("x-original-offset", str(record.offset).encode()),
        ("x-consumer-group", group.encode()),
    ]
    await producer.send_and_wait(dlq_topic(record.topic), value=record.value, key=record.key, headers=headers)
    EVENTS_DEAD_LETTERED.labels(service, record.topic).inc()
