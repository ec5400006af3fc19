"""The navigation revisions go up, down to nothing, and up again, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect

from ipops import db
from ipops.migrations import alembic_config, upgrade_to_head
from navigation.main import ALEMBIC_INI
from navigation.models import table_registry


async def tables(url: str) -> set[str]:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_up_down_up(any_db_url: str) -> None:
    ours = set(table_registry.metadata.tables)
    await upgrade_to_head(ALEMBIC_INI, any_db_url)
    assert ours | {"outbox_message", "inbox_entry", "idempotency_record"} <= await tables(any_db_url)
    await asyncio.to_thread(command.downgrade, alembic_config(ALEMBIC_INI, any_db_url), "base")
    assert await tables(any_db_url) <= {"alembic_version"}
    await upgrade_to_head(ALEMBIC_INI, any_db_url)
    assert ours <= await tables(any_db_url)
