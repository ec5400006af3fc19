"""The same project walk on PostgreSQL and on SQLite (the embedded mode): migrations, gates,
upload, portfolio and statistics."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from navigation.config import NavigationSettings
from navigation.main import create_app
from tests import testing
from tests.navigation.helpers import BASE, key, propose, walk_to_accepted
from tests.navigation.test_api_portfolios import portfolio_body


async def test_walk_on_both_databases(
    any_db_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory, tmp_path: Path
) -> None:
    settings: NavigationSettings = settings_for(
        NavigationSettings, any_db_url, run_background_tasks=False, data_dir=tmp_path / "nav"
    )
    async with serve_app(create_app(settings)) as client:
        project = await propose(client, tokens, "agency-a")
        accepted = await walk_to_accepted(client, tokens, project["id"])
        assert accepted["status"] == "accepted" and accepted["gate"] is None
        org = tokens.headers("agency", "agency-a")
        created = await client.post(f"{BASE}/portfolios", json=portfolio_body(), headers={**org, **key()})
        assert created.json()["qualified"] is True
        stats = (await client.get(f"{BASE}/public/statistics")).json()
        eo = next(k for k in stats["projects"] if k["kind"] == "enterprise_operation")
        assert eo["accepted"] == 1 and eo["progress"] == round(1 / 45, 4)
        assert stats["portfolios"]["qualified"] == 1
        public = (await client.get(f"{BASE}/public/projects")).json()
        assert [p["id"] for p in public["items"]] == [project["id"]]
