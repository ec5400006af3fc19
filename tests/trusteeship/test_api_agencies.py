"""Agencies: operators manage them; an agency sees only itself."""

from __future__ import annotations

import json

import httpx

from tests import testing
from tests.trusteeship.helpers import (
    agency_body,
    as_agency,
    as_operator,
    credit_code,
    enterprise_body,
    execute,
    key,
    register_agency,
)
from trusteeship.config import TrusteeshipSettings

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
        # a rule between two fields: the use case's rule-violation, naming the later date (#15)
        assert response.status_code == 422 and response.json()["type"] == "/problems/rule-violation"
        assert response.json()["errors"][0]["field"] == "body.contract_end_date"

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
            headers=as_operator(tokens),
        )
        assert response.status_code == 200, response.text
        assert response.json()["quota"] == 80 and response.json()["contract_end_date"] == "2029-12-31"


async def agency_events(database_url: str) -> list[tuple[str, str, dict[str, object]]]:
    """(type, key, payload) of the agency registry's events in the outbox, oldest first."""
    rows = await execute(
        database_url,
        "SELECT event_type, key, payload FROM outbox_message WHERE topic LIKE '%trusteeship.agency' ORDER BY id",
    )
    return [(t, k, json.loads(bytes(p))) for t, k, p in rows]


class TestOneRegistryOfAgencies:
    """Trusteeship owns the registry of agencies; operations follows it through these events."""

    async def test_registration_and_update_are_announced(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        code = credit_code(777, region="120000")
        await register_agency(client, tokens, "agency-a", credit_code=code.lower())
        changed = await client.patch(
            f"{BASE}/agencies/agency-a", json={"name": "Agency A Ltd"}, headers=as_operator(tokens)
        )
        assert changed.status_code == 200, changed.text
        events = await agency_events(trusteeship_settings.database_url)
        assert [(t, k) for t, k, _ in events] == [
            ("ipops.trusteeship.agency.registered.v1", "agency-a"),
            ("ipops.trusteeship.agency.updated.v1", "agency-a"),
        ]
        registered, updated = events[0][2], events[1][2]
        assert registered["name"] == "Agency agency-a" and registered["credit_code"] == code
        assert registered["has_trusteeship_contract"] is True and registered["registered_at"]
        assert updated["name"] == "Agency A Ltd" and updated["credit_code"] == code and updated["updated_at"]

    async def test_refused_change_announces_nothing(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        await register_agency(client, tokens, "agency-a")
        response = await client.patch(
            f"{BASE}/agencies/agency-a", json={"contract_number": None}, headers=as_operator(tokens)
        )
        assert response.status_code == 422
        assert [t for t, _, _ in await agency_events(trusteeship_settings.database_url)] == [
            "ipops.trusteeship.agency.registered.v1"
        ]

    async def test_agency_without_contract_is_registered_but_cannot_enrol(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        body = {"id": "ops-agency", "name": "Operations Agency", "credit_code": credit_code(778, region="120000")}
        created = await client.post(f"{BASE}/agencies", json=body, headers=as_operator(tokens))
        assert created.status_code == 201, created.text
        assert created.json()["contract_number"] is None and created.json()["quota"] == 0
        events = await agency_events(trusteeship_settings.database_url)
        assert events[0][2]["has_trusteeship_contract"] is False
        enrol = await client.post(
            f"{BASE}/enrolments",
            json={"enterprise": enterprise_body(credit_code(1)), "start_date": "2025-01-02", "reason": "lot 1"},
            headers=as_agency(tokens, "ops-agency"),
        )
        assert enrol.status_code == 422, enrol.text
        assert enrol.json()["errors"][0]["field"] == "body.start_date"
        coverage = await client.get(f"{BASE}/statistics/coverage", headers=tokens.headers("operator"))
        assert coverage.status_code == 200 and coverage.json()["agencies"] == []

    async def test_contract_is_whole_or_absent(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        half = {"id": "agency-h", "name": "Half", "contract_number": "C-9", "quota": 5}
        response = await client.post(f"{BASE}/agencies", json=half, headers=as_operator(tokens))
        assert response.status_code == 422 and response.json()["type"] == "/problems/rule-violation"
        assert response.json()["errors"][0]["field"] == "body.contract_start_date"
        quota_only = {"id": "agency-q", "name": "Quota", "quota": 5}
        response = await client.post(f"{BASE}/agencies", json=quota_only, headers=as_operator(tokens))
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.quota"
        bad_code = {"id": "agency-c", "name": "Code", "credit_code": "91120000000000000X"}
        response = await client.post(f"{BASE}/agencies", json=bad_code, headers=as_operator(tokens))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.credit_code"

    async def test_credit_code_belongs_to_one_agency(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        code = credit_code(779, region="120000")
        await register_agency(client, tokens, "agency-a", credit_code=code)
        await register_agency(client, tokens, "agency-b")
        response = await client.patch(
            f"{BASE}/agencies/agency-b", json={"credit_code": code}, headers=as_operator(tokens)
        )
        assert response.status_code == 409

    async def test_contract_added_later_lets_it_enrol(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        created = await client.post(
            f"{BASE}/agencies", json={"id": "late", "name": "Late"}, headers=as_operator(tokens)
        )
        assert created.status_code == 201
        terms = {k: v for k, v in agency_body("late").items() if k.startswith("contract") or k == "quota"}
        response = await client.patch(f"{BASE}/agencies/late", json=terms, headers=as_operator(tokens))
        assert response.status_code == 200, response.text
        assert response.json()["quota"] == 50
        emptied = await client.patch(f"{BASE}/agencies/late", json={"quota": 0}, headers=as_operator(tokens))
        assert emptied.status_code == 422 and emptied.json()["errors"][0]["field"] == "body.quota"
