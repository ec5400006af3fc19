"""Projects over HTTP on PostgreSQL: proposal, tenancy, the phase gates end to end, and the
public view of accepted projects."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests import testing
from tests.navigation.helpers import (
    BASE,
    decomposition,
    key,
    move,
    opinion,
    project_body,
    propose,
    report_body,
    search_strategy,
    submit,
    upload,
)

FIXTURE = Path(__file__).parent / "fixtures" / "landscape_sample.csv"


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
        assert (project["status"], project["phase"], project["gbt_part"]) == ("proposed", None, 4)
        assert project["budget"] == "300000.00"
        got = await client.get(f"{BASE}/projects/{project['id']}", headers=tokens.headers("agency", "agency-a"))
        assert got.status_code == 200 and got.json()["title"] == project["title"]

    async def test_an_organisation_cannot_propose_for_another(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        response = await client.post(
            f"{BASE}/projects",
            json=project_body(undertaking_org_id="agency-b"),
            headers={**tokens.headers("agency", "agency-a"), **key()},
        )
        assert response.status_code == 403

    async def test_the_office_must_name_the_organisation(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        headers = {**tokens.headers("operator"), **key()}
        response = await client.post(f"{BASE}/projects", json=project_body("industry_planning"), headers=headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.undertaking_org_id"
        ok = await client.post(
            f"{BASE}/projects",
            json=project_body("industry_planning", undertaking_org_id="institute-x"),
            headers={**tokens.headers("operator"), **key()},
        )
        assert ok.status_code == 201 and ok.json()["gbt_part"] == 3 and ok.json()["beneficiary_credit_code"] is None

    async def test_bad_input_names_the_field(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        headers = tokens.headers("agency", "agency-a")
        cases = [
            (project_body("regional_planning"), "body.kind"),
            (project_body(budget="12.345"), "budget"),
            (project_body(beneficiary_credit_code="91110000600037341X"), "beneficiary_credit_code"),
            (project_body(industry="textiles"), "industry"),
        ]
        for body, field in cases:
            response = await client.post(f"{BASE}/projects", json=body, headers={**headers, **key()})
            assert response.status_code == 422, body
            assert response.headers["content-type"].startswith("application/problem+json")
            assert any(field in e["field"] for e in response.json()["errors"]), response.json()

    async def test_enterprise_operation_needs_its_beneficiary(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        body = project_body()
        del body["beneficiary_credit_code"]
        response = await client.post(
            f"{BASE}/projects", json=body, headers={**tokens.headers("agency", "agency-a"), **key()}
        )
        assert response.status_code == 422

    async def test_a_replayed_key_makes_one_project(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        headers = {**tokens.headers("agency", "agency-a"), **key()}
        first = await client.post(f"{BASE}/projects", json=project_body(), headers=headers)
        second = await client.post(f"{BASE}/projects", json=project_body(), headers=headers)
        assert first.json()["id"] == second.json()["id"]
        assert second.headers.get("Idempotent-Replayed") == "true"
        listed = await client.get(f"{BASE}/projects", headers=tokens.headers("agency", "agency-a"))
        assert listed.json()["total"] == 1


class TestTenancy:
    async def test_another_organisations_project_is_not_found(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        project = await propose(client, tokens, "agency-a")
        other = tokens.headers("agency", "agency-b")
        assert (await client.get(f"{BASE}/projects/{project['id']}", headers=other)).status_code == 404
        patch = await client.patch(f"{BASE}/projects/{project['id']}", json={"title": "x"}, headers={**other, **key()})
        assert patch.status_code == 404
        assert (await move(client, other, project["id"], "complete_phase")).status_code == 404
        assert (await client.get(f"{BASE}/projects", headers=other)).json()["total"] == 0
        everyone = await client.get(f"{BASE}/projects", headers=tokens.headers("operator"))
        assert everyone.json()["total"] == 1

    async def test_the_organisation_updates_its_own_project(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        project = await propose(client, tokens, "agency-a")
        own = tokens.headers("agency", "agency-a")
        response = await client.patch(
            f"{BASE}/projects/{project['id']}",
            json={"title": "新标题", "budget": "250000.50"},
            headers={**own, **key()},
        )
        assert response.status_code == 200
        assert (response.json()["title"], response.json()["budget"], response.json()["version"]) == (
            "新标题",
            "250000.50",
            2,
        )

    async def test_a_bank_token_is_refused_and_no_token_is_401(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        assert (await client.get(f"{BASE}/projects", headers=tokens.headers("bank", "bank-a"))).status_code == 403
        assert (await client.get(f"{BASE}/projects")).status_code == 401


class TestLifecycle:
    async def test_gates_hold_until_each_deliverable_is_present(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        office = tokens.headers("operator")
        project = await propose(client, tokens, "agency-a")
        pid = project["id"]

        # only the office approves; nothing is submitted before approval
        assert (await move(client, org, pid, "approve")).status_code == 403
        assert (await submit(client, org, pid, decomposition())).status_code == 409
        approved = await move(client, office, pid, "approve")
        assert approved.status_code == 200
        assert (approved.json()["status"], approved.json()["phase"]) == ("in_progress", "preparation")
        assert approved.json()["gate"] == {"phase": "preparation", "missing": ["technology_decomposition"]}

        # preparation -> retrieval needs the decomposition table
        refused = await move(client, org, pid, "complete_phase")
        assert refused.status_code == 409
        assert refused.json()["missing"] == ["technology_decomposition"]
        assert refused.json()["allowed_moves"] == ["complete_phase"]
        assert (await submit(client, org, pid, decomposition())).status_code == 201
        assert (await move(client, org, pid, "complete_phase")).json()["phase"] == "retrieval"

        # retrieval -> analysis needs the search strategy (with cut-off) and the data-set snapshot
        no_cutoff = search_strategy()
        del no_cutoff["cut_off_date"]
        bad = await submit(client, org, pid, no_cutoff)
        assert bad.status_code == 422 and "cut_off_date" in bad.json()["errors"][0]["field"]
        assert (await submit(client, org, pid, search_strategy())).status_code == 201
        refused = await move(client, org, pid, "complete_phase")
        assert refused.json()["missing"] == ["dataset_snapshot"]
        uploaded = await upload(client, org, pid, FIXTURE.read_bytes())
        assert uploaded.status_code == 201, uploaded.text
        assert (await move(client, org, pid, "complete_phase")).json()["phase"] == "analysis"

        # analysis -> review needs the report; then the office's acceptance opinion
        assert (await move(client, org, pid, "complete_phase")).json()["missing"] == ["report"]
        assert (await submit(client, org, pid, report_body())).status_code == 201
        review = await move(client, org, pid, "complete_phase")
        assert (review.json()["status"], review.json()["phase"]) == ("under_review", "review")
        assert (await submit(client, org, pid, opinion())).status_code == 403  # the office records it
        assert (await move(client, office, pid, "accept")).json()["missing"] == ["acceptance_opinion"]
        assert (await move(client, org, pid, "accept")).status_code == 403

        # a failing opinion: accept refused, returned for rework, then passed
        assert (await submit(client, office, pid, opinion(passed=False))).status_code == 201
        assert (await move(client, office, pid, "accept")).status_code == 409
        rework = await move(client, office, pid, "return_for_rework", reason="补充竞争对手分析")
        assert (rework.json()["status"], rework.json()["phase"]) == ("in_progress", "analysis")
        assert (await move(client, org, pid, "complete_phase")).json()["status"] == "under_review"
        assert (await submit(client, office, pid, opinion())).json()["revision"] == 2
        accepted = await move(client, office, pid, "accept")
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

        # decided: no more changes
        assert (await move(client, office, pid, "reject")).json()["allowed_moves"] == []
        patch = await client.patch(f"{BASE}/projects/{pid}", json={"title": "x"}, headers={**org, **key()})
        assert patch.status_code == 409

        history = (await client.get(f"{BASE}/projects/{pid}/history", headers=org)).json()
        assert [h["move"] for h in history] == [
            "propose",
            "approve",
            "complete_phase",
            "complete_phase",
            "complete_phase",
            "return_for_rework",
            "complete_phase",
            "accept",
        ]
        deliverables = (await client.get(f"{BASE}/projects/{pid}/deliverables", headers=org)).json()["items"]
        snapshot = next(d for d in deliverables if d["kind"] == "dataset_snapshot")
        assert snapshot["dataset_id"] == uploaded.json()["id"]
        assert snapshot["content"]["search_cut_off_date"] == "2022-06-30"

    async def test_a_stale_version_is_refused(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        project = await propose(client, tokens, "agency-a")
        response = await move(client, tokens.headers("operator"), project["id"], "approve", expected_version=7)
        assert response.status_code == 409 and response.json()["current_version"] == 1

    async def test_milestones_flag_overdue(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        org = tokens.headers("agency", "agency-a")
        project = await propose(client, tokens, "agency-a")
        url = f"{BASE}/projects/{project['id']}/milestones"
        late = await client.post(
            url, json={"phase": "preparation", "title": "技术分解", "due_date": "2020-01-31"}, headers={**org, **key()}
        )
        future = await client.post(
            url, json={"phase": "analysis", "title": "报告初稿", "due_date": "2099-01-31"}, headers={**org, **key()}
        )
        assert late.json()["overdue"] is True and future.json()["overdue"] is False
        assert len(late.json()["id"]) == 32 and int(late.json()["id"], 16) >= 0  # random, not a sequence number
        done = await client.patch(
            f"{url}/{late.json()['id']}", json={"done_date": "2020-02-03"}, headers={**org, **key()}
        )
        assert done.json()["overdue"] is False
        listed = (await client.get(url, headers=org)).json()["items"]
        assert [m["title"] for m in listed] == ["技术分解", "报告初稿"]


class TestPublicView:
    async def test_the_public_sees_accepted_projects_only(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        office = tokens.headers("operator")
        org = tokens.headers("agency", "agency-a")
        proposed = await propose(client, tokens, "agency-a")
        accepted = await propose(client, tokens, "agency-a", title="已验收项目")
        pid = accepted["id"]
        await move(client, office, pid, "approve")
        for body in (decomposition(), search_strategy()):
            await submit(client, org, pid, body)
        await upload(client, org, pid, FIXTURE.read_bytes())
        await move(client, org, pid, "complete_phase")
        await move(client, org, pid, "complete_phase")
        await submit(client, org, pid, report_body())
        await move(client, org, pid, "complete_phase")
        await submit(client, office, pid, opinion())
        assert (await move(client, office, pid, "accept")).status_code == 200

        listed = await client.get(f"{BASE}/public/projects")
        assert listed.status_code == 200
        items = listed.json()["items"]
        assert [p["id"] for p in items] == [pid]
        assert "budget" not in items[0] and "undertaking_org_id" not in items[0]
        assert (await client.get(f"{BASE}/public/projects/{pid}")).status_code == 200
        assert (await client.get(f"{BASE}/public/projects/{proposed['id']}")).status_code == 404
