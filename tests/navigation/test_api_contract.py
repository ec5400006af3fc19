"""The schema says what the server enforces (issue 15): bounded, strictly written dates, strict
booleans and integers in bodies, fields that may be left out but not cleared, and the rules across
a proposal's fields answered as `rule-violation` naming the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from ipops.clock import district_today
from tests import testing
from tests.navigation.helpers import BASE, key, move, project_body, propose

RULE = "/problems/rule-violation"
VALIDATION = "/problems/validation-error"


def problem(response: httpx.Response) -> tuple[int, str, list[str]]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    return response.status_code, body["type"], [e["field"] for e in body.get("errors", [])]


class TestRulesAcrossFields:
    @pytest.mark.parametrize(
        ("kind", "override", "field"),
        [
            ("enterprise_operation", {"planned_end_date": "2021-02-28"}, "body.planned_end_date"),
            ("enterprise_operation", {"beneficiary_credit_code": None}, "body.beneficiary_credit_code"),
            ("enterprise_operation", {"beneficiary_name": None}, "body.beneficiary_name"),
            ("industry_planning", {"beneficiary_credit_code": "91350100M000100Y43"}, "body.beneficiary_credit_code"),
        ],
    )
    async def test_are_rule_violations_naming_the_field(
        self,
        client: httpx.AsyncClient,
        tokens: testing.TokenFactory,
        kind: str,
        override: dict[str, Any],
        field: str,
    ) -> None:
        body = project_body(kind, **override)
        headers = {**tokens.headers("agency", "agency-a"), **key()}
        assert problem(await client.post(f"{BASE}/projects", json=body, headers=headers)) == (422, RULE, [field])

    async def test_a_date_after_today_is_a_rule_a_date_outside_the_bounds_is_not(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        project = await propose(client, tokens, "agency-a")
        office = tokens.headers("operator")
        tomorrow = (district_today() + timedelta(days=1)).isoformat()
        late = await move(client, office, project["id"], "accept", accepted_on=tomorrow)
        assert problem(late) == (422, RULE, ["body.accepted_on"])
        early = await move(client, office, project["id"], "accept", accepted_on="1999-12-31")
        assert problem(early) == (422, VALIDATION, ["body.accepted_on"])


class TestStrictBodies:
    @pytest.mark.parametrize(
        ("due_date", "refused"), [(0, True), ("2021-1-5", True), ("2101-01-01", True), ("2021-01-05", False)]
    )
    async def test_a_date_is_a_bounded_date_string(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, due_date: Any, refused: bool
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        project = await propose(client, tokens, "agency-a")
        response = await client.post(
            f"{BASE}/projects/{project['id']}/milestones",
            json={"phase": "preparation", "title": "技术分解", "due_date": due_date},
            headers={**org, **key()},
        )
        if refused:
            assert problem(response) == (422, VALIDATION, ["body.due_date"])
        else:
            assert response.status_code == 201, response.text

    @pytest.mark.parametrize(("version", "status"), [(True, 422), ("1", 422), (0, 422), (1.0, 200)])
    async def test_expected_version_is_a_json_integer_from_1(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, version: Any, status: int
    ) -> None:
        project = await propose(client, tokens, "agency-a")
        response = await move(client, tokens.headers("operator"), project["id"], "approve", expected_version=version)
        assert response.status_code == status, response.text

    async def test_a_plan_field_may_be_left_out_not_cleared(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        project = await propose(client, tokens, "agency-a")
        url = f"{BASE}/projects/{project['id']}"
        cleared = await client.patch(url, json={"summary": None}, headers={**org, **key()})
        assert problem(cleared)[0] == 422 and problem(cleared)[2] == ["body.summary"]
        kept = await client.patch(url, json={"title": "新题目"}, headers={**org, **key()})
        assert kept.status_code == 200 and kept.json()["summary"] == project["summary"]
        document = (await client.get("/openapi.json")).json()
        summary = document["components"]["schemas"]["ProjectUpdate"]["properties"]["summary"]
        assert summary["type"] == "string" and "default" not in summary

    async def test_a_portfolio_pct_flag_is_a_boolean(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        body = {
            "credit_code": "91350100M000100Y43",
            "enterprise_name": "天津东丽某新能源科技有限公司",
            "name": "组合",
            "patents": [{"application_number": "202010123456.2", "legal_status": "in_force", "pct": 0}],
        }
        headers = {**tokens.headers("agency", "agency-a"), **key()}
        response = await client.post(f"{BASE}/portfolios", json=body, headers=headers)
        assert problem(response) == (422, VALIDATION, ["body.patents.0.pct"])
