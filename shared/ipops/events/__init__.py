"""Events between services: CloudEvents over Kafka, transactional outbox, idempotent inbox, DLQ."""

from ipops.events.consumer import ConsumerRunner, Handler
from ipops.events.envelope import CloudEvent
from ipops.events.outbox import OutboxMessage, add_to_outbox
from ipops.events.registry import EventPayload, declare_topic, event_type
from ipops.events.relay import OutboxRelay

__all__ = [
    "CloudEvent",
    "ConsumerRunner",
    "EventPayload",
    "Handler",
    "OutboxMessage",
    "OutboxRelay",
    "add_to_outbox",
    "declare_topic",
    "event_type",
]
