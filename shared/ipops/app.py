"""The app factory every service uses: one place that wires logging, problem+json, request ids,
health/readiness/metrics, the AsyncAPI catalogue, token verification and the lifespan."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from ipops.auth import TokenVerifier
from ipops.events.asyncapi import build_asyncapi
from ipops.http import (
    PROBLEM_RESPONSES,
    RequestContextMiddleware,
    document_problems,
    install_problem_handlers,
    operation_id_for,
)
from ipops.logging import configure_logging
from ipops.runtime import ServiceDefinition, ServiceRuntime
from ipops.settings import ServiceSettings
from ipops.textguard import ControlCharacterGuard


class ReadinessReport(BaseModel):
    """A service's readiness: `ready` when every dependency is up; `checks` names each one's state."""

    service: str
    status: Literal["ready", "not_ready"]
    checks: dict[str, dict[str, Any]]


def create_service_app(definition: ServiceDefinition, settings: ServiceSettings) -> FastAPI:
    """A FastAPI app for `definition`, configured by `settings`."""
    configure_logging(definition.name, settings.log_level)
    runtime = ServiceRuntime(definition, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        # Build the OpenAPI document before the first request: it takes a CPU-bound half second,
        # and the gateway fetches it with a short timeout when it merges the documents.
        app.openapi()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=definition.title,
        version=definition.version,
        description=definition.description,
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
        generate_unique_id_function=operation_id_for(definition.name),
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(settings)
    install_problem_handlers(app)
    document_problems(app)
    app.add_middleware(ControlCharacterGuard)
    app.add_middleware(RequestContextMiddleware, service=definition.name)

    _add_operational_routes(app, definition, settings, runtime)
    for router in definition.routers:
        app.include_router(router)
    return app


def _add_operational_routes(
    app: FastAPI, definition: ServiceDefinition, settings: ServiceSettings, runtime: ServiceRuntime
) -> None:
    """Liveness, readiness, metrics and the AsyncAPI catalogue: the same on every service."""
    consumed = sorted({t for handlers in definition.consumers.values() for t in handlers})
    asyncapi = build_asyncapi(
        title=f"{definition.title} events",
        version=definition.version,
        publishes=definition.publishes,
        consumes=consumed,
        bootstrap=settings.kafka_bootstrap_servers,
    )

    @app.get("/healthz", tags=["operations"], summary="Liveness: the process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": definition.name}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="Readiness: database and Kafka reachable",
        response_model=ReadinessReport,
        # the report itself, not a problem: a probe reads which dependency is down
        responses={503: {"model": ReadinessReport, "description": "not ready: `checks` names what is down"}},
    )
    async def readyz() -> JSONResponse:
        report = await runtime.readiness()
        return JSONResponse(report, status_code=200 if report["status"] == "ready" else 503)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get(
        "/asyncapi.json", tags=["operations"], summary="The events this service publishes and consumes (AsyncAPI 3.0)"
    )
    async def asyncapi_document() -> dict[str, Any]:
        return asyncapi
