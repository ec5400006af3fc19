"""The same case life on PostgreSQL and on SQLite (the embedded mode): migrations, intake,
moves, deadlines, rating and statistics."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from alembic import command
from sqlalchemy import text

from enforcement.config import EnforcementSettings
from enforcement.domain.calendar import load_seed
from enforcement.main import ALEMBIC_INI, create_app
from ipops import db
from ipops.migrations import alembic_config
from tests import testing
from tests.enforcement.helpers import BASE, at, open_case, walk


async def test_case_life_on_both_databases(
    any_db_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
) -> None:
    settings: EnforcementSettings = settings_for(EnforcementSettings, any_db_url, run_background_tasks=False)
    operator = tokens.headers("operator")
    async with serve_app(create_app(settings)) as client:
        case = await open_case(client, operator, case_type="patent_mediation", received_at=at("2026-02-12"))
        assert case["acceptance_due_date"] == "2026-02-26"
        closed = await walk(
            client,
            operator,
            case["id"],
            [
                ("accept", "2026-02-24"),
                ("start_review", "2026-02-25"),
                ("mediate", "2026-04-20"),
                ("close", "2026-04-21"),
            ],
        )
        # two months from Feb 24 is Apr 24 (a Friday)
        assert closed["handling_due_date"] == "2026-04-24" and closed["closed_within_deadline"] is True
        rated = await client.post(f"{BASE}/ratings", json={"token": closed["rating_token"], "score": 85})
        again = await client.post(f"{BASE}/ratings", json={"token": closed["rating_token"], "score": 85})
        assert (rated.status_code, again.status_code) == (201, 409)
        figures = (await client.get(f"{BASE}/statistics/2026", headers=operator)).json()
        assert (figures["cases"], figures["closed_within_deadline"], figures["served_parties_average_rating"]) == (
            1,
            1,
            "85.0",
        )
        # the indicator ledger on either database: the mediation's requester, not the case itself
        assert (figures["enterprises_protected"], figures["administrative_cases"]) == (1, 0)
        overdue = await client.get(f"{BASE}/deadlines/overdue", params={"as_of": "2026-06-01"}, headers=operator)
        assert overdue.json()["items"] == []


async def test_migrations_revert_and_reapply(any_db_url: str) -> None:
    """Every revision downgrades cleanly (the trigger and the seeded calendar included)."""
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    for target in ("head", "base", "head"):
        step = command.upgrade if target == "head" else command.downgrade
        await asyncio.to_thread(step, cfg, target)
    engine = db.create_engine(any_db_url)
    try:
        async with engine.connect() as conn:
            days = await conn.scalar(text("SELECT count(*) FROM calendar_day"))
    finally:
        await engine.dispose()
    assert days == len(load_seed())
