"""Control characters are refused at the door, for every string of every service.

PostgreSQL text cannot hold NUL (asyncpg: "invalid byte sequence for encoding UTF8: 0x00"), and
no field of this platform has a use for the other C0 control characters or DEL; tab, line feed
and carriage return stay allowed (free-text notes have lines). A request carrying one in a JSON
string, a query parameter or the path is answered 422 naming the field (`body.reference`,
`query.q`), before any route runs.

Cheap on the common path: JSON cannot carry a raw control character inside a string (it must be
escaped as `\\u00XX`), so the body is parsed only when its bytes contain such an escape (or a raw DEL); query
strings and paths are scanned after percent-decoding. Uploads (CSV, XLSX, JSON Lines) are not
JSON bodies and are left to their own row validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipops.http import problem

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A forbidden character in JSON text: escaped (\u0000-\u0008, \u000b, \u000c, \u000e-\u001f,
# \u007f), or DEL written raw (JSON requires escaping only below U+0020).
_ESCAPED = re.compile(rb"\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|\x7f")
_MAX_SCANNED_BODY = 16 * 1024 * 1024


def forbidden_strings(value: Any, path: str) -> Iterator[str]:
    """The paths (`body.a.0.b`) of every string in a JSON value holding a forbidden character;
    object keys count as strings too."""
    if isinstance(value, str):
        if _FORBIDDEN.search(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if _FORBIDDEN.search(str(key)):
                yield f"{path}.{key!r}"
            yield from forbidden_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from forbidden_strings(item, f"{path}.{index}")


def _refusal(fields: list[str], scope: Scope) -> ASGIApp:
    return problem(
        422,
        type_slug="validation-error",
        detail="a text field holds a control character (NUL or another C0 character)",
        instance=scope.get("path"),
        errors=[
            {"field": f, "message": "control characters are not allowed", "type": "control_character"} for f in fields
        ],
    )


def _url_fields(scope: Scope) -> list[str]:
    found = []
    if _FORBIDDEN.search(unquote(scope.get("raw_path", b"").decode("latin-1")) or scope.get("path", "")):
        found.append("path")
    query = scope.get("query_string", b"").decode("latin-1")
    if "%" in query:
        found += [
            f"query.{name}" for name, value in parse_qsl(query, keep_blank_values=True) if _FORBIDDEN.search(value)
        ]
    return found


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media = value.decode("latin-1").split(";")[0].strip().lower()
            return media == "application/json" or media.endswith("+json")
    return False


class ControlCharacterGuard:
    """ASGI middleware refusing control characters in JSON bodies, query parameters and paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields = _url_fields(scope)
        if fields:
            await _refusal(fields, scope)(scope, receive, send)
            return
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages, body = await _read(receive)
        fields = _body_fields(body)
        if fields:
            await _refusal(fields, scope)(scope, _replay(messages, receive), send)
            return
        await self.app(scope, _replay(messages, receive), send)


def _body_fields(body: bytes) -> list[str]:
    if len(body) > _MAX_SCANNED_BODY or not _ESCAPED.search(body):
        return []
    try:
        parsed = json.loads(body)
    except ValueError:
        return []  # malformed JSON: the app answers 400 with the position
    return list(forbidden_strings(parsed, "body"))


async def _read(receive: Receive) -> tuple[list[Message], bytes]:
    """Every message of the request body, and the body's bytes."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """The body read already, then whatever the client sends next (its disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
