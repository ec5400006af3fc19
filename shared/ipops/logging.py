"""JSON logs, one object a line, with the request id and event id of the work in progress."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from ipops import context

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# One encoder for every line: json.dumps with options builds a new JSONEncoder per call.
_ENCODE = json.JSONEncoder(default=str, ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON; `extra={...}` fields become top-level keys."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (rid := context.request_id.get()) is not None:
            entry["request_id"] = rid
        if (eid := context.event_id.get()) is not None:
            entry["event_id"] = eid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith(("_", "color_")):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _ENCODE(entry)


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every logger's output to stdout as JSON lines.

    A line carries no caller, thread or process fields, so records are made without looking
    them up (the logging HOWTO's "Optimization" switches): finding the caller walked the stack
    for every record, a third of what the access log line cost per request."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # aiokafka logs every reconnect attempt at ERROR during a broker outage; the relay and
    # consumer report the outage once themselves.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL if level.upper() != "DEBUG" else logging.DEBUG)
