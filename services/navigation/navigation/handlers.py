"""What the navigation service does with events it consumes: nothing yet. Navigation is a
producer (projects, portfolios); the dict stays so main.py wires consumers the same way as the
other services once one is needed."""

from __future__ import annotations

from ipops.events.consumer import Handler

HANDLERS: dict[str, Handler] = {}
