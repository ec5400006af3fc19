"""Fixtures on the real infrastructure `make test` starts (Kafka on 19092, PostgreSQL)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests import testing


@pytest.fixture(scope="session")
def tokens() -> testing.TokenFactory:
    """Signs tokens the services under test trust."""
    return testing.TokenFactory()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return testing.kafka_bootstrap()


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    url = await testing.create_database()
    yield url
    await testing.drop_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file for one test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture(params=["postgres", "sqlite"])
async def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The same test on PostgreSQL and on SQLite (the embedded mode)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite'}"
        return
    url = await testing.create_database()
    yield url
    await testing.drop_database(url)


@pytest.fixture
def topic_prefix() -> str:
    """A topic and consumer-group prefix no other test uses."""
    return testing.unique_name("t") + "."


@pytest.fixture
def settings_for(kafka_bootstrap: str, topic_prefix: str, tokens: testing.TokenFactory) -> Callable[..., Any]:
    """Build a service's settings for a test: its database, the test broker, a unique prefix."""

    def build(cls: type[Any], database_url: str, **overrides: Any) -> Any:
        values: dict[str, Any] = {
            "database_url": database_url,
            "kafka_bootstrap_servers": kafka_bootstrap,
            "topic_prefix": topic_prefix,
            "jwt_public_keys": [tokens.public_pem],
            "jwt_issuer": tokens.issuer,
            "jwt_audience": tokens.audience,
            "environment": "test",
            "relay_idle_seconds": 0.02,
            "consumer_backoff_seconds": 0.05,
            "log_level": "WARNING",
        }
        values.update(overrides)
        return cls(**values)

    return build


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run an app's lifespan (migrations, relay, consumers) and give a client bound to it."""
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
def serve_app() -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]:
    """`async with serve_app(app) as client:` runs the app for the block."""
    return serve
