"""Values carried through one request or one event's handling: the request id and the event id.

Logs read them from here, and the outbox stamps the request id on every event it writes, so one
id follows a bank's call through every service it touches.
"""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
event_id: ContextVar[str | None] = ContextVar("event_id", default=None)
