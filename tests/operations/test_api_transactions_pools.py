"""Transactions and patent pools through the API: registration, validation naming the field, pool
licences, royalties, rescission, the transactions_licensing and patent_pools contributions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from ipops.clock import district_today
from ipops.indicators.ledger import IndicatorContribution
from ipops.runtime import ServiceRuntime
from operations.common import subject
from tests.operations.helpers import BASE, LICENSEE, LICENSOR, PATENT_1, PATENT_2, key, post, problem_fields

Register = Callable[..., Awaitable[None]]
OTHER_MEMBER = "91310000MA1FL0KX3R"


@pytest.fixture(autouse=True)
async def two_agencies(register_agency: Register) -> None:
    await register_agency("agency-a")
    await register_agency("agency-b")


def deal(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "exclusive_licence",
        "right_kind": "patent",
        "right_numbers": [PATENT_1],
        "transferor": {"credit_code": LICENSOR, "name": "Dongli Pumps"},
        "transferee": {"credit_code": LICENSEE, "name": "Beijing Motors"},
        "start_date": "2025-01-01",
        "end_date": "2029-12-31",
        "amount": "1500000.00",
        "payment_form": "lump_sum",
        "contracted_on": "2025-03-15",
    }
    body.update(overrides)
    return body


async def contribution(runtime: ServiceRuntime, indicator: str, subject: str) -> IndicatorContribution | None:
    async with runtime.sessionmaker() as session:
        return await session.get(IndicatorContribution, (indicator, subject))


async def test_an_agency_registers_its_deal_and_it_counts_in_the_year_contracted(
    client: httpx.AsyncClient, agency_a: dict[str, str], agency_b: dict[str, str], runtime: ServiceRuntime
) -> None:
    created = await post(client, "/transactions", agency_a, deal(right_numbers=["ZL" + PATENT_1]))
    assert created["agency_id"] == "agency-a" and created["right_numbers"] == [PATENT_1]
    assert created["amount"] == "1500000.00" and len(created["id"]) == 32
    row = await contribution(runtime, "transactions_licensing", subject("contract", created["id"]))
    assert row is not None and (row.quantity, row.start_on) == (150_000_000, date(2025, 3, 15))
    assert (await client.get(f"{BASE}/transactions/{created['id']}", headers=agency_b)).status_code == 404
    assert (await client.get(f"{BASE}/transactions", headers=agency_b)).json()["total"] == 0
    listed = (await client.get(f"{BASE}/transactions", params={"year": 2025}, headers=agency_a)).json()
    assert [t["id"] for t in listed["items"]] == [created["id"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"right_numbers": ["202010123456.3"]}, "body.right_numbers.0"),
        ({"right_numbers": [PATENT_1, PATENT_1]}, "body.right_numbers.1"),
        ({"right_kind": "trademark", "right_numbers": ["12a"]}, "body.right_numbers.0"),
        ({"transferor": {"credit_code": "91120110MA05JXXX0A", "name": "x"}}, "body.transferor.credit_code"),
        ({"amount": "-5.00"}, "body.amount"),
        ({"amount": "5.005"}, "body.amount"),
        ({"end_date": "2024-12-31"}, "body.end_date"),
        ({"contracted_on": (district_today() + timedelta(days=2)).isoformat()}, "body.contracted_on"),
        ({"recordal_number": "2025990000123"}, "body.recordal_date"),
        ({"agency_id": "agency-b"}, "body.agency_id"),
        ({"pool_id": "nopool"}, "body.pool_id"),
        ({"transferee": {"credit_code": LICENSOR, "name": "Self"}}, "body.transferee.credit_code"),
    ],
)
async def test_bad_deals_name_the_field(
    client: httpx.AsyncClient, agency_a: dict[str, str], overrides: dict[str, Any], field: str
) -> None:
    response = await client.post(f"{BASE}/transactions", json=deal(**overrides), headers={**agency_a, **key()})
    assert response.status_code == 422, response.text
    assert problem_fields(response) == [field]


async def test_royalties_count_per_year_and_rescission_takes_everything_out(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str], runtime: ServiceRuntime
) -> None:
    created = await post(
        client, "/transactions", operator, deal(payment_form="running_royalty", amount="0.00", agency_id="agency-a")
    )
    assert created["agency_id"] == "agency-a"
    assert await contribution(runtime, "transactions_licensing", subject("contract", created["id"])) is None
    path = f"/transactions/{created['id']}/royalties"
    royalty = await post(client, path, agency_a, {"year": 2025, "amount": "80000.00"})
    assert royalty["year"] == 2025
    twice = await client.post(BASE + path, json={"year": 2025, "amount": "1.00"}, headers={**agency_a, **key()})
    assert twice.status_code == 409
    early = await client.post(BASE + path, json={"year": 2024, "amount": "1.00"}, headers={**agency_a, **key()})
    assert early.status_code == 422 and problem_fields(early) == ["body.year"]
    row = await contribution(runtime, "transactions_licensing", subject("royalty", created["id"], 2025))
    assert row is not None and (row.quantity, row.start_year) == (8_000_000, 2025)

    rescinded = await post(
        client,
        f"/transactions/{created['id']}/rescission",
        agency_a,
        {"rescinded_on": "2026-01-10", "reason": "licensee insolvent"},
        expect=200,
    )
    assert rescinded["status"] == "rescinded" and [r["year"] for r in rescinded["royalties"]] == [2025]
    row = await contribution(runtime, "transactions_licensing", subject("royalty", created["id"], 2025))
    assert row is not None and row.quantity == 0
    again = await client.post(
        f"{BASE}/transactions/{created['id']}/rescission",
        json={"rescinded_on": "2026-01-11", "reason": "x"},
        headers={**agency_a, **key()},
    )
    assert again.status_code == 409 and again.json()["allowed_moves"] == []


async def test_a_lump_sum_deal_takes_no_royalties(client: httpx.AsyncClient, agency_a: dict[str, str]) -> None:
    created = await post(client, "/transactions", agency_a, deal())
    response = await client.post(
        f"{BASE}/transactions/{created['id']}/royalties",
        json={"year": 2025, "amount": "1.00"},
        headers={**agency_a, **key()},
    )
    assert response.status_code == 409


async def build_pool(client: httpx.AsyncClient, operator: dict[str, str]) -> dict[str, Any]:
    pool = await post(client, "/pools", operator, {"name": "NEV drive pool", "industry": "new_energy_icv"})
    assert pool["qualifies"] is False
    pid = pool["id"]
    await post(
        client, f"/pools/{pid}/members", operator, {"credit_code": LICENSOR, "name": "A", "joined_on": "2025-01-02"}
    )
    await post(
        client, f"/pools/{pid}/members", operator, {"credit_code": OTHER_MEMBER, "name": "B", "joined_on": "2025-01-03"}
    )
    await post(
        client,
        f"/pools/{pid}/patents",
        operator,
        {"patent_number": PATENT_1, "owner_credit_code": LICENSOR, "added_on": "2025-01-04"},
    )
    pool = await post(
        client,
        f"/pools/{pid}/patents",
        operator,
        {"patent_number": PATENT_2, "owner_credit_code": OTHER_MEMBER, "added_on": "2025-01-05"},
    )
    assert pool["qualifies"] is False  # no published terms yet
    return await post(
        client,
        f"/pools/{pid}/terms",
        operator,
        {"summary": "FRAND", "royalty_basis": "2 % of net sales", "published_on": "2025-02-01"},
    )


async def test_a_pool_counts_with_two_contributing_members_and_terms_until_one_leaves(
    client: httpx.AsyncClient, operator: dict[str, str], runtime: ServiceRuntime
) -> None:
    pool = await build_pool(client, operator)
    assert pool["qualifies"] is True and pool["terms"]["version"] == 1
    row = await contribution(runtime, "patent_pools", pool["id"])
    assert row is not None and (row.quantity, row.start_on, row.end_on) == (1, date(2025, 2, 1), None)
    member = next(m for m in pool["members"] if m["credit_code"] == OTHER_MEMBER)
    left = await post(
        client, f"/pools/{pool['id']}/members/{member['id']}/departure", operator, {"left_on": "2026-03-01"}, expect=200
    )
    assert left["qualifies"] is False
    row = await contribution(runtime, "patent_pools", pool["id"])
    assert row is not None and (row.quantity, row.end_on) == (1, date(2026, 3, 1))


async def test_a_licence_out_of_a_pool_licenses_its_patents(
    client: httpx.AsyncClient, operator: dict[str, str], agency_a: dict[str, str]
) -> None:
    pool = await build_pool(client, operator)
    outside = make_outside_patent()
    bad = await client.post(
        f"{BASE}/transactions",
        json=deal(pool_id=pool["id"], right_numbers=[PATENT_1, outside]),
        headers={**agency_a, **key()},
    )
    assert bad.status_code == 422 and problem_fields(bad) == ["body.right_numbers.1"]
    assignment = await client.post(
        f"{BASE}/transactions", json=deal(pool_id=pool["id"], kind="assignment"), headers={**agency_a, **key()}
    )
    assert problem_fields(assignment) == ["body.kind"]
    licence = await post(client, "/transactions", agency_a, deal(pool_id=pool["id"], kind="ordinary_licence"))
    assert licence["pool_id"] == pool["id"]
    listed = (await client.get(f"{BASE}/transactions", params={"pool_id": pool["id"]}, headers=operator)).json()
    assert [t["id"] for t in listed["items"]] == [licence["id"]]


async def test_pool_patents_belong_to_current_members(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    pool = await post(client, "/pools", operator, {"name": "Devices pool", "industry": "biomedicine_devices"})
    response = await client.post(
        f"{BASE}/pools/{pool['id']}/patents",
        json={"patent_number": PATENT_1, "owner_credit_code": LICENSOR, "added_on": "2025-01-01"},
        headers={**operator, **key()},
    )
    assert response.status_code == 422 and problem_fields(response) == ["body.owner_credit_code"]
    bad_number = await client.post(
        f"{BASE}/pools/{pool['id']}/patents",
        json={"patent_number": "202010123456.0", "owner_credit_code": LICENSOR, "added_on": "2025-01-01"},
        headers={**operator, **key()},
    )
    assert bad_number.status_code == 422 and problem_fields(bad_number) == ["body.patent_number"]
    assert (
        await client.post(f"{BASE}/pools", json={"name": "x", "industry": "other"}, headers={**operator, **key()})
    ).status_code == 201


def make_outside_patent() -> str:
    from ipops.identifiers import make_patent_number

    return make_patent_number(2019, "2", 777)
