"""The gateway app: `create_app()` for tests and uvicorn, `run()` for the console script.

The gateway is built from the same platform pieces as the services (ServiceRuntime for its
database, migrations and Kafka; ipops.http for problem+json and request ids) and adds its own
parts: upstream routing, token issuing, protection middleware, the public read model, the
dashboard and the merged OpenAPI document.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import IntegrityError

from gateway import __version__, admin_api, clients, health, oauth_api, openapi_docs, public_api
from gateway.config import GatewaySettings
from gateway.identity import make_verifier
from gateway.keys import KeyStore
from gateway.protection import (
    AccessMiddleware,
    BodyLimitMiddleware,
    Policy,
    SecurityHeadersMiddleware,
    VerifierSource,
    security_headers,
)
from gateway.proxy import UpstreamRouter
from gateway.readmodel.manager import ReadModelManager
from gateway.revocation import Revocations
from gateway.upstream import UpstreamPool
from ipops.events.asyncapi import build_asyncapi
from ipops.events.registry import TOPICS
from ipops.http import PROBLEM_RESPONSES, RequestContextMiddleware, install_problem_handlers
from ipops.logging import configure_logging
from ipops.runtime import ServiceDefinition, ServiceRuntime
from ipops.serve import run_service
from ipops.textguard import ControlCharacterGuard

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


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


@dataclass
class _Parts:
    """What the lifespan starts and stops, made before the app so the middleware can refer to it."""

    settings: GatewaySettings
    runtime: ServiceRuntime
    read_model: ReadModelManager
    verifier_source: VerifierSource
    keys: KeyStore | None
    revocations: Revocations


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """The gateway app."""
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    definition = _definition()
    runtime = ServiceRuntime(definition, settings)
    parts = _Parts(
        settings=settings,
        runtime=runtime,
        read_model=ReadModelManager(settings, runtime.sessionmaker),
        verifier_source=VerifierSource(),
        keys=None if settings.uses_external_issuer else _key_store(settings),
        revocations=Revocations(),
    )
    app = FastAPI(
        title="ipops gateway",
        version=__version__,
        description=definition.description,
        lifespan=_lifespan(parts),
        # Every route documents the problem+json errors it can give (the platform's list).
        responses=PROBLEM_RESPONSES,
        # The gateway serves its own merged document and a Swagger UI from local files.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.runtime = runtime
    app.state.read_model = parts.read_model
    app.state.keys = parts.keys
    app.state.revocations = parts.revocations
    install_problem_handlers(app)
    _include_routes(app, settings)
    _add_middleware(app, settings, parts)
    return app


def operation_id(route: APIRoute) -> str:
    """`gateway_<function>` (`gateway_create_client`): short ids, as they become a generated
    client's method names (the public routes are `public_<function>`: see public_api)."""
    return f"gateway_{route.name}"


def _key_store(settings: GatewaySettings) -> KeyStore:
    return KeyStore(
        settings.keys_dir,
        algorithm=settings.signing_algorithm,
        token_ttl=timedelta(seconds=settings.token_ttl_seconds),
    )


def _lifespan(parts: _Parts) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """Start the runtime, the signing keys, token verification, the upstream clients and the
    read model; stop them in reverse."""
    settings = parts.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await parts.runtime.start()
        tasks: list[asyncio.Task[None]] = []
        if parts.keys is not None:
            await _load_keys(parts.keys, settings)
            tasks.append(
                asyncio.create_task(_reload_keys(parts.keys, settings.keys_reload_seconds), name="keys-reload")
            )
        parts.verifier_source.verifier = make_verifier(settings, parts.keys)
        app.state.token_verifier = parts.verifier_source.verifier
        await _bootstrap_operator(parts.runtime, settings)
        # Known before the first request, then followed (gateway/revocation.py).
        await parts.revocations.refresh(parts.runtime.sessionmaker)
        tasks.append(
            asyncio.create_task(
                parts.revocations.follow(parts.runtime.sessionmaker, settings.revocation_refresh_seconds),
                name="revocations",
            )
        )
        app.state.upstreams = UpstreamPool(settings)
        if settings.run_background_tasks:
            await parts.read_model.start()
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await parts.read_model.stop()
            await app.state.public_cache.close()
            await app.state.upstreams.close()
            await parts.runtime.stop()

    return lifespan


async def _load_keys(keys: KeyStore, settings: GatewaySettings) -> None:
    try:
        await asyncio.to_thread(keys.load)
    except OSError as exc:
        raise RuntimeError(
            f"no signing key in {settings.keys_dir} and it cannot be written ({exc.strerror}): make one "
            "with `gateway rotate-keys` where the keys are kept (a Kubernetes Secret, for example)"
        ) from exc


def _include_routes(app: FastAPI, settings: GatewaySettings) -> None:
    """The gateway's own routes, the dashboard and its static files, metrics and the AsyncAPI
    document (everything else is forwarded by UpstreamRouter before routing)."""
    app.include_router(health.router)
    app.include_router(oauth_api.router)
    app.include_router(admin_api.router)
    app.include_router(public_api.router)
    app.include_router(openapi_docs.router)
    app.state.merged_openapi = openapi_docs.MergedOpenAPI()
    app.state.public_cache = public_api.new_cache()

    @app.get("/", include_in_schema=False)
    async def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static/swagger", StaticFiles(directory=openapi_docs.SWAGGER_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    from gateway.readmodel.projector import HANDLERS

    events_document = build_asyncapi(
        title="ipops gateway events",
        version=__version__,
        publishes=(),
        consumes=sorted(HANDLERS),
        bootstrap=settings.kafka_bootstrap_servers,
    )

    @app.get("/asyncapi.json", tags=["operations"], summary="The events the gateway's read model consumes")
    async def asyncapi() -> dict[str, Any]:
        return events_document


def _add_middleware(app: FastAPI, settings: GatewaySettings, parts: _Parts) -> None:
    """Starlette runs the last added outermost: request id, then security headers, CORS, the
    body limit, token verification (and revocation) with rate limits, the public progress
    document answered from memory (public_api.ProgressShortcut), and forwarding to the
    services. Innermost, the control-character guard checks the gateway's own routes (the services
    guard theirs)."""
    app.add_middleware(ControlCharacterGuard)
    app.add_middleware(UpstreamRouter)
    app.add_middleware(public_api.ProgressShortcut)
    app.add_middleware(
        AccessMiddleware,
        verifier_of=parts.verifier_source,
        revocations=parts.revocations,
        client_policy=Policy("client", settings.rate_limit_client_requests, settings.rate_limit_client_window),
        operator_policy=Policy("operator", settings.rate_limit_operator_requests, settings.rate_limit_operator_window),
        anonymous_policy=Policy(
            "anonymous", settings.rate_limit_anonymous_requests, settings.rate_limit_anonymous_window
        ),
        token_policy=Policy("token", settings.rate_limit_token_requests, settings.rate_limit_token_window),
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "RateLimit", "RateLimit-Policy", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, headers=security_headers(hsts_seconds=settings.hsts_seconds))
    app.add_middleware(RequestContextMiddleware, service="gateway")


async def _reload_keys(keys: KeyStore, every: float) -> None:
    """Pick up keys rotated by the CLI or by an updated Secret mount."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(keys.load, create=False)
        except Exception:  # a half-written directory is read again next round
            log.exception("reloading signing keys failed")


async def _bootstrap_operator(runtime: ServiceRuntime, settings: GatewaySettings) -> None:
    client_id = settings.bootstrap_operator_client_id
    secret = settings.bootstrap_operator_client_secret
    if settings.uses_external_issuer or not client_id or not secret:
        return
    try:
        async with runtime.transaction() as session:
            created = await clients.ensure_bootstrap_operator(session, client_id, secret)
    except IntegrityError:
        created = False  # another replica made it at the same moment
    if created:
        log.info("bootstrap operator client created", extra={"client_id": client_id})


def run() -> None:
    """`gateway`: serve on GATEWAY_HOST:GATEWAY_PORT (default 127.0.0.1:8000).
    `gateway rotate-keys`: make a new signing key in GATEWAY_KEYS_DIR; running gateways pick it up
    within `keys_reload_seconds` (the HTTP way is POST /api/v1/gateway/keys/rotation)."""
    import sys

    if len(sys.argv) > 1:
        if sys.argv[1:] == ["rotate-keys"]:
            _rotate_keys()
            return
        sys.stderr.write("usage: gateway [rotate-keys]\n")
        raise SystemExit(2)
    run_service("gateway.main:create_app", env_prefix="GATEWAY", default_port=8000)


def _rotate_keys() -> None:
    import sys

    settings = GatewaySettings()
    keys = _key_store(settings)
    keys.load(create=False)
    key = keys.rotate()
    sys.stdout.write(f"new signing key {key.kid} in {settings.keys_dir}; published keys: ")
    sys.stdout.write(", ".join(k.kid for k in keys.published()) + "\n")
