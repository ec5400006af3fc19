"""Pledge fixtures: one PostgreSQL database per test module with the real migrations applied, and
an app on it. HTTP tests run without the relay and consumers (no broker needed); the event tests
start them on the real broker through `serve_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from pledge.config import PledgeSettings
from pledge.main import create_app
from tests import testing
from tests.conftest import serve
from tests.pledge.helpers import Api, register_bank


def pledge_settings(url: str, tokens: testing.TokenFactory, kafka: str, **overrides: Any) -> PledgeSettings:
    """Settings for a test app on `url`."""
    values: dict[str, Any] = {
        "database_url": url,
        "kafka_bootstrap_servers": kafka,
        "topic_prefix": testing.unique_name("t") + ".",
        "jwt_public_keys": [tokens.public_pem],
        "jwt_issuer": tokens.issuer,
        "jwt_audience": tokens.audience,
        "environment": "test",
        "run_background_tasks": False,
        "log_level": "WARNING",
        "relay_idle_seconds": 0.02,
        "consumer_backoff_seconds": 0.05,
    }
    values.update(overrides)
    return PledgeSettings(**values)


@pytest.fixture(scope="module")
async def module_pg_url() -> AsyncIterator[str]:
    """A PostgreSQL database shared by the tests of one module (each test uses its own banks)."""
    url = await testing.create_database("pledge_")
    yield url
    await testing.drop_database(url)


@pytest.fixture(scope="module")
async def client(
    module_pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The pledge app on the module's database (migrated at start-up), without background tasks."""
    async with serve(create_app(pledge_settings(module_pg_url, tokens, kafka_bootstrap))) as c:
        yield c


@pytest.fixture
def as_role(client: httpx.AsyncClient, tokens: testing.TokenFactory) -> Callable[..., Api]:
    """`as_role("bank", "bank-a")` gives a client acting as that caller."""
    return lambda role, tenant=None: Api(client, tokens, role, tenant)


@pytest.fixture
def operator(as_role: Callable[..., Api]) -> Api:
    return as_role("operator")


@pytest.fixture
async def bank(operator: Api, as_role: Callable[..., Api]) -> Api:
    """A freshly registered bank."""
    return as_role("bank", await register_bank(operator))
