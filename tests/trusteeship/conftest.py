"""Fixtures of the trusteeship tests: the real app on PostgreSQL.

The HTTP-layer tests share one database per session, migrated once by the real Alembic
revisions, and emptied (TRUNCATE) before each test: creating and dropping a database per test
cost about 2.5 s a test on the shared machine. Tests that run the relay, the consumers or the
daily job take a fresh database of their own (`pg_url`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from ipops import db
from ipops.db import platform_registry
from ipops.migrations import upgrade_to_head
from tests import testing
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import ALEMBIC_INI, create_app
from trusteeship.models import table_registry


@pytest.fixture(scope="session")
async def migrated_pg_url() -> AsyncIterator[str]:
    """One PostgreSQL database for the session, at the head revision."""
    url = await testing.create_database("t_trusteeship_")
    await upgrade_to_head(ALEMBIC_INI, url)
    yield url
    await testing.drop_database(url)


@pytest.fixture
async def clean_pg_url(migrated_pg_url: str) -> str:
    """The session database, emptied of every row (sequences restarted)."""
    tables = [t.name for t in table_registry.metadata.sorted_tables] + [
        t.name for t in platform_registry.metadata.sorted_tables
    ]
    engine = db.create_engine(migrated_pg_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
    return migrated_pg_url


@pytest.fixture
def trusteeship_settings(clean_pg_url: str, settings_for: Callable[..., Any]) -> TrusteeshipSettings:
    """Settings for an app on the clean database; no relay, consumers or jobs (HTTP-layer tests)."""
    settings: TrusteeshipSettings = settings_for(
        TrusteeshipSettings, clean_pg_url, run_background_tasks=False, migrate_on_startup=False
    )
    return settings


@pytest.fixture
async def client(trusteeship_settings: TrusteeshipSettings, serve_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running app."""
    async with serve_app(create_app(trusteeship_settings)) as c:
        yield c


@pytest.fixture
def operator(tokens: testing.TokenFactory) -> dict[str, str]:
    """Headers of the district IP office."""
    return tokens.headers("operator")
