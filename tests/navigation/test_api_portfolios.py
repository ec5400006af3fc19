"""High-value portfolios and the plan's statistics over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from ipops.identifiers import make_patent_number
from tests import testing
from tests.navigation.helpers import BASE, BENEFICIARY, key, move, propose


def patents(inventions: int, pct: int, utility: int = 0, status: str = "in_force") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"application_number": make_patent_number(2018, "1", 100 + i), "pct": i < pct, "legal_status": status}
        for i in range(inventions)
    ]
    out += [
        {"application_number": make_patent_number(2018, "2", 500 + i), "legal_status": status} for i in range(utility)
    ]
    return out


def portfolio_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "credit_code": BENEFICIARY,
        "enterprise_name": "天津东丽某新能源科技有限公司",
        "name": "动力电池热管理高价值专利组合",
        "patents": patents(50, 10),
    }
    body.update(overrides)
    return body


class TestPortfolios:
    async def test_fifty_inventions_and_ten_pct_qualify(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        created = await client.post(f"{BASE}/portfolios", json=portfolio_body(), headers={**org, **key()})
        assert created.status_code == 201, created.text
        body = created.json()
        assert (body["invention_count"], body["pct_count"], body["qualified"]) == (50, 10, True)
        assert body["first_qualified_at"] is not None and body["owner_org_id"] == "agency-a"

    async def test_one_short_does_not_qualify_until_completed(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        created = (
            await client.post(
                f"{BASE}/portfolios", json=portfolio_body(patents=patents(49, 10, utility=30)), headers={**org, **key()}
            )
        ).json()
        assert (created["qualified"], created["inventions_short"], created["pct_short"]) == (False, 1, 0)
        assert created["patent_count"] == 79
        pct_number = {
            "application_number": make_patent_number(2019, "1", 7),
            "pct_application_number": "PCT/CN2019/123456",
            "legal_status": "in_force",
        }
        updated = await client.put(
            f"{BASE}/portfolios/{created['id']}/patents",
            json={"patents": [*patents(49, 9), pct_number]},
            headers={**org, **key()},
        )
        assert updated.status_code == 200
        assert (updated.json()["invention_count"], updated.json()["pct_count"], updated.json()["qualified"]) == (
            50,
            10,
            True,
        )
        listed = (await client.get(f"{BASE}/portfolios/{created['id']}/patents", headers=org)).json()["items"]
        assert len(listed) == 50 and sum(p["pct"] for p in listed) == 10
        assert {p["legal_status"] for p in listed} == {"in_force"}

    async def test_fifty_pending_inventions_do_not_qualify(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        body = portfolio_body(patents=patents(50, 10, status="pending"))
        created = (await client.post(f"{BASE}/portfolios", json=body, headers={**org, **key()})).json()
        assert (created["qualified"], created["invention_count"], created["pct_count"]) == (False, 0, 10)
        assert (created["inventions_listed"], created["inventions_not_in_force"]) == (50, 50)
        assert "in force" in created["counting_rule"]
        missing = await client.post(
            f"{BASE}/portfolios",
            json=portfolio_body(patents=[{"application_number": make_patent_number(2018, "1", 1)}]),
            headers={**org, **key()},
        )
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"].endswith("legal_status")

    async def test_the_same_fifty_registered_twice_count_once(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        office = tokens.headers("operator")
        first = (await client.post(f"{BASE}/portfolios", json=portfolio_body(), headers={**org, **key()})).json()
        second = (
            await client.post(
                f"{BASE}/portfolios", json=portfolio_body(name="同一批专利再登记"), headers={**org, **key()}
            )
        ).json()
        assert first["qualified"] and not second["qualified"]
        assert (second["invention_count"], second["inventions_counted_elsewhere"]) == (0, 50)
        assert (second["pct_counted_elsewhere"], second["counted_elsewhere_in"]) == (10, [first["id"]])
        stats = (await client.get(f"{BASE}/statistics", headers=office)).json()
        assert (stats["portfolios"]["qualified"], stats["portfolios"]["registered"]) == (1, 2)
        # the first gives its patents up: the second counts them from then on, and is announced
        emptied = await client.put(
            f"{BASE}/portfolios/{first['id']}/patents", json={"patents": []}, headers={**org, **key()}
        )
        assert emptied.status_code == 200 and not emptied.json()["qualified"]
        now = (await client.get(f"{BASE}/portfolios/{second['id']}", headers=org)).json()
        assert now["qualified"] and now["invention_count"] == 50 and now["first_qualified_at"] is not None
        stats = (await client.get(f"{BASE}/statistics", headers=office)).json()
        assert stats["portfolios"]["qualified"] == 1

    async def test_bad_patent_numbers_name_the_row(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        bad = patents(3, 0)
        bad[1]["application_number"] = "201810000101.0"
        response = await client.post(
            f"{BASE}/portfolios", json=portfolio_body(patents=bad), headers={**tokens.headers("operator"), **key()}
        )
        assert response.status_code == 422
        assert "patents.1.application_number" in response.json()["errors"][0]["field"]

    async def test_tenancy(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        org_a = tokens.headers("agency", "agency-a")
        org_b = tokens.headers("agency", "agency-b")
        mine = (await client.post(f"{BASE}/portfolios", json=portfolio_body(), headers={**org_a, **key()})).json()
        assert (await client.get(f"{BASE}/portfolios/{mine['id']}", headers=org_b)).status_code == 404
        replaced = await client.put(
            f"{BASE}/portfolios/{mine['id']}/patents", json={"patents": []}, headers={**org_b, **key()}
        )
        assert replaced.status_code == 404
        assert (await client.get(f"{BASE}/portfolios", headers=org_b)).json()["total"] == 0
        assert (await client.get(f"{BASE}/portfolios", headers=tokens.headers("operator"))).json()["total"] == 1
        # a portfolio may name only a project of one's own
        project = await propose(client, tokens, "agency-a")
        foreign = await client.post(
            f"{BASE}/portfolios", json=portfolio_body(project_id=project["id"]), headers={**org_b, **key()}
        )
        assert foreign.status_code == 404


class TestStatistics:
    async def test_projects_and_portfolios_against_targets(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        office = tokens.headers("operator")
        org = tokens.headers("agency", "agency-a")
        first = await propose(client, tokens, "agency-a")
        await propose(client, tokens, "agency-a")
        await propose(client, tokens, "agency-b", kind="industry_planning", beneficiary_credit_code=None)
        await move(client, office, first["id"], "approve")
        await client.post(f"{BASE}/portfolios", json=portfolio_body(), headers={**org, **key()})
        await client.post(f"{BASE}/portfolios", json=portfolio_body(patents=patents(10, 10)), headers={**org, **key()})
        stats = (await client.get(f"{BASE}/statistics", headers=office)).json()
        by_kind = {k["kind"]: k for k in stats["projects"]}
        eo, ip = by_kind["enterprise_operation"], by_kind["industry_planning"]
        assert (eo["target"], eo["accepted"], eo["in_pipeline"]) == (45, 0, 1)
        assert eo["by_status"]["proposed"] == 1 and eo["by_status"]["in_progress"] == 1
        assert (ip["target"], ip["by_status"]["proposed"]) == (15, 1)
        assert stats["portfolios"] == {"target": 20, "qualified": 1, "registered": 2, "progress": 0.05}
        public = await client.get(f"{BASE}/public/statistics")
        assert public.status_code == 200 and public.json() == stats
