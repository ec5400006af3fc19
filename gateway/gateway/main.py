"""The gateway app: `create_app()` for tests and uvicorn, `run()` for the console script.

The gateway is built from the same platform pieces as the services (ServiceRuntime for its
database, migrations and Kafka; ipops.http for problem+json and request ids) and adds its own
parts: upstream routing, token issuing, protection middleware, the public read model, the
dashboard and the merged OpenAPI document.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway import __version__, health, proxy
from gateway.config import GatewaySettings
from gateway.readmodel.manager import ReadModelManager
from gateway.upstream import UpstreamPool
from ipops.events.registry import TOPICS
from ipops.http import RequestContextMiddleware, install_problem_handlers
from ipops.logging import configure_logging
from ipops.runtime import ServiceDefinition, ServiceRuntime

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def _definition() -> ServiceDefinition:
    # The read model consumes every published topic; its consumer is run by ReadModelManager
    # (its group name changes with each rebuild), so none is declared here.
    from gateway.readmodel.projector import HANDLERS
    from ipops.events.registry import spec_for

    topics = sorted({spec.topic for t in HANDLERS if (spec := spec_for(t)) is not None})
    return ServiceDefinition(
        name="gateway",
        title="ipops gateway",
        version=__version__,
        alembic_ini=ALEMBIC_INI,
        routers=[],
        topics=[TOPICS[t] for t in topics],
        description="One front door for banks, agencies, operators and the public web front end.",
    )


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """The gateway app."""
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    runtime = ServiceRuntime(_definition(), settings)
    read_model = ReadModelManager(settings, runtime.sessionmaker)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        app.state.upstreams = UpstreamPool(settings)
        if settings.run_background_tasks:
            await read_model.start()
        try:
            yield
        finally:
            await read_model.stop()
            await app.state.upstreams.close()
            await runtime.stop()

    app = FastAPI(
        title="ipops gateway",
        version=__version__,
        description=_definition().description,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.read_model = read_model
    install_problem_handlers(app)

    app.include_router(health.router)

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    # Last: the catch-all forwarding route must not shadow the gateway's own routes.
    app.include_router(proxy.router)

    app.add_middleware(RequestContextMiddleware, service="gateway")
    return app


def run() -> None:
    """Serve on GATEWAY_HOST:GATEWAY_PORT (default 127.0.0.1:8000)."""
    uvicorn.run(
        "gateway.main:create_app",
        factory=True,
        host=os.environ.get("GATEWAY_HOST", "127.0.0.1"),
        port=int(os.environ.get("GATEWAY_PORT", "8000")),
        log_config=None,
        proxy_headers=True,
    )
