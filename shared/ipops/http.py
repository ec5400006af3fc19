"""HTTP conventions every ipops app shares: RFC 9457 problem+json for every error, the
`X-Request-ID` middleware with Prometheus timings, and the health, readiness and metrics routes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipops import context
from ipops.errors import DomainError
from ipops.metrics import HTTP_LATENCY, HTTP_REQUESTS
from ipops.openapi_rules import declare_text_rule
from ipops.outages import is_dependency_outage

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


class ProblemFieldError(BaseModel):
    """One input at fault."""

    field: str
    message: str
    type: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, as every ipops error is answered."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[ProblemFieldError] | None = None
    allowed_moves: list[str] | None = None


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "model": Problem, "content": {PROBLEM_JSON: {}}}


# Documented on every route, so clients (and the schema fuzzer) know every status they can get.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_response("Malformed request (invalid JSON, missing Idempotency-Key)"),
    401: _problem_response("No valid bearer token"),
    403: _problem_response("The token's role may not do this"),
    404: _problem_response("Not found (or not visible to this caller)"),
    409: _problem_response("The object's state refuses the request; `allowed_moves` lists what it accepts"),
    413: _problem_response("Body too large"),
    415: _problem_response("Unsupported media type"),
    422: _problem_response("Validation failed; `errors` names each field at fault"),
    429: _problem_response("Rate limited; see Retry-After"),
    503: _problem_response("A dependency is unavailable; retry with the same Idempotency-Key"),
}


def document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document say what the wire says: errors are `application/problem+json`.

    FastAPI files a response `model` under `application/json`; this moves the schema of every
    error response to the problem media type once, when the document is first built."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        # The control-character rule textguard enforces is declared too (declare_text_rule).
        document = declare_text_rule(build())
        for path in document.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status[:1] in "45" and PROBLEM_JSON in content and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def problem(
    status: int,
    *,
    type_slug: str,
    title: str | None = None,
    detail: str | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """An RFC 9457 problem response; `type` is a relative URI under /problems/."""
    body: dict[str, Any] = {
        "type": f"/problems/{type_slug}",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if (rid := context.request_id.get()) is not None:
        body["request_id"] = rid
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic errors as `{field, message, type}`: which field is at fault and why."""
    out = []
    for error in errors:
        message = str(error.get("msg", "invalid"))
        out.append({"field": _field(error.get("loc", ())), "message": message, "type": error.get("type")})
    return out


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem(
        exc.status,
        type_slug=exc.type_slug,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        headers=headers,
        **exc.extensions,
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc.errors())
    if any(e["type"] == "json_invalid" for e in errors):
        return await _malformed_json(request)
    if errors and all(e["field"] == "header.Idempotency-Key" for e in errors):
        # A write without a usable key is a protocol error (400, as documented for every keyed
        # write), whatever else the request gets right.
        return problem(
            400,
            type_slug="bad-request",
            detail="the Idempotency-Key header is required for this write: 1 to 255 visible ASCII characters",
            instance=request.url.path,
            errors=[{"field": "header.Idempotency-Key", "message": e["message"], "type": e["type"]} for e in errors],
        )
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and not _is_json_media(media) and any(e["field"] == "body" for e in errors):
        # FastAPI hands a non-JSON body to the model as bytes and reports a type error; the
        # caller's real mistake is the media type.
        return problem(
            415,
            type_slug="unsupported-media-type",
            detail=f"send the body as application/json, not {media}",
            instance=request.url.path,
            errors=[{"field": "header.Content-Type", "message": f"not accepted: {media}", "type": "media_type"}],
        )
    return problem(
        422,
        type_slug="validation-error",
        detail="the request does not match the schema",
        instance=request.url.path,
        errors=errors,
    )


def _is_json_media(media: str) -> bool:
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def _malformed_json(request: Request) -> JSONResponse:
    """400 naming where the JSON breaks, as line and column of the body."""
    body = await request.body()
    try:
        json.loads(body)
    except ValueError as exc:
        line, column, reason = getattr(exc, "lineno", 1), getattr(exc, "colno", 1), getattr(exc, "msg", str(exc))
    else:  # pragma: no cover - FastAPI said it was not JSON; trust it, without a position
        line, column, reason = 1, 1, "not valid JSON"
    return problem(
        400,
        type_slug="malformed-json",
        detail=f"the request body is not valid JSON: {reason} at line {line}, column {column}",
        instance=request.url.path,
        errors=[{"field": "body", "message": reason, "type": "json_invalid", "line": line, "column": column}],
    )


def operation_id_for(service: str) -> Callable[[APIRoute], str]:
    """OpenAPI operation ids `<service>_<route function>` (`pledge_submit_loan`): short and
    readable, since a generated client turns them into method names."""

    def operation_id(route: APIRoute) -> str:
        return f"{service}_{route.name}"

    return operation_id


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path: Starlette's 405 names only the first route that
    matched the path, while GET and POST of one path are often two routes (RFC 9110 §15.5.6)."""
    # Read from the app's (cached) OpenAPI document: FastAPI nests included routers, so the router's
    # own route list does not hold the operations flat.
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        parts = re.split(r"(\{[^}]+\})", template)
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
        if re.fullmatch(pattern, request.url.path):
            methods.update(method.upper() for method in item if method in _HTTP_METHODS)
    return ", ".join(sorted(methods))


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    return problem(
        exc.status_code,
        type_slug=f"http-{exc.status_code}",
        detail=detail,
        instance=request.url.path,
        headers=headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error, validation and unexpected ones included, as problem+json."""
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    # Unexpected exceptions are answered by RequestContextMiddleware, which still knows the
    # request id (Starlette's outermost error middleware runs after our context is gone).


_INT32 = 2**31 - 1


def is_unrepresentable_input(exc: BaseException) -> bool:
    """True when the database refused a parameter's value as out of its type's range."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, OverflowError):  # SQLite: "Python int too large to convert to SQLite INTEGER"
        return True
    if isinstance(exc, sa_exc.DataError):
        return True
    return isinstance(exc, sa_exc.DBAPIError) and "invalid input for query argument" in str(exc)


def _out_of_range_fields(scope: Scope) -> list[dict[str, str]]:
    """Name the path or query parameters holding integers beyond 32 bits (the likely culprits)."""
    from urllib.parse import parse_qsl

    candidates = [("path", k, str(v)) for k, v in (scope.get("path_params") or {}).items()]
    candidates += [("query", k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))]
    fields = [
        {"field": f"{where}.{name}", "message": "out of range", "type": "out_of_range"}
        for where, name, value in candidates
        if value.lstrip("-").isdigit() and abs(int(value)) > _INT32
    ]
    return fields or [{"field": "unknown", "message": "a value is out of range", "type": "out_of_range"}]


class RequestContextMiddleware:
    """Accepts or generates `X-Request-ID`, echoes it, puts it in the log context, and times the
    request for Prometheus. Pure ASGI: no per-request task or body buffering."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        # (method, route template, status) -> the counter's and the histogram's child: looking a
        # child up by its labels takes a lock and a label check each time, and the set of routes
        # is finite (unmatched paths share one template).
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope.get("method", "")
        template = getattr(scope.get("route"), "path", "unmatched")
        key = (method, template, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                HTTP_REQUESTS.labels(self.service, method, template, str(status)),
                HTTP_LATENCY.labels(self.service, method, template),
            )
        children[0].inc()
        children[1].observe(seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        # 32 random hex digits, as uuid4().hex gave, at a quarter of its cost (no UUID object)
        rid = incoming if incoming and _REQUEST_ID_RE.match(incoming) else os.urandom(16).hex()
        token = context.request_id.set(rid)
        status = 500
        started = time.perf_counter()
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if response_started:
                raise
            await _problem_for(exc, scope)(scope, receive, send_with_id)
        finally:
            self._observe(scope, status, time.perf_counter() - started)
            context.request_id.reset(token)


def _problem_for(exc: Exception, scope: Scope) -> ASGIApp:
    """The answer to an exception no handler took, before any response was started."""
    if is_unrepresentable_input(exc):
        # A value passed validation but does not fit the column (an id beyond int64): the
        # caller's input is at fault, not the service.
        return problem(
            422,
            type_slug="validation-error",
            detail="a value is out of the range this field accepts",
            instance=scope.get("path"),
            errors=_out_of_range_fields(scope),
        )
    if is_dependency_outage(exc):
        # The database (or broker) is down or restarting: a retryable 503, not a bug.
        log.warning("dependency unavailable", extra={"path": scope.get("path"), "error": repr(exc)})
        return problem(
            503,
            type_slug="dependency-unavailable",
            detail="a dependency of this service is unavailable; retry with the same Idempotency-Key",
            instance=scope.get("path"),
            headers={"Retry-After": "2"},
        )
    log.exception("unhandled error", extra={"path": scope.get("path")})
    return problem(
        500,
        type_slug="internal",
        detail="an unexpected error occurred; quote the request id",
        instance=scope.get("path"),
    )
