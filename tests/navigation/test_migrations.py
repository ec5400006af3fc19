"""The navigation revisions go up, down to nothing, and up again, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import bindparam, inspect, text

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


async def test_revision_0005_dates_what_counted_and_gives_milestones_random_ids(any_db_url: str) -> None:
    """Revision 0005: accepted projects get the Beijing date of their acceptance, qualified
    portfolios the date they first qualified (not-qualified ones no spell), milestones a random id;
    the downgrade numbers the milestones again."""
    config = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, config, "0004")
    engine = db.create_engine(any_db_url)
    # 2020-12-31 17:00 UTC is already 2021-01-01 in Beijing
    late_evening = datetime(2020, 12, 31, 17, tzinfo=UTC)
    at = bindparam("at", type_=db.UtcDateTime())
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO project (id, kind, gbt_part, title, industry, undertaking_org_id, "
                    "undertaking_org_name, budget_fen, start_date, planned_end_date, summary, status, version, "
                    "proposed_at, accepted_at, updated_at) VALUES ('p1', 'industry_planning', 3, 't', 'nev_icv', "
                    "'org', 'org', 1, '2020-01-01', '2020-12-31', '', 'accepted', 1, :at, :at, :at)"
                ).bindparams(at),
                {"at": late_evening},
            )
            for pid, qualified in (("q1", True), ("q2", False)):
                await conn.execute(
                    text(
                        "INSERT INTO portfolio (id, credit_code, enterprise_name, name, patent_count, "
                        "invention_count, pct_count, qualified, first_qualified_at, version, created_at, updated_at) "
                        "VALUES (:id, '91110000600037341L', 'e', 'n', 60, 60, 10, :q, :at, 1, :at, :at)"
                    ).bindparams(at),
                    {"id": pid, "q": qualified, "at": late_evening},
                )
            for due in ("2021-01-01", "2021-02-01"):
                await conn.execute(
                    text(
                        "INSERT INTO project_milestone (project_id, phase, title, due_date, created_at) "
                        "VALUES ('p1', 'preparation', 'm', :due, :at)"
                    ).bindparams(at),
                    {"due": date.fromisoformat(due), "at": late_evening},
                )
        await upgrade_to_head(ALEMBIC_INI, any_db_url)
        async with engine.connect() as conn:
            accepted_on = (await conn.execute(text("SELECT accepted_on FROM project"))).scalar_one()
            spells = (await conn.execute(text("SELECT id, qualified_on FROM portfolio ORDER BY id"))).all()
            ids = (await conn.execute(text("SELECT id FROM project_milestone"))).scalars().all()
        assert str(accepted_on) == "2021-01-01"
        assert [(pid, str(on) if on else None) for pid, on in spells] == [("q1", "2021-01-01"), ("q2", None)]
        assert len(ids) == 2 and all(len(i) == 32 for i in ids)
        await asyncio.to_thread(command.downgrade, config, "0004")
        async with engine.connect() as conn:
            ids = (await conn.execute(text("SELECT id FROM project_milestone ORDER BY id"))).scalars().all()
        assert ids == [1, 2]
    finally:
        await engine.dispose()
