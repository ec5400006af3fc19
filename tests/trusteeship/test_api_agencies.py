"""Agencies: operators manage them; an agency sees only itself."""

from __future__ import annotations

import httpx

from tests import testing
from tests.trusteeship.helpers import agency_body, key, register_agency

BASE = "/api/v1/trusteeship"


class TestHealth:
    async def test_health_and_readiness(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/healthz")).json() == {"status": "ok", "service": "trusteeship"}
        ready = await client.get("/readyz")
        assert ready.json()["checks"]["database"]["status"] == "up"


class TestRegisterAgency:
    async def test_operator_registers_and_reads_back(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        created = await register_agency(client, tokens, "agency-a", quota=120)
        assert created["quota"] == 120 and created["contract_number"] == "DL-2026-agency-a"
        assert "training" in created["scope"]
        listed = await client.get(f"{BASE}/agencies", headers=tokens.headers("operator"))
        assert [a["id"] for a in listed.json()["items"]] == ["agency-a"]

    async def test_agency_cannot_register(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        response = await client.post(
            f"{BASE}/agencies", json=agency_body("agency-x"), headers={**tokens.headers("agency", "agency-x"), **key()}
        )
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")

    async def test_reversed_period_names_the_field(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        body = agency_body("agency-b", contract_start_date="2026-01-01", contract_end_date="2025-01-01")
        response = await client.post(f"{BASE}/agencies", json=body, headers={**tokens.headers("operator"), **key()})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body"

    async def test_duplicate_contract_is_409(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, "agency-a", contract_number="C-1")
        response = await client.post(
            f"{BASE}/agencies",
            json=agency_body("agency-b", contract_number="C-1"),
            headers={**tokens.headers("operator"), **key()},
        )
        assert response.status_code == 409


class TestAgencyVisibility:
    async def test_agency_sees_only_itself(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, "agency-a")
        await register_agency(client, tokens, "agency-b")
        own = tokens.headers("agency", "agency-a")
        listed = await client.get(f"{BASE}/agencies", headers=own)
        assert [a["id"] for a in listed.json()["items"]] == ["agency-a"]
        assert (await client.get(f"{BASE}/agencies/agency-b", headers=own)).status_code == 404
        assert (await client.get(f"{BASE}/agencies/agency-a", headers=own)).status_code == 200

    async def test_operator_renews_contract(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, "agency-a")
        response = await client.patch(
            f"{BASE}/agencies/agency-a",
            json={"contract_end_date": "2029-12-31", "quota": 80},
            headers=tokens.headers("operator"),
        )
        assert response.status_code == 200, response.text
        assert response.json()["quota"] == 80 and response.json()["contract_end_date"] == "2029-12-31"
