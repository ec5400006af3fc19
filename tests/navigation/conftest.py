"""Fixtures of the navigation tests: the real app on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from navigation.config import NavigationSettings
from navigation.main import create_app


@pytest.fixture
def navigation_settings(pg_url: str, settings_for: Callable[..., Any], tmp_path: Path) -> NavigationSettings:
    """Settings for an app on its own database and data directory; no relay or consumers."""
    settings: NavigationSettings = settings_for(
        NavigationSettings, pg_url, run_background_tasks=False, data_dir=tmp_path / "navigation"
    )
    return settings


@pytest.fixture
async def client(navigation_settings: NavigationSettings, serve_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running app (migrations applied)."""
    async with serve_app(create_app(navigation_settings)) as c:
        yield c
