"""Forwarding `/api/v1/<service>/...` to the service that owns it, path and query unchanged.

Only the headers a service needs cross (an allow-list, so a caller cannot smuggle in
`X-Forwarded-*` or hop-by-hop headers); the request id the gateway settled on goes along, so one
id follows a request through the gateway, the service and the events it causes. A service that
cannot answer is reported as RFC 9457 problem+json naming it, while the others keep serving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.upstream import Upstream, UpstreamError, UpstreamPool
from ipops import context
from ipops.http import problem

PREFIX = "/api/v1/"

FORWARDED_REQUEST_HEADERS = frozenset(
    {
        b"authorization",
        b"idempotency-key",
        b"content-type",
        b"accept",
        b"accept-language",
        b"if-match",
        b"if-none-match",
        b"user-agent",
    }
)
# Hop-by-hop headers (RFC 9110 7.6.1) and those the gateway sets itself.
DROPPED_RESPONSE_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "x-request-id",
        "server",
        "date",
    }
)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_STATUS = {"unavailable": 503, "circuit_open": 503, "timeout": 504, "bad_response": 502}
_DETAIL = {
    "unavailable": "the {service} service cannot be reached; other services are not affected",
    "circuit_open": "the {service} service failed repeatedly and is paused; other services are not affected",
    "timeout": "the {service} service did not answer in time",
    "bad_response": "the {service} service gave an invalid answer",
}


def upstream_problem(error: UpstreamError, path: str) -> JSONResponse:
    """The problem+json for an upstream that could not answer."""
    status = _STATUS[error.kind]
    headers = {}
    if status == 503:
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after or 2)))
    return problem(
        status,
        type_slug=f"upstream-{error.kind.replace('_', '-')}",
        detail=_DETAIL[error.kind].format(service=error.service),
        instance=path,
        headers=headers,
        service=error.service,
    )


def forwarded_headers(scope: Scope) -> list[tuple[str, str]]:
    """The request headers that go to the service."""
    out = []
    prior = None
    for name, value in scope["headers"]:
        if name in FORWARDED_REQUEST_HEADERS:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
        elif name == b"x-forwarded-for":
            prior = value.decode("latin-1")
    rid = context.request_id.get()
    if rid:
        out.append(("x-request-id", rid))
    client = scope.get("client")
    if client:
        out.append(("x-forwarded-for", f"{prior}, {client[0]}" if prior else client[0]))
    out.append(("x-forwarded-proto", scope.get("scheme", "http")))
    return out


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client went away (or was refused) meanwhile: a
    partial body must never reach the service."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


@dataclass(frozen=True)
class ServiceRoute:
    """What the request-metrics middleware reads as the route template of a forwarded request
    (one series per service rather than per raw path, which would be unbounded)."""

    path: str


class UpstreamRouter:
    """Pure ASGI: `/api/v1/<service>/...` of a known upstream is forwarded here, before FastAPI's
    router (whose matching and dependency solving would add a third to the gateway's cost per
    request); everything else goes on to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            service = scope["path"][len(PREFIX) :].split("/", 1)[0]
            pool: UpstreamPool | None = getattr(scope["app"].state, "upstreams", None) if "app" in scope else None
            upstream = pool.get(service) if pool is not None else None
            if upstream is not None:
                scope["route"] = ServiceRoute(f"{PREFIX}{service}/{{path}}")
                await forward(upstream, scope, receive, send)
                return
        await self.app(scope, receive, send)


async def forward(upstream: Upstream, scope: Scope, receive: Receive, send: Send) -> None:
    """Pass the request to the upstream and its answer back."""
    method: str = scope["method"]
    body = await _read_body(receive)
    if body is None:
        return
    raw_path = scope.get("raw_path")
    target = raw_path.decode("latin-1") if raw_path else scope["path"]
    if scope.get("query_string"):
        target += "?" + scope["query_string"].decode("latin-1")
    idempotent = method in IDEMPOTENT_METHODS or any(name == b"idempotency-key" for name, _ in scope["headers"])
    try:
        answer = await upstream.request(method, target, forwarded_headers(scope), body, idempotent=idempotent)
    except UpstreamError as error:
        await upstream_problem(error, scope["path"])(scope, receive, send)
        return
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in answer.headers
        if name.lower() not in DROPPED_RESPONSE_HEADERS
    ]
    if answer.status >= 200 and answer.status not in (204, 304):
        headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else answer.body})
