"""Forwarding `/api/v1/<service>/...` to the service that owns it, path and query unchanged.

Only the headers a service needs cross (an allow-list, so a caller cannot smuggle in
`X-Forwarded-*` or hop-by-hop headers); the request id the gateway settled on goes along, so one
id follows a request through the gateway, the service and the events it causes. A service that
cannot answer is reported as RFC 9457 problem+json naming it, while the others keep serving.
"""

from __future__ import annotations

import math

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from gateway.upstream import UpstreamError, UpstreamPool
from ipops import context
from ipops.errors import NotFound
from ipops.http import problem

router = APIRouter()

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
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]

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


def forwarded_headers(request: Request) -> list[tuple[str, str]]:
    """The request headers that go to the service."""
    out = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in request.scope["headers"]
        if name in FORWARDED_REQUEST_HEADERS
    ]
    rid = context.request_id.get()
    if rid:
        out.append(("x-request-id", rid))
    client = request.client.host if request.client else None
    if client:
        prior = request.headers.get("x-forwarded-for")
        out.append(("x-forwarded-for", f"{prior}, {client}" if prior else client))
    out.append(("x-forwarded-proto", request.url.scheme))
    return out


@router.api_route("/api/v1/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> Response:
    """Pass the request to `service` and its answer back."""
    pool: UpstreamPool = request.app.state.upstreams
    upstream = pool.get(service)
    if upstream is None:
        raise NotFound(f"no service is called {service!r}")
    body = await request.body()
    target = request.scope["raw_path"].decode("latin-1") if request.scope.get("raw_path") else request.url.path
    if request.url.query:
        target += "?" + request.url.query
    idempotent = request.method in IDEMPOTENT_METHODS or "idempotency-key" in request.headers
    try:
        answer = await upstream.request(request.method, target, forwarded_headers(request), body, idempotent=idempotent)
    except UpstreamError as error:
        return upstream_problem(error, request.url.path)
    response = Response(content=answer.body, status_code=answer.status)
    raw = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in answer.headers
        if name.lower() not in DROPPED_RESPONSE_HEADERS
    ]
    if request.method != "HEAD" and answer.status >= 200 and answer.status not in (204, 304):
        raw.append((b"content-length", str(len(answer.body)).encode()))
    response.raw_headers = raw
    return response
