"""What the trusteeship service does with the events it consumes (each runs behind the inbox)."""

from __future__ import annotations

from ipops.events.consumer import Handler

HANDLERS: dict[str, Handler] = {}
