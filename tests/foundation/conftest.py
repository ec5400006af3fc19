"""Fixtures for testing the event machinery on a probe schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from ipops import db
from ipops.db import platform_registry
from ipops.settings import ServiceSettings
from tests.foundation.probe import probe_registry


@pytest.fixture
async def probe_db(any_db_url: str) -> AsyncIterator[db.SessionMaker]:
    """Platform and probe tables on PostgreSQL and on SQLite."""
    engine = db.create_engine(any_db_url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_registry.metadata.create_all)
        await conn.run_sync(probe_registry.metadata.create_all)
    yield db.make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def probe_settings(any_db_url: str, settings_for: Any) -> ServiceSettings:
    settings: ServiceSettings = settings_for(ServiceSettings, any_db_url, service_name="probe")
    return settings
