"""The CloudEvents 1.0 envelope, carried in Kafka binary mode.

Attributes travel as `ce_*` headers and `content-type`; the value is the JSON `data`; the Kafka
key is the aggregate id (`partitionkey`), so one aggregate's events keep their order. The codec is
the `cloudevents` package's; this module adds a typed model and our extensions (`requestid`).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from cloudevents.v1.http import CloudEvent as _SdkEvent
from cloudevents.v1.kafka import KafkaMessage, from_binary, to_binary
from pydantic import BaseModel, Field

SPEC_VERSION = "1.0"
JSON = "application/json"


class CloudEvent(BaseModel):
    """One event as it crosses Kafka."""

    specversion: str = SPEC_VERSION
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: str = JSON
    data: dict[str, Any]
    partitionkey: str
    requestid: str | None = None

    def to_record(self) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
        """(key, value, headers) in binary mode."""
        attributes: dict[str, Any] = {
            "specversion": self.specversion,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": self.time.isoformat(),
            "datacontenttype": self.datacontenttype,
            "partitionkey": self.partitionkey,
        }
        if self.subject is not None:
            attributes["subject"] = self.subject
        if self.requestid is not None:
            attributes["requestid"] = self.requestid
        message = to_binary(
            _SdkEvent(attributes, self.data),
            data_marshaller=lambda d: json.dumps(d, separators=(",", ":"), ensure_ascii=False),
        )
        key = message.key.encode() if isinstance(message.key, str) else (message.key or b"")
        value = message.value.encode() if isinstance(message.value, str) else message.value
        return key, value, list(message.headers.items())

    @classmethod
    def from_record(
        cls, key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]] | tuple[Any, ...]
    ) -> CloudEvent:
        """Decode a binary-mode record; raises ValueError when it is not a valid CloudEvent."""
        if value is None:
            raise ValueError("record has no value")
        try:
            sdk_event = from_binary(
                KafkaMessage(dict(headers), key.decode() if key else None, value),
                data_unmarshaller=json.loads,
            )
            attrs = dict(sdk_event.get_attributes())
            data = sdk_event.get_data()
        except Exception as exc:  # the SDK raises several unrelated types for one cause
            raise ValueError(f"not a binary-mode CloudEvent: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("event data is not a JSON object")
        return cls.model_validate({**attrs, "data": data, "partitionkey": attrs.get("partitionkey") or ""})
