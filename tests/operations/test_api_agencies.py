"""Agencies through the API: profile, revenue reports, versions, verification, tenancy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import select

from ipops.clock import district_today
from ipops.events import OutboxMessage
from ipops.indicators.ledger import IndicatorContribution
from ipops.runtime import ServiceRuntime
from operations.common import subject
from tests.operations.helpers import BASE, key, post, problem_fields

Register = Callable[..., Awaitable[None]]


@pytest.fixture(autouse=True)
async def two_agencies(register_agency: Register) -> None:
    await register_agency("agency-a", "Dongli IP Operations Co.")
    await register_agency("agency-b", "Huaming Licensing Ltd.")


async def test_an_agency_sees_itself_and_another_agency_is_not_found(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str]
) -> None:
    listed = (await client.get(f"{BASE}/agencies", headers=agency_a)).json()
    assert [a["id"] for a in listed["items"]] == ["agency-a"]
    assert (await client.get(f"{BASE}/agencies", headers=operator)).json()["total"] == 2
    assert (await client.get(f"{BASE}/agencies/agency-b", headers=agency_a)).status_code == 404
    assert (await client.get(f"{BASE}/agencies/nobody", headers=agency_a)).status_code == 404


async def test_profile_is_set_by_the_agency_under_an_idempotency_key(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    body = {"business_lines": ["licensing", "transaction", "licensing"]}
    headers = {**agency_a, **key()}
    first = await client.put(f"{BASE}/agencies/agency-a/profile", json=body, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["business_lines"] == ["licensing", "transaction"]
    replay = await client.put(f"{BASE}/agencies/agency-a/profile", json=body, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    missing = await client.put(f"{BASE}/agencies/agency-a/profile", json=body, headers=agency_a)
    assert missing.status_code in (400, 422)
    other = await client.put(f"{BASE}/agencies/agency-b/profile", json=body, headers={**agency_a, **key()})
    assert other.status_code == 404
    bad = await client.put(
        f"{BASE}/agencies/agency-a/profile", json={"business_lines": ["x"]}, headers={**agency_a, **key()}
    )
    assert bad.status_code == 422 and problem_fields(bad) == ["body.business_lines.0"]


async def test_revenue_is_verified_then_corrected_as_a_new_version(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str], runtime: ServiceRuntime
) -> None:
    year = district_today().year - 1
    body = {"year": year, "revenue": "12000000.00", "evidence": "audit/2025/agency-a.pdf"}
    report = await post(client, "/agencies/agency-a/revenue-reports", agency_a, body)
    assert (report["version"], report["status"], report["revenue"]) == (1, "submitted", "12000000.00")
    verified = await post(client, f"/revenue-reports/{report['id']}/verification", operator, {}, expect=200)
    assert verified["status"] == "verified"
    async with runtime.sessionmaker() as session:
        row = await session.get(IndicatorContribution, ("operation_agencies", subject("agency", "agency-a")))
        assert row is not None and (row.quantity, row.start_on.year) == (1, year)
        types = (await session.scalars(select(OutboxMessage.event_type))).all()
    assert "ipops.operations.revenue.verified.v1" in types
    again = await client.post(
        f"{BASE}/revenue-reports/{report['id']}/rejection", json={"reason": "late"}, headers={**operator, **key()}
    )
    assert again.status_code == 409 and again.json()["allowed_moves"] == []

    # A correction below the line, once verified, takes the agency out (no other year qualifies).
    correction = await post(client, "/agencies/agency-a/revenue-reports", agency_a, {**body, "revenue": "900000.00"})
    assert correction["version"] == 2
    await post(client, f"/revenue-reports/{correction['id']}/verification", operator, {}, expect=200)
    async with runtime.sessionmaker() as session:
        row = await session.get(IndicatorContribution, ("operation_agencies", subject("agency", "agency-a")))
        assert row is not None and row.quantity == 0
    history = (await client.get(f"{BASE}/revenue-reports", params={"year": year}, headers=agency_a)).json()
    assert [(r["version"], r["status"]) for r in history["items"]] == [(1, "verified"), (2, "verified")]


async def test_rejection_needs_a_reason_and_only_operators_decide(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str], agency_b: dict[str, str]
) -> None:
    year = district_today().year
    report = await post(
        client, "/agencies/agency-a/revenue-reports", agency_a, {"year": year, "revenue": "1.00", "evidence": "x"}
    )
    no_reason = await client.post(
        f"{BASE}/revenue-reports/{report['id']}/rejection", json={}, headers={**operator, **key()}
    )
    assert no_reason.status_code == 422 and problem_fields(no_reason) == ["body.reason"]
    by_agency = await client.post(
        f"{BASE}/revenue-reports/{report['id']}/verification", json={}, headers={**agency_a, **key()}
    )
    assert by_agency.status_code == 403
    assert (await client.get(f"{BASE}/revenue-reports/{report['id']}", headers=agency_b)).status_code == 404
    rejected = await post(
        client, f"/revenue-reports/{report['id']}/rejection", operator, {"reason": "no audit"}, expect=200
    )
    assert (rejected["status"], rejected["reason"]) == ("rejected", "no audit")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2999, "revenue": "1.00", "evidence": "x"}, "body.year"),
        ({"year": district_today().year + 1, "revenue": "1.00", "evidence": "x"}, "body.year"),
        ({"year": 2024, "revenue": "-1.00", "evidence": "x"}, "body.revenue"),
        ({"year": 2024, "revenue": "1.001", "evidence": "x"}, "body.revenue"),
        ({"year": 2024, "revenue": "1.00", "evidence": ""}, "body.evidence"),
    ],
)
async def test_bad_reports_name_the_field(
    client: httpx.AsyncClient, agency_a: dict[str, str], body: dict[str, object], field: str
) -> None:
    response = await client.post(f"{BASE}/agencies/agency-a/revenue-reports", json=body, headers={**agency_a, **key()})
    assert response.status_code == 422, response.text
    assert problem_fields(response) == [field]


async def test_an_agency_cannot_report_for_another(client: httpx.AsyncClient, agency_b: dict[str, str]) -> None:
    body = {"year": 2024, "revenue": "1.00", "evidence": "x"}
    response = await client.post(f"{BASE}/agencies/agency-a/revenue-reports", json=body, headers={**agency_b, **key()})
    assert response.status_code == 404
