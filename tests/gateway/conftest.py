"""Fixtures of the gateway tests: the gateway on its own PostgreSQL database, its key store in a
temporary directory, and real upstream apps served by uvicorn on free ports."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from gateway.config import SERVICES, GatewaySettings
from gateway.keys import KeyStore
from gateway.main import create_app
from tests.conftest import serve

OPERATOR_ID = "operator"
OPERATOR_SECRET = "test-operator-secret-0123456789"


def free_port() -> int:
    """A port nothing listens on (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serve_uvicorn(app: Any, port: int = 0) -> AsyncIterator[str]:
    """Run `app` (with its lifespan) under uvicorn on `port` (a free one by default); yields its
    base URL. The same port can be served again after the block (a service restarting)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on", access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(1200):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if task.done():
        await task
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)
        sock.close()


@contextlib.asynccontextmanager
async def hanging_server() -> AsyncIterator[str]:
    """A server that accepts connections and never answers (a stuck service: 504)."""
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        while await reader.read(1024):  # never answers; returns when the caller gives up
            pass

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for w in writers:
            w.close()
        server.close()


@contextlib.asynccontextmanager
async def garbage_server() -> AsyncIterator[str]:
    """A server that answers with something that is not HTTP (a broken service: 502)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.write(b"this is not http\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    """The gateway's key directory, with its first key made (so upstreams can trust it)."""
    directory = tmp_path / "keys"
    KeyStore(directory, token_ttl=timedelta(minutes=10)).load()
    return directory


@pytest.fixture
def gateway_keys(keys_dir: Path) -> KeyStore:
    """A view of the gateway's key store (public keys for upstreams)."""
    store = KeyStore(keys_dir, token_ttl=timedelta(minutes=10))
    store.load(create=False)
    return store


@pytest.fixture
def gateway_settings(settings_for: Callable[..., Any], pg_url: str, keys_dir: Path) -> Callable[..., GatewaySettings]:
    """Settings of a gateway on a fresh database, with the bootstrap operator client; upstreams
    default to closed ports unless given."""

    def build(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "keys_dir": str(keys_dir),
            "jwt_issuer": "ipops-gateway",
            "jwt_public_keys": [],
            "bootstrap_operator_client_id": OPERATOR_ID,
            "bootstrap_operator_client_secret": OPERATOR_SECRET,
            "run_background_tasks": False,
            "upstream_connect_timeout": 1.0,
            "upstream_read_timeout": 1.5,
            "readiness_timeout": 1.5,
        }
        for name in SERVICES:
            values[f"{name}_url"] = f"http://127.0.0.1:{free_port()}"
        values.update(overrides)
        database_url = values.pop("database_url", pg_url)  # SQLite for the embedded-mode variants
        settings: GatewaySettings = settings_for(GatewaySettings, database_url, **values)
        return settings

    return build


@contextlib.asynccontextmanager
async def gateway_client(settings: GatewaySettings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The gateway app with its lifespan, and a client bound to it."""
    app = create_app(settings)
    async with serve(app) as client:
        yield app, client


async def get_token(client: httpx.AsyncClient, client_id: str, secret: str) -> str:
    """A token by client credentials (form fields)."""
    r = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )
    assert r.status_code == 200, r.text
    token: str = r.json()["access_token"]
    return token


async def bearer(client: httpx.AsyncClient, client_id: str, secret: str) -> dict[str, str]:
    """Authorization header for a client."""
    return {"Authorization": f"Bearer {await get_token(client, client_id, secret)}"}


async def make_client(
    client: httpx.AsyncClient, operator: dict[str, str], role: str, tenant: str | None = None
) -> tuple[str, str]:
    """Register a client as the operator; returns (client_id, secret)."""
    body: dict[str, Any] = {"name": f"{role} system", "role": role}
    if tenant:
        body["tenant_id"] = tenant
    r = await client.post("/api/v1/gateway/clients", json=body, headers=operator)
    assert r.status_code == 201, r.text
    return r.json()["client_id"], r.json()["client_secret"]


@pytest.fixture(scope="module")
async def shared_gateway(
    tmp_path_factory: pytest.TempPathFactory, tokens: Any, kafka_bootstrap: str
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, KeyStore]]:
    """One gateway for the tests of a module that only read (token refusals and the like): a
    database and its migrations per test would make the suite several times slower."""
    from tests import testing

    keys_dir = tmp_path_factory.mktemp("shared-keys")
    store = KeyStore(keys_dir, token_ttl=timedelta(minutes=10))
    store.load()
    url = await testing.create_database()
    settings = GatewaySettings(
        database_url=url,
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_prefix=testing.unique_name("t") + ".",
        environment="test",
        log_level="WARNING",
        keys_dir=str(keys_dir),
        bootstrap_operator_client_id=OPERATOR_ID,
        bootstrap_operator_client_secret=OPERATOR_SECRET,
        run_background_tasks=False,
        rate_limit_anonymous_requests=100_000,
        **{f"{name}_url": f"http://127.0.0.1:{free_port()}" for name in SERVICES},
    )
    try:
        async with gateway_client(settings) as (app, client):
            yield app, client, store
    finally:
        await testing.drop_database(url)
