"""Fixtures of the operations tests: the real app on a fresh PostgreSQL database, with agencies
put in its registry the way the trusteeship events put them (through the handler's use case)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ipops.clock import utc_now
from ipops.runtime import ServiceRuntime
from operations.agencies import service as agencies
from operations.config import OperationsSettings
from operations.main import create_app
from tests import testing


@pytest.fixture
def operations_settings(pg_url: str, settings_for: Callable[..., Any]) -> OperationsSettings:
    """Settings for an app on its own database; no relay, consumers or jobs (HTTP-layer tests)."""
    settings: OperationsSettings = settings_for(OperationsSettings, pg_url, run_background_tasks=False)
    return settings


@pytest.fixture
async def app(operations_settings: OperationsSettings) -> FastAPI:
    return create_app(operations_settings)


@pytest.fixture
async def client(app: FastAPI, serve_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running app (migrations applied)."""
    async with serve_app(app) as c:
        yield c


@pytest.fixture
def runtime(app: FastAPI, client: httpx.AsyncClient) -> ServiceRuntime:
    """The running app's runtime (its database), for seeding and inspecting rows."""
    result: ServiceRuntime = app.state.runtime
    return result


@pytest.fixture
def register_agency(runtime: ServiceRuntime) -> Callable[..., Awaitable[None]]:
    """Put an agency in the followed registry, as `ipops.trusteeship.agency.registered.v1` does."""

    async def register(agency_id: str, name: str | None = None, credit_code: str | None = None) -> None:
        async with runtime.transaction() as session:
            await agencies.follow_agency(session, agency_id, name or f"Agency {agency_id}", credit_code, utc_now())

    return register


@pytest.fixture
def operator(tokens: testing.TokenFactory) -> dict[str, str]:
    """Headers of the district IP office."""
    return tokens.headers("operator")


@pytest.fixture
def agency_a(tokens: testing.TokenFactory) -> dict[str, str]:
    """Headers of agency `agency-a`."""
    return tokens.headers("agency", "agency-a")


@pytest.fixture
def agency_b(tokens: testing.TokenFactory) -> dict[str, str]:
    """Headers of agency `agency-b`."""
    return tokens.headers("agency", "agency-b")
