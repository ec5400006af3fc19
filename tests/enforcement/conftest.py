"""Fixtures of the enforcement tests: the real app on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from enforcement.config import EnforcementSettings
from enforcement.main import create_app
from ipops import testing


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
