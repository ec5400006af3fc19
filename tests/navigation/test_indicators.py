"""The navigation indicators on PostgreSQL: histories that make each one count, change it and take
it back out, checked in the ledger, the outbox and `/statistics/indicators` year by year."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ipops.clock import district_today
from ipops.identifiers import make_patent_number
from navigation.domain.indicators import patent_list_key
from tests import testing
from tests.navigation.helpers import BASE, BENEFICIARY, key, move, propose, walk_to_accepted, walk_to_review

INDUSTRY = "navigation_industry_planning"
OPERATION = "navigation_enterprise_operation"
LISTS = "high_value_portfolios"


@pytest.fixture
async def engine(pg_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(pg_url)
    yield engine
    await engine.dispose()


async def ledger(engine: AsyncEngine, indicator: str) -> list[tuple[Any, ...]]:
    """(subject, quantity, start_on, end_on, revision) of one indicator, by subject."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT subject, quantity, start_on, end_on, revision FROM indicator_contribution "
                "WHERE indicator = :i ORDER BY subject"
            ),
            {"i": indicator},
        )
        return [tuple(r) for r in rows.all()]


async def announced(engine: AsyncEngine, event_type: str) -> list[dict[str, Any]]:
    """The payloads of one event type in the outbox, oldest first."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox_message WHERE event_type = :t ORDER BY id"), {"t": event_type}
        )
        return [json.loads(payload) for (payload,) in rows.all()]


async def series(client: httpx.AsyncClient, headers: dict[str, str], indicator: str) -> dict[int, str | None]:
    response = await client.get(f"{BASE}/statistics/indicators", headers=headers)
    assert response.status_code == 200, response.text
    entry = next(i for i in response.json()["indicators"] if i["indicator"] == indicator)
    return {y["year"]: y["value"] for y in entry["series"]}


def patent_list(first: int, inventions: int = 50, pct: int = 10, status: str = "in_force") -> list[dict[str, Any]]:
    """`inventions` invention patents numbered from `first`, the first `pct` of them filed under the PCT."""
    return [
        {"application_number": make_patent_number(2017, "1", first + i), "pct": i < pct, "legal_status": status}
        for i in range(inventions)
    ]


def numbers(patents: list[dict[str, Any]]) -> list[str]:
    return [p["application_number"] for p in patents]


async def register(
    client: httpx.AsyncClient, headers: dict[str, str], patents: list[dict[str, Any]], on: str, name: str = "组合"
) -> dict[str, Any]:
    body = {"credit_code": BENEFICIARY, "enterprise_name": "天津东丽某科技有限公司", "name": name,
            "patents": patents, "effective_on": on}  # fmt: skip
    response = await client.post(f"{BASE}/portfolios", json=body, headers={**headers, **key()})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


class TestProjects:
    async def test_an_accepted_project_counts_from_its_acceptance_date(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, engine: AsyncEngine
    ) -> None:
        office = tokens.headers("operator")
        planning = await propose(client, tokens, "agency-a", kind="industry_planning", start_date="2019-01-10")
        accepted = await walk_to_accepted(client, tokens, planning["id"], accepted_on="2019-12-31")
        assert accepted["accepted_on"] == "2019-12-31"
        operation = await propose(client, tokens, "agency-a")
        await walk_to_accepted(client, tokens, operation["id"])  # today
        rejected = await propose(client, tokens, "agency-a", kind="industry_planning")
        assert (await move(client, office, rejected["id"], "reject")).status_code == 200

        assert await ledger(engine, INDUSTRY) == [(planning["id"], 1, date(2019, 12, 31), None, 1)]
        assert await ledger(engine, OPERATION) == [(operation["id"], 1, district_today(), None, 1)]
        events = await announced(engine, "ipops.indicator.contribution.recorded.v1")
        assert [(e["indicator"], e["subject"], e["quantity"]) for e in events] == [
            (INDUSTRY, planning["id"], 1), (OPERATION, operation["id"], 1)
        ]  # fmt: skip
        (accepted_event,) = [
            e
            for e in await announced(engine, "ipops.navigation.project.accepted.v1")
            if e["project_id"] == planning["id"]
        ]
        assert accepted_event["accepted_on"] == "2019-12-31"

        bank = tokens.headers("bank", "bank-a")  # district aggregates: any authenticated caller
        years = await series(client, bank, INDUSTRY)
        this_year = district_today().year
        assert (years[2018], years[2019], years[this_year]) == ("0", "1", "1")
        operation_years = await series(client, bank, OPERATION)
        assert (operation_years[this_year - 1], operation_years[this_year]) == ("0", "1")
        stats = (await client.get(f"{BASE}/statistics", headers=office)).json()
        assert {p["kind"]: p["accepted"] for p in stats["projects"]} == {
            "industry_planning": 1, "enterprise_operation": 1
        }  # fmt: skip
        assert (await client.get(f"{BASE}/statistics/indicators")).status_code == 401

    @pytest.mark.parametrize(
        ("move_name", "accepted_on", "status"),
        [
            ("approve", "2020-01-01", 422),  # only with the accept move
            ("accept", (district_today() + timedelta(days=2)).isoformat(), 422),  # never the future
            ("accept", "1999-12-31", 422),  # not before 2000
            ("accept", "2021-01-01", 422),  # before the project started
        ],
    )
    async def test_an_acceptance_date_is_checked(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, move_name: str, accepted_on: str, status: int
    ) -> None:
        project = await propose(client, tokens, "agency-a", start_date="2021-03-01")
        if move_name == "accept":
            await walk_to_review(client, tokens, project["id"])
        response = await move(client, tokens.headers("operator"), project["id"], move_name, accepted_on=accepted_on)
        assert response.status_code == status, response.text
        assert "accepted_on" in response.text

    async def test_a_project_accepted_before_its_planned_start_counts_today(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, engine: AsyncEngine
    ) -> None:
        later = district_today() + timedelta(days=30)
        plan = {"start_date": later.isoformat(), "planned_end_date": (later + timedelta(days=90)).isoformat()}
        project = await propose(client, tokens, "agency-a", **plan)
        accepted = await walk_to_accepted(client, tokens, project["id"])
        assert accepted["accepted_on"] == district_today().isoformat()
        assert await ledger(engine, OPERATION) == [(project["id"], 1, district_today(), None, 1)]


class TestPortfolios:
    async def test_one_list_counts_once_hands_over_and_ends_when_it_stops_qualifying(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, engine: AsyncEngine
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        office = tokens.headers("operator")
        patents = patent_list(100)
        list_key = patent_list_key(numbers(patents))
        first = await register(client, org, patents, "2019-03-01", "先登记")
        copies = [await register(client, org, patents, "2020-05-01", f"副本{i}") for i in range(3)]
        assert first["qualified"] and first["qualified_on"] == "2019-03-01"
        assert not any(c["qualified"] for c in copies) and {c["patent_list_key"] for c in copies} == {list_key}
        subject = f"{list_key}:20190301"
        assert await ledger(engine, LISTS) == [(subject, 1, date(2019, 3, 1), None, 1)]

        # withdrawn: the next portfolio holding the list qualifies that day; the list goes on counting
        withdrawn = await client.post(
            f"{BASE}/portfolios/{first['id']}/withdrawal",
            json={"reason": "企业注销", "withdrawn_on": "2021-06-01"},
            headers={**org, **key()},
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert (withdrawn.json()["qualified"], withdrawn.json()["withdrawn_on"]) == (False, "2021-06-01")
        again = await client.post(
            f"{BASE}/portfolios/{first['id']}/withdrawal", json={"reason": "again"}, headers={**org, **key()}
        )
        assert again.status_code == 409
        heir = (await client.get(f"{BASE}/portfolios/{copies[0]['id']}", headers=org)).json()
        assert (heir["qualified"], heir["qualified_on"]) == (True, "2021-06-01")
        assert await ledger(engine, LISTS) == [(subject, 1, date(2019, 3, 1), None, 1)]

        for copy in copies[1:]:  # never qualified: withdrawing them changes no figure
            withdrawal = {"reason": "重复登记", "withdrawn_on": "2021-07-01"}
            response = await client.post(
                f"{BASE}/portfolios/{copy['id']}/withdrawal", json=withdrawal, headers={**org, **key()}
            )
            assert response.status_code == 200
        assert await ledger(engine, LISTS) == [(subject, 1, date(2019, 3, 1), None, 1)]

        # its patents lapse: the list stops counting from that date
        lapsed = await client.put(
            f"{BASE}/portfolios/{heir['id']}/patents",
            json={"patents": patent_list(100, status="lapsed"), "effective_on": "2022-02-01"},
            headers={**org, **key()},
        )
        assert lapsed.status_code == 200 and not lapsed.json()["qualified"]
        assert await ledger(engine, LISTS) == [(subject, 1, date(2019, 3, 1), date(2022, 2, 1), 2)]
        disqualified = await announced(engine, "ipops.navigation.portfolio.disqualified.v1")
        assert [(e["portfolio_id"], e["reason"], e["disqualified_on"]) for e in disqualified] == [
            (first["id"], "withdrawn", "2021-06-01"), (heir["id"], "below_thresholds", "2022-02-01")
        ]  # fmt: skip
        qualified = await announced(engine, "ipops.navigation.portfolio.qualified.v1")
        assert [(e["portfolio_id"], e["qualified_on"]) for e in qualified] == [
            (first["id"], "2019-03-01"), (heir["id"], "2021-06-01")
        ]  # fmt: skip
        years = await series(client, office, LISTS)
        assert [years[y] for y in range(2018, 2024)] == ["0", "1", "1", "1", "0", "0"]
        stats = (await client.get(f"{BASE}/statistics", headers=office)).json()["portfolios"]
        assert (stats["qualified"], stats["registered"]) == (0, 4)

    async def test_a_changed_list_ends_the_old_lists_spell_and_starts_its_own(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, engine: AsyncEngine
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        old = patent_list(300)
        new = [*old, *patent_list(900, inventions=1, pct=0)]
        portfolio = await register(client, org, old, "2019-05-01")
        replaced = await client.put(
            f"{BASE}/portfolios/{portfolio['id']}/patents",
            json={"patents": new, "effective_on": "2020-07-01"},
            headers={**org, **key()},
        )
        assert replaced.status_code == 200 and replaced.json()["qualified_on"] == "2020-07-01"
        old_key, new_key = patent_list_key(numbers(old)), patent_list_key(numbers(new))
        assert sorted(await ledger(engine, LISTS)) == sorted([
            (f"{old_key}:20190501", 1, date(2019, 5, 1), date(2020, 7, 1), 2),
            (f"{new_key}:20200701", 1, date(2020, 7, 1), None, 1),
        ])  # fmt: skip
        years = await series(client, tokens.headers("operator"), LISTS)
        assert [years[y] for y in range(2018, 2023)] == ["0", "1", "1", "1", "1"]

    async def test_a_withdrawn_portfolio_keeps_its_list_and_another_organisation_cannot_withdraw_it(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        org = tokens.headers("agency", "agency-a")
        portfolio = await register(client, org, patent_list(500, inventions=10), "2020-01-01")
        url = f"{BASE}/portfolios/{portfolio['id']}"
        other = await client.post(
            f"{url}/withdrawal", json={"reason": "x"}, headers={**tokens.headers("agency", "agency-b"), **key()}
        )
        assert other.status_code == 404
        keyless = await client.post(f"{url}/withdrawal", json={"reason": "x"}, headers=org)
        assert keyless.status_code == 400  # every write is keyed
        future = (district_today() + timedelta(days=2)).isoformat()
        late = await client.post(
            f"{url}/withdrawal", json={"reason": "x", "withdrawn_on": future}, headers={**org, **key()}
        )
        assert late.status_code == 422 and "withdrawn_on" in late.text
        assert (
            await client.post(f"{url}/withdrawal", json={"reason": "x"}, headers={**org, **key()})
        ).status_code == 200
        changed = await client.put(f"{url}/patents", json={"patents": patent_list(500)}, headers={**org, **key()})
        assert changed.status_code == 409
        assert (await client.get(f"{url}/patents", headers=org)).json()["items"][0]["legal_status"] == "in_force"


class TestRecount:
    async def test_the_recount_fills_the_ledger_from_existing_rows_once(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, engine: AsyncEngine
    ) -> None:
        project = await propose(client, tokens, "agency-a", kind="industry_planning", start_date="2019-01-10")
        await walk_to_accepted(client, tokens, project["id"], accepted_on="2020-04-01")
        patents = patent_list(700)
        await register(client, tokens.headers("agency", "agency-a"), patents, "2019-08-08")
        before = {INDUSTRY: await ledger(engine, INDUSTRY), LISTS: await ledger(engine, LISTS)}
        async with engine.begin() as conn:  # rows as they were before the ledger existed
            await conn.execute(text("DELETE FROM indicator_contribution"))
            await conn.execute(text("UPDATE portfolio SET patent_list_key = NULL"))

        office = {**tokens.headers("operator"), **key()}
        assert (await client.post(f"{BASE}/statistics/indicators/recount", headers={
            **tokens.headers("agency", "agency-a"), **key()})).status_code == 403  # fmt: skip
        assert (
            await client.post(f"{BASE}/statistics/indicators/recount", headers=tokens.headers("operator"))
        ).status_code in (400, 422)
        first = await client.post(f"{BASE}/statistics/indicators/recount", headers=office)
        assert first.status_code == 200, first.text
        assert first.json()["changed"] == 2
        replay = await client.post(f"{BASE}/statistics/indicators/recount", headers=office)
        assert replay.json() == first.json()
        second = await client.post(f"{BASE}/statistics/indicators/recount", headers={**office, **key()})
        assert second.json()["changed"] == 0
        after = {INDUSTRY: await ledger(engine, INDUSTRY), LISTS: await ledger(engine, LISTS)}
        assert {k: [r[:4] for r in v] for k, v in after.items()} == {k: [r[:4] for r in v] for k, v in before.items()}
        assert after[LISTS][0][0] == f"{patent_list_key(numbers(patents))}:20190808"
