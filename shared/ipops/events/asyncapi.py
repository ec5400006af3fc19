"""The event catalogue as an AsyncAPI 3.0 document, generated from the registry.

Each service serves the events it publishes (and names those it consumes), so a consumer team
integrates from `/asyncapi.json` without reading our source.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ipops.events.registry import REGISTRY, TOPICS, EventSpec

_CE_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes in Kafka binary mode",
    "required": ["ce_specversion", "ce_id", "ce_source", "ce_type"],
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string", "description": "unique per event; consumers dedupe by it"},
        "ce_source": {"type": "string", "examples": ["/ipops/pledge"]},
        "ce_type": {"type": "string"},
        "ce_subject": {"type": "string", "description": "the aggregate the event is about"},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_requestid": {"type": "string", "description": "X-Request-ID of the originating call"},
        "content-type": {"type": "string", "const": "application/json"},
    },
}


def _message_name(type_: str) -> str:
    return type_.replace(".", "_")


def build_asyncapi(
    *,
    title: str,
    version: str,
    publishes: Iterable[str],
    consumes: Iterable[str] = (),
    bootstrap: str = "127.0.0.1:9092",
) -> dict[str, Any]:
    """An AsyncAPI 3.0 document for a service: publishes/consumes are event type strings."""
    specs: dict[str, tuple[EventSpec, str]] = {}
    for type_ in publishes:
        specs[type_] = (REGISTRY[type_], "send")
    for type_ in consumes:
        specs.setdefault(type_, (REGISTRY[type_], "receive"))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for type_, (spec, action) in sorted(specs.items()):
        name = _message_name(type_)
        schema = spec.model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas[def_name] = definition
        schemas[name] = schema
        messages[name] = {
            "name": type_,
            "title": type_,
            "summary": spec.summary or type_,
            "contentType": "application/json",
            "headers": _CE_HEADERS,
            "payload": {"$ref": f"#/components/schemas/{name}"},
            "bindings": {"kafka": {"key": {"type": "string", "description": "aggregate id"}}},
        }
        channel_id = spec.topic.replace(".", "_")
        channel = channels.setdefault(
            channel_id,
            {
                "address": spec.topic,
                "messages": {},
                "description": f"partitions: {TOPICS[spec.topic].partitions}; dead letters on {spec.topic}.dlq",
            },
        )
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
        op_id = f"{action}_{name}"
        operations[op_id] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": title, "version": version},
        "defaultContentType": "application/json",
        "servers": {"local": {"host": bootstrap, "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
