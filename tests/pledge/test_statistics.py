"""Statistics per year and IP insurance, on a database of their own (the figures are totals)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from ipops.clock import district_year, utc_now
from pledge.main import create_app
from tests import testing
from tests.conftest import serve
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, drive, enterprise, pool_with_agreement, register_bank, repay_in_full, submit


@pytest.fixture
async def fresh(pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(pledge_settings(pg_url, tokens, kafka_bootstrap))) as client:
        yield client


async def test_figures_per_year_with_growth(
    fresh: httpx.AsyncClient, tokens: testing.TokenFactory, pg_url: str
) -> None:
    operator = Api(fresh, tokens, "operator")
    bank = Api(fresh, tokens, "bank", await register_bank(operator))
    await pool_with_agreement(operator, bank.tenant or "", funds="100000.00")
    year = district_year(utc_now())  # the API stamps now: it counts in the district's year
    old = await submit(bank, amount="1000.00")
    await drive(bank, old["id"], "registered")
    # reported late: paid out last year (the disbursement's business date decides the year)
    assert (await bank.move(old["id"], "disburse", disbursed_date=f"{year - 1}-06-01")).status_code == 200
    mixed = await submit(bank, amount="1000.00", kinds=("patent", "trademark"))
    await drive(bank, mixed["id"], "disbursed")
    await repay_in_full(bank, mixed["id"], "1000.00")
    bad = await submit(bank, amount="500.00")
    await drive(bank, bad["id"], "defaulted")
    await bank.ok(f"/loans/{bad['id']}/claims", {"loss": "500.00"})
    await bank.ok(f"/loans/{bad['id']}/recoveries", {"amount": "100.00"})
    never = await submit(bank, amount="99999.00")
    await drive(bank, never["id"], "registered")  # not paid out: not a pledge amount yet
    owner = await enterprise(bank)
    policy = await operator.ok(
        "/insurance-policies",
        {
            "policy_number": "PICC-2026-001",
            "insurer": "PICC P&C",
            "product_type": "patent_enforcement",
            "enterprise_credit_code": owner,
            "insured_rights": ["202010123456.2"],
            "sum_insured": "300000.00",
            "premium": "6000.00",
            "subsidy": "3000.00",
            "start_date": f"{year}-01-01",
            "end_date": f"{year}-12-31",
        },
    )
    assert policy["sum_insured"] == "300000.00"

    stats = (await operator.get("/statistics")).json()["years"]
    assert [s["year"] for s in stats] == [year - 1, year]
    before, now = stats
    assert (before["pledge_amount"], before["pledge_count"], before["growth"]["pledge_amount"]) == ("1000.00", 1, None)
    assert (now["pledge_amount"], now["pledge_count"], now["mixed_pledge_count"]) == ("1500.00", 2, 1)
    assert now["growth"] == {"pledge_amount": "50.0", "pledge_count": "100.0", "insured_amount": None}
    assert (now["insured_amount"], now["policy_count"]) == ("300000.00", 1)
    assert (now["claims_paid"], now["recoveries"]) == ("270.00", "100.00")
    assert now["banks"] == [
        {"bank_id": bank.tenant, "disbursed": "1500.00", "non_performing": "500.00", "npl_ratio": "33.33"}
    ]


async def test_policy_rules(fresh: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
    operator = Api(fresh, tokens, "operator")
    owner = await enterprise(operator)
    body = {
        "policy_number": "P-1",
        "insurer": "Cathay",
        "product_type": "infringement_liability",
        "enterprise_credit_code": owner,
        "sum_insured": "1000.00",
        "premium": "10.00",
        "subsidy": "20.00",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    }
    response = await operator.post("/insurance-policies", body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.subsidy"
    response = await operator.post("/insurance-policies", {**body, "subsidy": "5.00", "end_date": "2025-12-31"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.end_date"
    await operator.ok("/insurance-policies", {**body, "subsidy": "5.00"})
    assert (await operator.post("/insurance-policies", {**body, "subsidy": "5.00"})).status_code == 409
    bank = Api(fresh, tokens, "bank", "some-bank")
    assert (await bank.post("/insurance-policies", body)).status_code == 403
    listed = (await operator.get("/insurance-policies")).json()
    assert listed["total"] == 1 and listed["items"][0]["subsidy"] == "5.00"
    # a bank sees a policy only when it insures a right pledged for one of its loans
    assert (await bank.get("/insurance-policies")).json() == {"items": [], "total": 0}
