"""Revision 0003 on existing data: pauses recorded with sequential ids get random ones and stay
usable; the downgrade numbers them again and the sequence goes on."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text

from enforcement.main import ALEMBIC_INI
from ipops import db
from ipops.migrations import alembic_config
from tests import testing

CASE = (
    "INSERT INTO enforcement_case (id, case_type, channel, status, title, description, complex, created_by, "
    "received_at, received_date, version) VALUES ('c1', 'patent_mediation', 'ordinary', 'accepted', 't', '', "
    "false, 'operator:x', '2026-01-05 02:00+00', '2026-01-05', 1)"
)
PAUSE = (
    "INSERT INTO case_pause (case_id, clock, started_on, ended_on, reason, recorded_by, recorded_at) "
    "VALUES ('c1', 'handling', :started, :ended, 'r', 'operator:x', :at)"
)


def _pause(started: date, ended: date | None) -> dict[str, object]:
    at = datetime(started.year, started.month, started.day, 2, tzinfo=UTC)
    return {"started": started, "ended": ended, "at": at}


async def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]
    finally:
        await engine.dispose()


async def _execute(url: str, *statements: tuple[str, dict[str, object]]) -> None:
    engine = db.create_engine(url)
    try:
        async with engine.begin() as conn:
            for sql, params in statements:
                await conn.execute(text(sql), params)
    finally:
        await engine.dispose()


async def test_existing_pauses_get_random_ids_and_the_downgrade_numbers_them_again() -> None:
    url = await testing.create_database()
    cfg = alembic_config(ALEMBIC_INI, url)
    try:
        await asyncio.to_thread(command.upgrade, cfg, "0002")
        await _execute(
            url,
            (CASE, {}),
            (PAUSE, _pause(date(2026, 2, 1), date(2026, 2, 3))),
            (PAUSE, _pause(date(2026, 2, 10), None)),
        )
        await asyncio.to_thread(command.upgrade, cfg, "head")
        ids = await _rows(url, "SELECT id, started_on FROM case_pause ORDER BY started_on")
        assert len(ids) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", str(i)) for i, _ in ids)
        assert await _rows(url, "SELECT count(*) FROM indicator_contribution") == [(0,)]  # the recount fills it

        await asyncio.to_thread(command.downgrade, cfg, "0002")
        assert [i for i, _ in await _rows(url, "SELECT id, started_on FROM case_pause ORDER BY started_on")] == [1, 2]
        await _execute(url, (PAUSE, _pause(date(2026, 3, 1), None)))
        assert await _rows(url, "SELECT max(id) FROM case_pause") == [(3,)]
    finally:
        await testing.drop_database(url)
