"""Alliances, overseas marks, the fund, talent, milestones and statistics through the API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from ipops.clock import district_today
from ipops.indicators.ledger import IndicatorContribution
from ipops.runtime import ServiceRuntime
from tests.operations.helpers import BASE, LICENSEE, LICENSOR, key, post, problem_fields

THIRD = "91310000MA1FL0KX3R"


async def contribution(runtime: ServiceRuntime, indicator: str, subject: str) -> IndicatorContribution | None:
    async with runtime.sessionmaker() as session:
        return await session.get(IndicatorContribution, (indicator, subject))


async def test_an_alliance_counts_from_its_third_member_until_one_leaves(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str], runtime: ServiceRuntime
) -> None:
    alliance = await post(
        client,
        "/alliances",
        operator,
        {"name": "Medical devices IP alliance", "industry": "biomedicine_devices", "founded_on": "2024-05-01"},
    )
    aid = alliance["id"]
    for code, joined in ((LICENSOR, "2024-05-01"), (LICENSEE, "2024-06-01")):
        alliance = await post(
            client, f"/alliances/{aid}/members", operator, {"credit_code": code, "name": code, "joined_on": joined}
        )
    assert alliance["qualifies"] is False and await contribution(runtime, "alliances", aid) is None
    alliance = await post(
        client, f"/alliances/{aid}/members", operator, {"credit_code": THIRD, "name": "C", "joined_on": "2024-07-01"}
    )
    assert alliance["qualifies"] is True and alliance["current_members"] == 3
    row = await contribution(runtime, "alliances", aid)
    assert row is not None and (row.start_on, row.end_on) == (date(2024, 7, 1), None)
    twice = await client.post(
        f"{BASE}/alliances/{aid}/members",
        json={"credit_code": THIRD, "name": "C", "joined_on": "2024-08-01"},
        headers={**operator, **key()},
    )
    assert twice.status_code == 409
    early = await client.post(
        f"{BASE}/alliances/{aid}/members",
        json={"credit_code": "91110000600037341L", "name": "x", "joined_on": "2020-01-01"},
        headers={**operator, **key()},
    )
    assert early.status_code in (409, 422)
    member = alliance["members"][0]["id"]
    left = await post(
        client, f"/alliances/{aid}/members/{member}/departure", operator, {"left_on": "2025-01-31"}, expect=200
    )
    assert left["qualifies"] is False
    row = await contribution(runtime, "alliances", aid)
    assert row is not None and (row.quantity, row.end_on) == (1, date(2025, 1, 31))
    assert (await client.get(f"{BASE}/alliances/{aid}", headers=agency_a)).json()["current_members"] == 2
    forbidden = await client.post(
        f"{BASE}/alliances",
        json={"name": "x", "industry": "other", "founded_on": "2024-01-01"},
        headers={**agency_a, **key()},
    )
    assert forbidden.status_code == 403


def mark(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ir_number": "1523456",
        "basic_mark_number": "12345678",
        "mark": "TPCO",
        "owner": {"credit_code": LICENSOR, "name": "Tianjin Pipe"},
        "nice_classes": [6, 40],
        "ir_date": "2024-03-01",
        "designations": [{"country": "de"}, {"country": "US"}, {"country": "EM"}],
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"designations": [{"country": "XX"}]}, "body.designations.0.country"),
        ({"designations": [{"country": "US"}, {"country": "us"}]}, "body.designations.1.country"),
        ({"designations": [{"country": "CN"}]}, "body.designations.0.country"),
        ({"nice_classes": [46]}, "body.nice_classes.0"),
        ({"nice_classes": [3, 3]}, "body.nice_classes.1"),
        ({"basic_mark_number": "12-34"}, "body.basic_mark_number"),
        ({"ir_number": "IR1"}, "body.ir_number"),
        ({"ir_date": (district_today() + timedelta(days=3)).isoformat()}, "body.ir_date"),
    ],
)
async def test_bad_marks_name_the_field(
    client: httpx.AsyncClient, operator: dict[str, str], overrides: dict[str, Any], field: str
) -> None:
    response = await client.post(f"{BASE}/trademarks", json=mark(**overrides), headers={**operator, **key()})
    assert response.status_code == 422, response.text
    assert problem_fields(response) == [field]


async def test_a_mark_counts_once_from_first_protection_until_lapsed_everywhere(
    client: httpx.AsyncClient, operator: dict[str, str], runtime: ServiceRuntime
) -> None:
    created = await post(client, "/trademarks", operator, mark())
    mid = created["id"]
    assert [d["country"] for d in created["designations"]] == ["DE", "EM", "US"] and created["counts"] is False

    async def change(country: str, status: str, on: str, expect: int = 200) -> dict[str, Any]:
        return await post_put(
            client,
            f"/trademarks/{mid}/designations/{country}",
            operator,
            {"status": status, "effective_on": on},
            expect,
        )

    await change("DE", "protected", "2024-09-01")
    await change("US", "protected", "2024-11-01")
    row = await contribution(runtime, "overseas_trademarks", mid)
    assert row is not None and (row.quantity, row.start_on, row.end_on) == (1, date(2024, 9, 1), None)
    await change("EM", "refused", "2024-10-01")
    await change("DE", "lapsed", "2025-09-01")
    bad = await change("DE", "refused", "2025-09-02", expect=409)
    assert bad["allowed_moves"] == ["protect"]
    done = await change("US", "lapsed", "2025-11-01")
    assert done["counts"] is False
    row = await contribution(runtime, "overseas_trademarks", mid)
    assert row is not None and (row.start_on, row.end_on) == (date(2024, 9, 1), date(2025, 11, 1))
    later = await change("JP", "pending", "2025-12-01")
    assert [d["country"] for d in later["designations"]] == ["DE", "EM", "JP", "US"]
    unknown = await client.put(
        f"{BASE}/trademarks/{mid}/designations/ZZ",
        json={"status": "pending", "effective_on": "2025-12-01"},
        headers={**operator, **key()},
    )
    assert unknown.status_code == 422 and problem_fields(unknown) == ["path.country"]
    twice = await client.post(f"{BASE}/trademarks", json=mark(), headers={**operator, **key()})
    assert twice.status_code == 409


async def post_put(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], body: Any, expect: int
) -> dict[str, Any]:
    response = await client.put(BASE + path, json=body, headers={**headers, **key()})
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_fund_invests_within_its_size_links_a_loan_and_exits_once(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str]
) -> None:
    fund = await post(
        client, "/funds", operator, {"name": "Dongli IP fund", "size": "50000000.00", "established_on": "2024-01-01"}
    )
    body = {
        "credit_code": LICENSEE,
        "enterprise_name": "Beijing Motors",
        "project": "drive units",
        "amount": "30000000.00",
        "equity_pct": "12.5",
        "invested_on": "2024-06-01",
        "pledge_loan_id": "loan-42",
    }
    made = await post(client, f"/funds/{fund['id']}/investments", operator, body)
    assert (made["equity_pct"], made["pledge_loan_id"]) == ("12.5000", "loan-42")
    over = await client.post(
        f"{BASE}/funds/{fund['id']}/investments", json={**body, "pledge_loan_id": None}, headers={**operator, **key()}
    )
    assert over.status_code == 422 and problem_fields(over) == ["body.amount"]
    pct = await client.post(
        f"{BASE}/funds/{fund['id']}/investments", json={**body, "equity_pct": "120"}, headers={**operator, **key()}
    )
    assert problem_fields(pct) == ["body.equity_pct"]
    linked = (await client.get(f"{BASE}/investments", params={"pledge_loan_id": "loan-42"}, headers=operator)).json()
    assert [i["id"] for i in linked["items"]] == [made["id"]]
    out = await post(
        client,
        f"/investments/{made['id']}/exit",
        operator,
        {"exited_on": "2025-06-01", "exit_amount": "36000000.00"},
        expect=200,
    )
    assert out["exit_amount"] == "36000000.00"
    again = await client.post(
        f"{BASE}/investments/{made['id']}/exit",
        json={"exited_on": "2025-06-02", "exit_amount": "1.00"},
        headers={**operator, **key()},
    )
    assert again.status_code == 409
    detail = (await client.get(f"{BASE}/funds/{fund['id']}", headers=operator)).json()
    assert (detail["invested"], detail["outstanding"]) == ("30000000.00", "0.00")
    assert (await client.get(f"{BASE}/funds", headers=agency_a)).status_code == 403


async def test_talent_milestones_and_year_figures(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str]
) -> None:
    await post(
        client,
        "/training-sessions",
        operator,
        {"held_on": "2025-04-02", "topic": "Overseas disputes", "organiser": "Tianjin centre", "attendance": 60},
    )
    await post(
        client,
        "/commissioners",
        operator,
        {"name": "Li Wei", "field": "medical devices", "registered_on": "2025-05-01"},
    )
    future = await client.post(
        f"{BASE}/training-sessions",
        json={
            "held_on": (district_today() + timedelta(days=9)).isoformat(),
            "topic": "x",
            "organiser": "y",
            "attendance": 1,
        },
        headers={**operator, **key()},
    )
    assert future.status_code == 422 and problem_fields(future) == ["body.held_on"]
    milestone = await post(
        client,
        "/milestones",
        operator,
        {
            "goal": 8,
            "title_zh": "华明知识产权特色小镇建成",
            "title_en": "Huaming IP town completed",
            "achieved_on": "2025-10-01",
            "evidence": "https://x/y",
        },
    )
    assert milestone["goal"] == 8
    wrong = await client.post(
        f"{BASE}/milestones",
        json={"goal": 4, "title_zh": "x", "title_en": "x", "achieved_on": "2025-10-01", "evidence": "x"},
        headers={**operator, **key()},
    )
    assert problem_fields(wrong) == ["body.goal"]
    listed = (await client.get(f"{BASE}/milestones", headers=agency_a)).json()
    assert [m["title_en"] for m in listed["items"]] == ["Huaming IP town completed"]
    figures = (await client.get(f"{BASE}/statistics/2025", headers=operator)).json()
    assert (figures["training_sessions"], figures["training_attendance"]) == (1, 60)
    assert (figures["commissioners_registered"], figures["milestones"]) == (1, 1)
    indicators = (await client.get(f"{BASE}/statistics/indicators", headers=agency_a)).json()
    assert {i["indicator"] for i in indicators["indicators"]} == {
        "operation_agencies",
        "alliances",
        "patent_pools",
        "overseas_trademarks",
        "transactions_licensing",
    }
