"""The gateway's access log line: one JSON object with the same fields as ever (time, level,
service, logger, message, request id, any extra), now that records are made without caller,
thread and process information (ipops.logging)."""

from __future__ import annotations

import json
import logging
import re

import pytest

from ipops import context
from ipops.logging import configure_logging


def test_access_line_fields(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("gateway", "INFO")
    token = context.request_id.set("req-42")
    try:
        # as uvicorn writes it
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5555", "GET", "/api/v1/public/progress", "1.1", 200
        )
        logging.getLogger("gateway.main").warning("upstream slow", extra={"service_name": "pledge", "ms": 812})
    finally:
        context.request_id.reset(token)
        root.handlers[:], level = saved
        root.setLevel(level)
    access, extra = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert list(access) == ["time", "level", "service", "logger", "message", "request_id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", access["time"])
    assert access["level"] == "info" and access["service"] == "gateway" and access["logger"] == "uvicorn.access"
    assert access["message"] == '127.0.0.1:5555 - "GET /api/v1/public/progress HTTP/1.1" 200'
    assert access["request_id"] == "req-42"
    assert list(extra) == ["time", "level", "service", "logger", "message", "request_id", "service_name", "ms"]
    assert (extra["level"], extra["service_name"], extra["ms"]) == ("warning", "pledge", 812)
