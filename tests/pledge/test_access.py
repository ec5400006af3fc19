"""Who sees what (#15, README "Who sees what"), on PostgreSQL: another bank's object is 404 (its
existence is not confirmed), a bank's figures are its own beside the district's totals, agencies
have nothing in pledge, and the ids of a bank's rights cannot be enumerated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pledge.main import create_app
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import ZHONGSHAN, Api, P, drive, pool_with_agreement, register_bank, submit
from tests.testing import TokenFactory


@pytest.fixture
async def bank_b(operator: Api, as_role: Callable[..., Api]) -> Api:
    return as_role("bank", await register_bank(operator))


async def test_a_bank_lists_only_itself(operator: Api, bank: Api, bank_b: Api) -> None:
    listed = (await bank_b.get("/banks", limit=500)).json()
    assert [b["id"] for b in listed["items"]] == [bank_b.tenant]
    assert listed["total"] == 1
    everyone = {b["id"] for b in (await operator.get("/banks", limit=500)).json()["items"]}
    assert {bank.tenant, bank_b.tenant} <= everyone


async def test_statistics_show_a_bank_only_its_own_figures(operator: Api, bank: Api, bank_b: Api) -> None:
    loan = await submit(bank)
    await drive(bank, loan["id"], "defaulted")
    for caller, others in ((bank_b, {bank.tenant}), (bank, {bank_b.tenant})):
        years = (await caller.get("/statistics")).json()["years"]
        rows = {b["bank_id"] for y in years for b in y["banks"]}
        assert rows <= {caller.tenant} and not rows & others
    mine = {b["bank_id"] for y in (await bank.get("/statistics")).json()["years"] for b in y["banks"]}
    assert mine == {bank.tenant}
    district = (await operator.get("/statistics")).json()["years"]
    assert sum(y["pledge_count"] for y in (await bank_b.get("/statistics")).json()["years"]) == sum(
        y["pledge_count"] for y in district
    )


async def test_a_pool_without_the_banks_agreement_is_404(operator: Api, bank: Api, bank_b: Api) -> None:
    pool_id = await pool_with_agreement(operator, bank.tenant or "")
    assert (await bank.get(f"/pools/{pool_id}")).status_code == 200
    assert (await bank_b.get(f"/pools/{pool_id}")).status_code == 404
    assert (await operator.get(f"/pools/{pool_id}")).status_code == 200
    listed = (await bank_b.get("/pool-agreements", bank_id=bank.tenant)).json()
    assert listed["items"] == [] and listed["total"] == 0


async def _policy(operator: Api, owner: str, numbers: list[str]) -> dict[str, Any]:
    return await operator.ok(
        "/insurance-policies",
        {
            "policy_number": f"PN-{owner[-8:]}-{len(numbers)}",
            "insurer": "PICC",
            "product_type": "pledge_financing",
            "enterprise_credit_code": owner,
            "insured_rights": numbers,
            "sum_insured": "100000.00",
            "premium": "1000.00",
            "subsidy": "0",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )


async def test_policies_only_on_the_banks_loans_rights(operator: Api, bank: Api, bank_b: Api) -> None:
    loan = await submit(bank)
    detail = (await bank.get(f"/loans/{loan['id']}")).json()
    owner = detail["enterprise_credit_code"]
    numbers = [c["number"] for c in detail["collateral"]]
    policy = await _policy(operator, owner, numbers)
    mine = {p["id"] for p in (await bank.get("/insurance-policies", limit=500)).json()["items"]}
    theirs = {p["id"] for p in (await bank_b.get("/insurance-policies", limit=500)).json()["items"]}
    assert policy["id"] in mine and policy["id"] not in theirs


async def test_collateral_alerts_only_for_the_banks_loans(bank_b: Api) -> None:
    listed = (await bank_b.get("/collateral-alerts")).json()
    assert listed["items"] == [] and listed["total"] == 0


# District aggregates every authenticated caller may read (issue #12): no tenant's figures.
FOR_EVERYONE = {("GET", P + "/statistics/indicators")}


def _routes() -> list[tuple[str, str]]:
    tokens = TokenFactory()
    app = create_app(pledge_settings("sqlite+aiosqlite://", tokens, "localhost:1"))
    paths = app.openapi()["paths"]
    routes = {(method.upper(), path) for path, ops in paths.items() if path.startswith(P) for method in ops}
    return sorted(routes - FOR_EVERYONE)


@pytest.mark.parametrize(("method", "path"), _routes())
async def test_agencies_have_nothing_in_pledge(method: str, path: str, as_role: Callable[..., Api], bank: Api) -> None:
    agency = as_role("agency", "agency-a")
    url = path.replace("{", "").replace("}", "")
    response = await agency.client.request(
        method, url, headers={**agency.headers, "Idempotency-Key": "k-agency"}, json={}
    )
    assert response.status_code == 403, (method, path, response.text)


@pytest.mark.parametrize(("method", "path"), sorted(FOR_EVERYONE))
async def test_district_indicators_are_for_every_authenticated_caller(
    method: str, path: str, as_role: Callable[..., Api], client: httpx.AsyncClient
) -> None:
    for role, tenant in (("agency", "agency-a"), ("bank", "bank-x"), ("operator", None)):
        caller = as_role(role, tenant)
        assert (await caller.client.request(method, path, headers=caller.headers)).status_code == 200, role
    assert (await client.request(method, path)).status_code == 401


async def test_a_bank_sees_the_ledger_lines_of_its_own_claims(
    operator: Api, bank: Api, bank_b: Api, as_role: Callable[..., Api]
) -> None:
    pool_id = await pool_with_agreement(operator, bank.tenant or "")
    await operator.ok("/pool-agreements", {"pool_id": pool_id, "bank_id": bank_b.tenant, "terms": ZHONGSHAN})
    loan = await submit(bank, amount="1000.00")
    await drive(bank, loan["id"], "defaulted")
    claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
    assert claim["status"] == "paid"
    everything = (await operator.get(f"/pools/{pool_id}/ledger", limit=500)).json()
    mine = (await bank.get(f"/pools/{pool_id}/ledger", limit=500)).json()
    theirs = (await bank_b.get(f"/pools/{pool_id}/ledger", limit=500)).json()
    assert {e["kind"] for e in everything["items"]} >= {"contribution", "claim"}
    assert mine["items"] and {e["reference"] for e in mine["items"]} == {claim["id"]}
    assert mine["total"] == len(mine["items"]) < everything["total"]
    assert theirs == {"items": [], "total": 0}
    outsider = as_role("bank", await register_bank(operator))
    assert (await outsider.get(f"/pools/{pool_id}/ledger")).status_code == 404
