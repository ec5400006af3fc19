"""Fixtures of the enforcement tests: the real app on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from enforcement.config import EnforcementSettings
from enforcement.main import create_app
from tests import testing
from tests.conftest import serve


@pytest.fixture
def enforcement_settings(pg_url: str, settings_for: Callable[..., Any]) -> EnforcementSettings:
    """Settings for an app on its own database; no relay, consumers or jobs (HTTP-layer tests)."""
    settings: EnforcementSettings = settings_for(EnforcementSettings, pg_url, run_background_tasks=False)
    return settings


@pytest.fixture
async def client(enforcement_settings: EnforcementSettings, serve_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running app (migrations applied)."""
    async with serve_app(create_app(enforcement_settings)) as c:
        yield c


@pytest.fixture
def operator(tokens: testing.TokenFactory) -> dict[str, str]:
    """Headers of the district IP office."""
    return tokens.headers("operator")


@pytest.fixture(scope="module")
async def shared_database(tokens: testing.TokenFactory) -> AsyncIterator[str]:
    """One database for a whole module whose tests do not depend on each other's rows (migrating
    a fresh database per test costs a second or two on a shared machine)."""
    url = await testing.create_database()
    yield url
    await testing.drop_database(url)


@pytest.fixture(scope="module")
async def shared_client(shared_database: str, tokens: testing.TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    """A client of one app serving a module (HTTP layer only: no relay, consumers or jobs)."""
    settings = EnforcementSettings(
        database_url=shared_database,
        kafka_bootstrap_servers=testing.kafka_bootstrap(),
        topic_prefix=testing.unique_name("t") + ".",
        jwt_public_keys=[tokens.public_pem],
        jwt_issuer=tokens.issuer,
        jwt_audience=tokens.audience,
        environment="test",
        log_level="WARNING",
        run_background_tasks=False,
    )
    async with serve(create_app(settings)) as c:
        yield c
