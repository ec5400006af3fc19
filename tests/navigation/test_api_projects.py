"""Projects over HTTP on PostgreSQL: proposal, tenancy, moves and the public view."""

from __future__ import annotations

import httpx

from ipops import testing
from tests.navigation.helpers import BASE, propose


class TestSkeleton:
    async def test_health_and_readiness_answer(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/healthz")).json() == {"status": "ok", "service": "navigation"}
        ready = (await client.get("/readyz")).json()
        assert ready["checks"]["database"]["status"] == "up"


class TestProposeProject:
    async def test_an_organisation_proposes_its_own_project(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        project = await propose(client, tokens, "agency-a")
        assert project["undertaking_org_id"] == "agency-a"
        assert project["status"] == "proposed"
        assert project["gbt_part"] == 4
        assert project["budget"] == "300000.00"
        got = await client.get(f"{BASE}/projects/{project['id']}", headers=tokens.headers("agency", "agency-a"))
        assert got.status_code == 200
        assert got.json()["title"] == project["title"]
