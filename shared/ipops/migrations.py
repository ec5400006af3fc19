"""Alembic, run in-process: at service start-up and in test fixtures, so tests exercise the real
migrations rather than `create_all`.

Alembic's env.py of each service is async and calls `asyncio.run`, so the upgrade runs in a
worker thread with a loop of its own.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

_MIGRATION_LOCK_KEY = 0x1B0B5_A1E81C


def alembic_config(alembic_ini: Path, url: str) -> Config:
    """The Alembic config of one service, pointed at `url`."""
    cfg = Config(str(alembic_ini))
    cfg.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    # env.py checks this to skip logging.fileConfig, which would replace our JSON logging.
    cfg.attributes["ipops_in_process"] = True
    return cfg


def upgrade_to_head_sync(alembic_ini: Path, url: str) -> None:
    """Apply every migration of one service (blocking)."""
    command.upgrade(alembic_config(alembic_ini, url), "head")


async def upgrade_to_head(alembic_ini: Path, url: str) -> None:
    """Apply every migration of one service."""
    await asyncio.to_thread(upgrade_to_head_sync, alembic_ini, url)


# --- the platform tables every service's first revision creates -------------------------------
# Written out here once rather than four times; like any migration they never change after they
# land: a later change to these tables is a new revision in each service.


def create_platform_tables() -> None:
    """Create outbox, inbox and idempotency tables (call from a service's first revision)."""
    from alembic import op

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_message"),
        sa.UniqueConstraint("event_id", name="uq_outbox_message_event_id"),
    )
    # The relay scans only unpublished rows; a partial index keeps that scan small for years.
    op.create_index(
        "ix_outbox_message_unpublished",
        "outbox_message",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "inbox_entry",
        sa.Column("consumer_group", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer_group", "event_id", name="pk_inbox_entry"),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", "key", name="pk_idempotency_record"),
    )


def drop_platform_tables() -> None:
    """Undo `create_platform_tables`."""
    from alembic import op

    op.drop_table("idempotency_record")
    op.drop_table("inbox_entry")
    op.drop_index("ix_outbox_message_unpublished", table_name="outbox_message")
    op.drop_table("outbox_message")


# --- env.py, shared ------------------------------------------------------------------------------


def run_env(target_metadata: object) -> None:
    """The body of every service's `migrations/env.py`: online (async) or offline (SQL script)."""
    from alembic import context as alembic_context
    from sqlalchemy import pool
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import async_engine_from_config

    from ipops.db import is_sqlite

    config = alembic_context.config
    url = config.get_main_option("sqlalchemy.url") or ""
    if not config.attributes.get("ipops_in_process") and config.config_file_name:
        import logging.config

        logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)
    options: dict[str, Any] = {
        "target_metadata": target_metadata,
        "render_as_batch": is_sqlite(url),  # SQLite alters tables by copying them
        "compare_type": True,
    }

    if alembic_context.is_offline_mode():
        alembic_context.configure(url=url, literal_binds=True, **options)
        with alembic_context.begin_transaction():
            alembic_context.run_migrations()
        return

    def do_run(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            # Replicas starting together must not both migrate: the second waits here, then finds
            # the database at head. A session-level lock, released when the connection closes.
            from sqlalchemy import text

            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            connection.commit()
        alembic_context.configure(connection=connection, **options)
        with alembic_context.begin_transaction():
            alembic_context.run_migrations()

    async def run_async() -> None:
        engine = async_engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


def create_indicator_table() -> None:
    """Create the indicator ledger (`ipops.indicators.ledger.IndicatorContribution`): call from the
    revision that starts a service's (or the gateway's) indicator contributions."""
    from alembic import op

    op.create_table(
        "indicator_contribution",
        sa.Column("indicator", sa.String(64), primary_key=True),
        sa.Column("subject", sa.String(128), primary_key=True),
        sa.Column("owner", sa.String(32), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_indicator_contribution_indicator_year", "indicator_contribution", ["indicator", "start_year"])
