"""One OpenAPI document for everything behind the gateway, and the interactive docs.

`/openapi.json` is the gateway's own document with every upstream's `/api/v1/<service>/` paths
merged in. Each upstream's document is fetched (in parallel, with a short timeout) and cached; a
service that is down leaves its paths out and is named under `info.x-ipops-services`, so the
document is always served. Component schemas keep their names unless two services define one
name differently, in which case the later one is renamed `<Service><Name>` (`EnforcementMove`:
no dot, which client generators cannot resolve, and never a name already in use), its title with
it (generators name the class after the title), and its references are rewritten; a schema that
reads alike but refers to a renamed one is renamed too, so it keeps pointing at its own.
`/docs` is Swagger UI from files served by the gateway itself (no CDN), with its start-up script
in a file so the page's CSP needs no inline script.
"""

from __future__ import annotations

import asyncio
import copy
import re
import time
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.config import GatewaySettings
from gateway.upstream import UpstreamError, UpstreamPool
from ipops.http import PROBLEM_JSON
from ipops.openapi_rules import declare_text_rule
from ipops.runtime import ServiceRuntime

router = APIRouter(include_in_schema=False)
SWAGGER_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
CACHE_OK_SECONDS = 60.0
CACHE_DEGRADED_SECONDS = 5.0

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ipops API</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script></body></html>
"""


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
                name = value.rsplit("/", 1)[1]
                out[key] = f"#/components/schemas/{renames.get(name, name)}"
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


GATEWAY_PROBLEMS = {
    "502": "The service gave an invalid answer (from the gateway)",
    "503": "The service cannot be reached or is paused by the gateway's circuit breaker; see Retry-After",
    "504": "The service did not answer in time (from the gateway)",
}


def _problem_media_type(doc: dict[str, Any]) -> None:
    """Error responses are `application/problem+json` on the wire; FastAPI files their schema
    under `application/json` (ipops.http.document_problems does the same for the services). Only
    a Problem moves: `/readyz`'s 503 is its readiness report, sent as `application/json`."""
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in "45" and _is_problem(content.get("application/json")) and PROBLEM_JSON not in content:
                    content[PROBLEM_JSON] = content.pop("application/json")


def _is_problem(media: Any) -> bool:
    return isinstance(media, dict) and media.get("schema", {}).get("$ref", "").endswith("/Problem")


def _gateway_errors(item: dict[str, Any]) -> None:
    """A forwarded route can also get the gateway's own answers for an upstream in trouble."""
    for operation in item.values():
        if not isinstance(operation, dict):
            continue
        responses = operation.setdefault("responses", {})
        for status, description in GATEWAY_PROBLEMS.items():
            responses.setdefault(
                status,
                {
                    "description": description,
                    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
            )


def _pascal(service: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", service) if part)


def _free_name(base: str, taken: set[str]) -> str:
    """`base`, or `base2`, `base3`, ... whichever is not taken."""
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def _renames(service: str, theirs: dict[str, Any], schemas: dict[str, Any]) -> dict[str, str]:
    """New names for the service's schemas that clash with the merged ones: a schema clashes when
    its name is taken by a different schema once its own references are renamed (so this runs
    until nothing new clashes)."""
    renames: dict[str, str] = {}
    taken = set(schemas) | set(theirs)
    while True:
        clashing = sorted(
            name
            for name, schema in theirs.items()
            if name not in renames and name in schemas and schemas[name] != _rewrite_refs(schema, renames)
        )
        if not clashing:
            return renames
        for name in clashing:
            renames[name] = _free_name(f"{_pascal(service)}{name}", taken)
            taken.add(renames[name])


def _renamed(schema: Any, old: str, new: str) -> Any:
    """The schema under its new name: a title that was its old name becomes the new one. Pydantic
    documents a model twice when its input and output differ (`AgreementTerms-Input`,
    `AgreementTerms-Output`) under one title, and generators name their classes after the title:
    each gets a title of its own (`AgreementTermsInput`)."""
    if not isinstance(schema, dict):
        return schema
    base, dash, direction = new.rpartition("-")
    if dash and direction in ("Input", "Output") and schema.get("title") in (old, base, old.rpartition("-")[0]):
        return {**schema, "title": f"{base}{direction}"}
    if schema.get("title") == old:
        return {**schema, "title": new}
    return schema


def merge(own: dict[str, Any], upstream_docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The gateway's document with each upstream's service paths and schemas added."""
    merged = copy.deepcopy(own)
    _problem_media_type(merged)
    paths = merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    security = components.setdefault("securitySchemes", {})
    tags = {t["name"]: t for t in merged.get("tags", [])}
    for service, doc in upstream_docs.items():
        renames = _renames(service, doc.get("components", {}).get("schemas", {}), schemas)
        doc = _rewrite_refs(doc, renames)
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            new = renames.get(name, name)
            schemas.setdefault(new, _renamed(schema, name, new))
        for name, scheme in doc.get("components", {}).get("securitySchemes", {}).items():
            security.setdefault(name, scheme)
        prefix = f"/api/v1/{service}/"
        for path, item in doc.get("paths", {}).items():
            if path.startswith(prefix):
                _gateway_errors(item)
                paths[path] = item
        for tag in doc.get("tags", []):
            tags.setdefault(tag["name"], tag)
    if tags:
        merged["tags"] = list(tags.values())
    # The services' documents declare the control-character rule already; the gateway's own
    # routes get it here (and declaring it twice changes nothing).
    return declare_text_rule(merged)


class MergedOpenAPI:
    """Caches the merged document; refetches sooner while a service is missing from it."""

    def __init__(self) -> None:
        self._doc: dict[str, Any] | None = None
        self._until = 0.0
        self._lock = asyncio.Lock()

    async def get(self, app: FastAPI) -> dict[str, Any]:
        """The merged document (built at most once per cache period)."""
        async with self._lock:
            if self._doc is None or time.monotonic() > self._until:
                self._doc, complete = await self._build(app)
                self._until = time.monotonic() + (CACHE_OK_SECONDS if complete else CACHE_DEGRADED_SECONDS)
            return self._doc

    async def _build(self, app: FastAPI) -> tuple[dict[str, Any], bool]:
        own = get_openapi(
            title="ipops API (gateway and services)",
            version=app.version,
            description=(
                "Every route of the platform, through the gateway at one address. Obtain a token at "
                "`/oauth/token` (client credentials) and send it as `Authorization: Bearer ...`. "
                "Writes by banks and agencies take an `Idempotency-Key` header. Errors are RFC 9457 "
                "problem+json."
            ),
            routes=app.routes,
        )
        pool: UpstreamPool = app.state.upstreams
        runtime: ServiceRuntime = app.state.runtime
        timeout = runtime.settings_as(GatewaySettings).readiness_timeout
        names = list(pool.upstreams)
        results = await asyncio.gather(*(self._fetch(pool, n, timeout) for n in names))
        docs = {n: doc for n, (doc, _) in zip(names, results, strict=True) if doc is not None}
        states = {n: state for n, (_, state) in zip(names, results, strict=True)}
        merged = merge(own, docs)
        merged["info"]["x-ipops-services"] = states
        return merged, all(s == "included" for s in states.values())

    @staticmethod
    async def _fetch(pool: UpstreamPool, name: str, timeout: float) -> tuple[dict[str, Any] | None, str]:
        try:
            status, body = await pool.get_json(name, "/openapi.json", timeout)
        except UpstreamError as exc:
            return None, f"unavailable ({exc.kind})"
        if status != 200 or not isinstance(body, dict):
            return None, f"unavailable (HTTP {status})"
        return body, "included"


@router.get("/openapi.json")
async def openapi_json(request: Request) -> JSONResponse:
    """The merged OpenAPI document."""
    merged: MergedOpenAPI = request.app.state.merged_openapi
    return JSONResponse(await merged.get(request.app))


@router.get("/docs")
async def docs() -> HTMLResponse:
    """Swagger UI on the merged document."""
    return HTMLResponse(DOCS_HTML)
