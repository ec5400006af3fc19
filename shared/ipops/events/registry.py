"""The catalogue of event types: every payload model registered with its type string and topic.

Types are explicit, versioned strings (`ipops.pledge.loan.defaulted.v1`), never class names, so a
rename in code cannot break a consumer. The registry decodes incoming events, validates outgoing
ones, and is the source of the AsyncAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from ipops.kafka import TopicSpec


class EventPayload(BaseModel):
    """Base of every event's `data`. Unknown fields are ignored: payloads only ever grow."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str] = ""  # set by @event_type
    topic: ClassVar[str] = ""


@dataclass(frozen=True)
class EventSpec:
    """One registered event type."""

    name: str
    topic: str
    model: type[EventPayload]
    summary: str


REGISTRY: dict[str, EventSpec] = {}
TOPICS: dict[str, TopicSpec] = {}

P = TypeVar("P", bound=type[EventPayload])


def declare_topic(name: str, partitions: int = 6) -> TopicSpec:
    """Declare a topic once, where its events are defined."""
    spec = TOPICS.setdefault(name, TopicSpec(name, partitions))
    if spec.partitions != partitions:
        raise ValueError(f"topic {name} declared twice with different partition counts")
    return spec


def event_type(type_: str, *, topic: TopicSpec) -> Callable[[P], P]:
    """Register a payload model under its versioned type string on `topic`."""
    parts = type_.split(".")
    if len(parts) < 5 or parts[0] != "ipops" or not parts[-1].startswith("v"):
        raise ValueError(f"event type {type_!r} is not ipops.<service>.<entity>.<verb>.v<N>")

    def register(model: P) -> P:
        existing = REGISTRY.get(type_)
        if existing is not None and existing.model is not model:
            raise ValueError(f"event type {type_} registered twice")
        model.event_type = type_
        model.topic = topic.name
        REGISTRY[type_] = EventSpec(type_, topic.name, model, (model.__doc__ or "").strip())
        return model

    return register


def spec_for(type_: str) -> EventSpec | None:
    """The registered spec of a type, None when unknown."""
    return REGISTRY.get(type_)


def decode_data(type_: str, data: Any) -> EventPayload:
    """Validate `data` against the model registered for `type_` (KeyError when unknown)."""
    return REGISTRY[type_].model.model_validate(data)
