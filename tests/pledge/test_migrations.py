"""The pledge migrations revert and reapply on PostgreSQL and SQLite; dropping the stored basis
points keeps nothing that cannot be rebuilt from the collateral amounts."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import text

from ipops import db
from ipops.migrations import alembic_config
from pledge.main import ALEMBIC_INI

LOAN_ROW = (
    "INSERT INTO loan (id, bank_id, enterprise_credit_code, principal_fen, outstanding_fen, ip_value_fen, "
    "other_collateral_fen, term_months, status, version, covered, days_past_due, dpd_bucket, submitted_at) "
    "VALUES ('l1', 'b', '911201100000000012', 300, 300, 200000000, 100000000, 12, 'submitted', 1, false, 0, "
    "'current', '2026-11-29 00:00:00+00')"
)


async def _execute(url: str, *statements: str) -> list[object]:
    engine = db.create_engine(url)
    try:
        async with engine.begin() as conn:
            results = [await conn.execute(text(s)) for s in statements]
            return [r.scalar() if r.returns_rows else None for r in results]
    finally:
        await engine.dispose()


async def test_migrations_revert_and_reapply(any_db_url: str) -> None:
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, cfg, "head")
    await _execute(
        any_db_url,
        "INSERT INTO bank (id, name, registered_at) VALUES ('b', 'Bank', '2026-11-29 00:00:00+00')",
        "INSERT INTO enterprise (credit_code, name, created_at) VALUES ('911201100000000012', 'E', "
        "'2026-11-29 00:00:00+00')",
        LOAN_ROW,
    )
    await asyncio.to_thread(command.downgrade, cfg, "0004")
    [bp] = await _execute(any_db_url, "SELECT ip_share_bp FROM loan WHERE id = 'l1'")
    assert bp == 6666  # the floored figure the column held: 2,000,000.00 of 3,000,000.00
    await asyncio.to_thread(command.downgrade, cfg, "base")
    await asyncio.to_thread(command.upgrade, cfg, "head")
