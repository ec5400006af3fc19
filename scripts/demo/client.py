"""Talking to the gateway: tokens, keyed writes with deterministic Idempotency-Keys, bounded retries.

The HTTP client is aiohttp, as in the gateway: httpx's connection pool scans every connection for
each request, and under the demo's 32 requests in flight that scan was 44 % of the whole
platform's Python CPU time (py-spy, November 2026).

A write answered with `Idempotent-Replayed: true` was made by an earlier run; `Tally` counts those
apart from new writes, so a second run can show it added nothing. A 409 on a write that names an
object by our own id (a bank, a pool, an agency) means the object exists: also "already there".
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

RETRY_STATUSES = frozenset({429, 502, 503, 504})
PATIENCE = 120.0  # seconds a request may wait for a busy platform


class DemoError(Exception):
    """The platform refused something the demo needs; the message says what and why."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PlatformDown(DemoError):
    """The gateway (or a service behind it) does not answer."""


@dataclass
class Tally:
    """What the run did, by kind: `created`, `replayed` (an earlier run made it), `existing` (409)."""

    counts: Counter[str] = field(default_factory=Counter)
    by_path: Counter[str] = field(default_factory=Counter)

    def note(self, kind: str, label: str) -> None:
        self.counts[kind] += 1
        if kind == "created":
            self.by_path[label] += 1


@dataclass(frozen=True)
class Reply:
    """An answer read whole (status, headers, body), so it outlives its connection."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


async def fetch(http: aiohttp.ClientSession, method: str, path: str, **kwargs: Any) -> Reply:
    """One request on the session, read whole; transport failures raise `TRANSPORT_ERRORS`."""
    async with http.request(method, path, **kwargs) as response:
        return Reply(response.status, response.headers, await response.read())


def problem(response: Reply) -> str:
    """A refusal in one line: the problem's title, detail and fields at fault."""
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} {response.text[:300]}"
    if not isinstance(body, dict):
        return f"{response.status_code} {str(body)[:300]}"
    parts = [str(body.get(k)) for k in ("title", "detail") if body.get(k)]
    errors = body.get("errors") or body.get("invalid_params") or body.get("problems") or []
    if errors:
        parts.append(json.dumps(errors, ensure_ascii=False)[:600])
    return f"{response.status_code} " + " - ".join(parts)


class Api:
    """One caller (the operator, a bank, an agency) with its token, sharing one connection pool."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        credentials: tuple[str, str],
        *,
        run: str,
        tally: Tally,
        limit: asyncio.Semaphore,
    ) -> None:
        self.http = http
        self.credentials = credentials
        self.run = run
        self.tally = tally
        self.limit = limit
        self._token: str | None = None
        self._token_lock = asyncio.Lock()  # one token request per caller, not one per waiting write

    async def token(self, *, renew: bool = False, stale: str | None = None) -> str:
        """The caller's bearer token, obtained once; `renew` replaces `stale` (a token refused as
        expired) unless another write has replaced it meanwhile."""
        async with self._token_lock:
            if self._token is None or (renew and self._token == stale):
                response = await self._send(
                    "POST",
                    "/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=aiohttp.BasicAuth(*self.credentials),
                )
                if response.status_code != 200:
                    raise DemoError(f"no token for client {self.credentials[0]!r}: {problem(response)}")
                self._token = str(response.json()["access_token"])
            return self._token

    def key(self, label: str) -> str:
        """The Idempotency-Key of one intended write: the same object in the same run seed, the same key."""
        digest = hashlib.sha256(f"{self.run}|{self.credentials[0]}|{label}".encode()).hexdigest()[:40]
        return f"demo-{digest}"

    async def _send(self, method: str, path: str, **kwargs: Any) -> Reply:
        """One request, sent again while the platform says it is busy or briefly away (429, 502-504,
        a dropped connection) for up to `PATIENCE` seconds: a keyed write sent twice is made once."""
        delay, deadline = 0.2, time.monotonic() + PATIENCE
        while True:
            try:
                async with self.limit:
                    response = await fetch(self.http, method, path, **kwargs)
            except TRANSPORT_ERRORS as exc:
                if time.monotonic() > deadline:
                    raise PlatformDown(f"{method} {path}: the gateway does not answer ({exc!r})") from exc
            else:
                if response.status_code not in RETRY_STATUSES or time.monotonic() > deadline:
                    return response
                if response.status_code == 429:  # up and pacing us: patience counts from here
                    deadline = time.monotonic() + PATIENCE
                delay = max(delay, float(response.headers.get("Retry-After", "0") or 0))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _authorised(self, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> Reply:
        token = await self.token()
        response = await self._send(method, path, headers={**headers, "Authorization": f"Bearer {token}"}, **kwargs)
        if response.status_code == 401:  # the token expired during a long run
            token = await self.token(renew=True, stale=token)
            response = await self._send(method, path, headers={**headers, "Authorization": f"Bearer {token}"}, **kwargs)
        return response

    async def get(self, path: str, **params: Any) -> Any:
        response = await self._authorised("GET", path, {}, params=params)
        if response.status_code != 200:
            raise DemoError(f"GET {path}: {problem(response)}")
        return response.json()

    async def write(
        self,
        method: str,
        path: str,
        label: str,
        body: Any = None,
        *,
        content: bytes | None = None,
        content_type: str | None = None,
        exists: tuple[int, ...] = (),
        count_as: str | None = None,
    ) -> Any:
        """A keyed write; returns the answer's JSON, or None when `exists` names the status it got.
        `count_as` files a write that adds no data (a renewed secret) under its own heading."""
        headers = {"Idempotency-Key": self.key(label)}
        kwargs: dict[str, Any] = {}
        if content is not None:
            headers["Content-Type"] = content_type or "application/octet-stream"
            kwargs["data"] = content
        elif body is not None:
            kwargs["json"] = body
        response = await self._authorised(method, path, headers, **kwargs)
        kind = label.split(":", 1)[0]
        if response.status_code in exists:
            self.tally.note("existing", kind)
            return None
        if response.status_code >= 400:
            raise DemoError(f"{method} {path} ({label}): {problem(response)}", response.status_code)
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        self.tally.note(count_as or ("replayed" if replayed else "created"), kind)
        return response.json() if response.content else None
