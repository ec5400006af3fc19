"""The navigation revisions go up, down to nothing, and up again, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect, text

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


async def test_portfolios_registered_before_statuses_stop_counting_and_come_back_on_downgrade(
    any_db_url: str,
) -> None:
    """Revision 0004: patents without a recorded status are not in-force inventions, so a portfolio
    that qualified by the old count no longer does; the downgrade restores the old count."""
    config = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, config, "0003")
    engine = db.create_engine(any_db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO portfolio (id, credit_code, enterprise_name, name, patent_count, invention_count, "
                    "pct_count, qualified, version, created_at, updated_at) VALUES ('p1', '91110000600037341L', "
                    "'e', 'n', 60, 60, 10, true, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            for i in range(60):
                await conn.execute(
                    text("INSERT INTO portfolio_patent VALUES ('p1', :n, :t, :pct, NULL)"),
                    {"n": f"2018{i:08d}", "t": "invention" if i < 55 else "utility_model", "pct": i < 10},
                )
        await upgrade_to_head(ALEMBIC_INI, any_db_url)
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT invention_count, pct_count, qualified, inventions_listed, inventions_not_in_force "
                        "FROM portfolio"
                    )
                )
            ).one()
        assert tuple(row) == (0, 10, False, 55, 55)
        await asyncio.to_thread(command.downgrade, config, "0003")
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT invention_count, pct_count, qualified FROM portfolio"))).one()
        assert tuple(row) == (55, 10, True)
    finally:
        await engine.dispose()
