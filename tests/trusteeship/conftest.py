"""Fixtures of the trusteeship tests: the real app on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from ipops import testing
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import create_app


@pytest.fixture
def trusteeship_settings(pg_url: str, settings_for: Callable[..., Any]) -> TrusteeshipSettings:
    """Settings for an app on its own database; no relay, consumers or jobs (HTTP-layer tests)."""
    settings: TrusteeshipSettings = settings_for(TrusteeshipSettings, pg_url, run_background_tasks=False)
    return settings


@pytest.fixture
async def client(trusteeship_settings: TrusteeshipSettings, serve_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running app (migrations applied)."""
    async with serve_app(create_app(trusteeship_settings)) as c:
        yield c


@pytest.fixture
def operator(tokens: testing.TokenFactory) -> dict[str, str]:
    """Headers of the district IP office."""
    return tokens.headers("operator")
