"""Enrolments, transfers, exits and tenant isolation over HTTP, on PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx

from tests import testing
from tests.trusteeship.helpers import (
    BASE,
    as_agency,
    as_operator,
    credit_code,
    enrol,
    enterprise_body,
    outbox_types,
    register_agency,
)
from trusteeship.config import TrusteeshipSettings

A, B = "agency-a", "agency-b"


class TestEnrol:
    async def test_agency_enrols_and_sees_the_enterprise(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        code = credit_code(1)
        enrolment = await enrol(client, tokens, A, code)
        assert enrolment["status"] == "active" and enrolment["agency_id"] == A
        profile = await client.get(f"{BASE}/enterprises/{code}", headers=as_agency(tokens, A, keyed=False))
        assert profile.status_code == 200
        assert profile.json()["enterprise"]["current_agency_id"] == A
        assert [e["id"] for e in profile.json()["enrolments"]] == [enrolment["id"]]

    async def test_invalid_credit_code_names_the_field(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        bad = credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1")
        response = await client.post(
            f"{BASE}/enrolments",
            json={"enterprise": enterprise_body(bad), "start_date": "2025-01-02", "reason": "x"},
            headers=as_agency(tokens, A),
        )
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "body.enterprise.credit_code"

    async def test_one_agency_at_a_time(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        code = credit_code(3)
        await enrol(client, tokens, A, code)
        await enrol(client, tokens, B, code, expect=409)

    async def test_quota_is_enforced(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A, quota=1)
        await enrol(client, tokens, A, credit_code(4))
        refused = await enrol(client, tokens, A, credit_code(5), expect=422)
        assert refused["errors"][0]["field"] == "body.agency_id"

    async def test_start_outside_contract_period(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A, contract_start_date="2024-01-01")
        refused = await enrol(client, tokens, A, credit_code(6), start_date="2023-12-31", expect=422)
        assert refused["errors"][0]["field"] == "body.start_date"

    async def test_replayed_key_returns_the_first_answer(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        headers = as_agency(tokens, A)
        body = {"enterprise": enterprise_body(credit_code(7)), "start_date": "2025-01-02", "reason": "lot 1"}
        first = await client.post(f"{BASE}/enrolments", json=body, headers=headers)
        again = await client.post(f"{BASE}/enrolments", json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
        listed = await client.get(f"{BASE}/enrolments", headers=as_operator(tokens, keyed=False))
        assert listed.json()["total"] == 1

    async def test_operator_must_name_the_agency(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A)
        body = {"enterprise": enterprise_body(credit_code(8)), "start_date": "2025-01-02", "reason": "lot 1"}
        response = await client.post(f"{BASE}/enrolments", json=body, headers=as_operator(tokens))
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.agency_id"
        body["agency_id"] = A
        response = await client.post(f"{BASE}/enrolments", json=body, headers=as_operator(tokens))
        assert response.status_code == 201 and response.json()["agency_id"] == A


class TestTenantIsolation:
    async def test_agency_b_cannot_see_agency_a_enterprises(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        code = credit_code(10)
        await enrol(client, tokens, A, code)
        await enrol(client, tokens, B, credit_code(11))
        b = as_agency(tokens, B, keyed=False)
        assert (await client.get(f"{BASE}/enterprises/{code}", headers=b)).status_code == 404
        assert (await client.get(f"{BASE}/enterprises/{code}/docket", headers=b)).status_code == 404
        listed = await client.get(f"{BASE}/enterprises", headers=b)
        assert [e["credit_code"] for e in listed.json()["items"]] == [credit_code(11)]
        patch = await client.patch(f"{BASE}/enterprises/{code}", json={"name": "taken"}, headers=as_agency(tokens, B))
        assert patch.status_code == 404
        patent = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={"number": "202010123456.2", "title": "x", "filing_date": "2020-03-01"},
            headers=as_agency(tokens, B),
        )
        assert patent.status_code == 404
        enrolments = await client.get(f"{BASE}/enrolments", headers=b)
        assert {e["credit_code"] for e in enrolments.json()["items"]} == {credit_code(11)}
        # the operator sees both
        everyone = await client.get(f"{BASE}/enterprises", headers=as_operator(tokens, keyed=False))
        assert everyone.json()["total"] == 2


class TestTransferAndExit:
    async def test_transfer_keeps_history_and_moves_access(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        code = credit_code(20)
        first = await enrol(client, tokens, A, code)
        moved = await client.post(
            f"{BASE}/enrolments/{first['id']}/transfer",
            json={"to_agency_id": B, "transfer_date": "2025-07-01", "reason": "agency A's lot reassigned"},
            headers=as_operator(tokens),
        )
        assert moved.status_code == 200, moved.text
        ended, started = moved.json()["ended"], moved.json()["started"]
        assert ended["status"] == "transferred" and ended["end_date"] == "2025-07-01"
        assert ended["transferred_to_enrolment_id"] == started["id"]
        assert started["agency_id"] == B and started["start_date"] == "2025-07-01"

        # A held it: may still read it, may no longer change it; B now may
        a_read = await client.get(f"{BASE}/enterprises/{code}", headers=as_agency(tokens, A, keyed=False))
        assert a_read.status_code == 200 and len(a_read.json()["enrolments"]) == 2
        a_write = await client.patch(f"{BASE}/enterprises/{code}", json={"name": "x"}, headers=as_agency(tokens, A))
        assert a_write.status_code == 403
        b_write = await client.patch(
            f"{BASE}/enterprises/{code}", json={"gbt29490_certified_date": "2025-09-01"}, headers=as_agency(tokens, B)
        )
        assert b_write.status_code == 200 and b_write.json()["current_agency_id"] == B

        coverage = (await client.get(f"{BASE}/statistics/coverage", headers=as_operator(tokens, keyed=False))).json()
        assert coverage["covered"] == 1 and coverage["active"] == 1 and coverage["target"] == 1000
        per_agency = {a["agency_id"]: a for a in coverage["agencies"]}
        assert per_agency[A]["covered_ever"] == 1 and per_agency[A]["active"] == 0
        assert per_agency[B]["active"] == 1
        certs = (await client.get(f"{BASE}/statistics/certifications", headers=as_operator(tokens, keyed=False))).json()
        assert certs == {"certified": 1, "target": 300, "progress_percent": "0.33", "by_year": {"2025": 1}}

    async def test_exit_then_no_second_exit(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A)
        code = credit_code(21)
        row = await enrol(client, tokens, A, code)
        out = await client.post(
            f"{BASE}/enrolments/{row['id']}/exit",
            json={"end_date": "2025-12-31", "reason": "enterprise moved out of the district"},
            headers=as_agency(tokens, A),
        )
        assert out.status_code == 200 and out.json()["status"] == "exited"
        again = await client.post(
            f"{BASE}/enrolments/{row['id']}/exit",
            json={"end_date": "2025-12-31", "reason": "again"},
            headers=as_agency(tokens, A),
        )
        assert again.status_code == 409 and again.json()["allowed_moves"] == []
        # no overlap with the history: a new enrolment cannot start before the last one ended
        overlap = await enrol(client, tokens, A, code, start_date="2025-12-30", expect=422)
        assert overlap["errors"][0]["field"] == "body.start_date"
        # still covered, and it can be enrolled again (by anyone) without counting twice
        await enrol(client, tokens, A, code, start_date="2026-01-05")
        coverage = (await client.get(f"{BASE}/statistics/coverage", headers=as_operator(tokens, keyed=False))).json()
        assert coverage["covered"] == 1

    async def test_agency_cannot_transfer(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        row = await enrol(client, tokens, A, credit_code(22))
        response = await client.post(
            f"{BASE}/enrolments/{row['id']}/transfer",
            json={"to_agency_id": B, "transfer_date": "2025-07-01", "reason": "x"},
            headers=as_agency(tokens, A),
        )
        assert response.status_code == 403


class TestAtomicity:
    async def test_refused_enrolment_leaves_no_enterprise_and_no_event(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        await register_agency(client, tokens, A, quota=1)
        await enrol(client, tokens, A, credit_code(30))
        await enrol(client, tokens, A, credit_code(31), expect=422)  # quota full, after the enterprise was added
        everyone = await client.get(f"{BASE}/enterprises", headers=as_operator(tokens, keyed=False))
        assert [e["credit_code"] for e in everyone.json()["items"]] == [credit_code(30)]
        types = await outbox_types(trusteeship_settings.database_url)
        assert types.count("ipops.trusteeship.enterprise.enrolled.v1") == 1

    async def test_two_agencies_racing_for_one_new_enterprise(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        code = credit_code(32)
        body = {"enterprise": enterprise_body(code), "start_date": "2025-01-02", "reason": "lot 1"}
        results = await asyncio.gather(
            client.post(f"{BASE}/enrolments", json=body, headers=as_agency(tokens, A)),
            client.post(f"{BASE}/enrolments", json=body, headers=as_agency(tokens, B)),
        )
        assert sorted(r.status_code for r in results) == [201, 409]
        listed = await client.get(f"{BASE}/enrolments", headers=as_operator(tokens, keyed=False))
        assert listed.json()["total"] == 1
