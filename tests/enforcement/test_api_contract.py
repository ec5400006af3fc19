"""The schema says what the server enforces (issue 15): strict body types, instants with their
offset, rules across fields answered as `rule-violation`, and `/calendar/coverage` answering 405
for the methods `/calendar/{day}` serves."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.enforcement.helpers import BASE, case_body, key, open_case

RULE = "/problems/rule-violation"
VALIDATION = "/problems/validation-error"


@pytest.fixture
def client(shared_client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Every test here makes its own cases, so the module shares one app and database."""
    return shared_client


def problem(response: httpx.Response) -> tuple[int, str, list[str]]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    return response.status_code, body["type"], [e["field"] for e in body.get("errors", [])]


class TestCalendarPaths:
    @pytest.mark.parametrize("method", ["PUT", "DELETE", "POST", "PATCH", "HEAD", "OPTIONS"])
    async def test_coverage_is_read_only_and_never_a_day(
        self, client: httpx.AsyncClient, operator: dict[str, str], method: str
    ) -> None:
        response = await client.request(
            method, f"{BASE}/calendar/coverage", json={"kind": "holiday", "name": "x"}, headers={**operator, **key()}
        )
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "GET"
        if method != "HEAD":  # a HEAD answer has no body
            assert response.json()["type"] == "/problems/http-405"
        assert (await client.get(f"{BASE}/calendar/coverage", headers=operator)).status_code == 200

    async def test_a_day_is_still_a_day(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        url = f"{BASE}/calendar/2031-10-08"
        put = await client.put(url, json={"kind": "holiday", "name": "National Day"}, headers={**operator, **key()})
        assert put.status_code == 200, put.text
        assert (await client.delete(url, headers={**operator, **key()})).status_code == 204

    async def test_the_path_declares_the_date_pattern(self, client: httpx.AsyncClient) -> None:
        document = (await client.get("/openapi.json")).json()
        (day,) = document["paths"]["/api/v1/enforcement/calendar/{day}"]["put"]["parameters"][:1]
        assert day["name"] == "day" and day["schema"]["pattern"].startswith("^(?:20[0-9]{2}|2100)-")


class TestRulesAcrossFields:
    @pytest.mark.parametrize(
        ("parties", "field"),
        [
            ([{"role": "requester", "kind": "enterprise", "name": "No code"}], "body.parties.0.credit_code"),
            ([{"role": "requester", "kind": "foreign", "name": "Acme Inc."}], "body.parties.0.country"),
            ([{"role": "respondent", "kind": "person", "name": "Only a respondent"}], "body.parties"),
        ],
    )
    async def test_are_rule_violations_naming_the_field(
        self, client: httpx.AsyncClient, operator: dict[str, str], parties: list[dict[str, Any]], field: str
    ) -> None:
        response = await client.post(f"{BASE}/cases", json=case_body(parties=parties), headers={**operator, **key()})
        assert problem(response) == (422, RULE, [field])

    async def test_an_instant_before_2000_in_beijing_is_a_rule_violation(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        body = case_body(received_at="1999-12-31T15:59:59Z")  # the declared form; 23:59:59 in Beijing
        response = await client.post(f"{BASE}/cases", json=body, headers={**operator, **key()})
        assert problem(response) == (422, RULE, ["body.received_at"])


class TestStrictBodies:
    @pytest.mark.parametrize(
        ("override", "field"),
        [
            ({"complex": 0}, "body.complex"),
            ({"complex": "true"}, "body.complex"),
            ({"received_at": 1_700_000_000}, "body.received_at"),
            ({"received_at": "2026-01-05 10:00:00+08:00"}, "body.received_at"),
            ({"received_at": "2026-01-05T10:00:00"}, "body.received_at"),
        ],
    )
    async def test_what_the_schema_does_not_allow_is_refused(
        self, client: httpx.AsyncClient, operator: dict[str, str], override: dict[str, Any], field: str
    ) -> None:
        response = await client.post(f"{BASE}/cases", json=case_body(**override), headers={**operator, **key()})
        assert problem(response) == (422, VALIDATION, [field])

    async def test_an_integer_is_a_json_integer(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        url = f"{BASE}/cases/{case['id']}/documents"
        body = {"title": "Contract", "sha256": "a" * 64, "media_type": "application/pdf", "reference": "s3://x"}
        for refused in (True, "10"):
            response = await client.post(url, json={**body, "size_bytes": refused}, headers={**operator, **key()})
            assert problem(response) == (422, VALIDATION, ["body.size_bytes"])
        accepted = await client.post(url, json={**body, "size_bytes": 10.0}, headers={**operator, **key()})
        assert accepted.status_code == 201 and accepted.json()["size_bytes"] == 10
        largest = {**body, "sha256": "b" * 64, "size_bytes": 10 * 1024**3}  # the declared maximum, past 32 bits
        stored = await client.post(url, json=largest, headers={**operator, **key()})
        assert stored.status_code == 201 and stored.json()["size_bytes"] == 10 * 1024**3, stored.text

    async def test_a_survey_score_is_a_decimal_string(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        survey = {
            "year": 2021,
            "score": 84.5,
            "sample_size": 1000,
            "conducted_by": "Tianjin survey team",
            "conducted_on": "2021-12-20",
            "evidence_reference": "report-2021.pdf",
        }
        url = f"{BASE}/satisfaction-surveys"
        assert problem(await client.post(url, json=survey, headers={**operator, **key()})) == (
            422,
            VALIDATION,
            ["body.score"],
        )
        recorded = await client.post(url, json={**survey, "score": "84.5"}, headers={**operator, **key()})
        assert recorded.status_code == 201 and recorded.json()["score"] == "84.5"
