"""End to end through the gateway with gateway-issued tokens (issue #13): the district office
registers an agency (trusteeship owns the registry; operations follows it through Kafka) and a
patent pool; the agency brokers a licence out of the pool, reports its revenue with evidence, and an
operator verifies it. The transactions figure rises by the licence's amount in the year it was
contracted, the agency counts toward goal 一, and the gateway's public progress (its read model,
fed from Kafka) shows both, with a milestone of goal 八; so do the dashboard as chromium renders it
and the year's evaluation, as workbook and as printable page."""

from __future__ import annotations

import uuid
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from ipops.clock import district_today
from ipops.identifiers import make_patent_number
from ipops.indicators.evaluation import BASE_YEAR
from tests.e2e.conftest import Caller
from tests.e2e.test_scenarios import credit_code
from tests.gateway.browser import dump_dom, series_cells
from tests.testing import eventually

OPS, T = "/api/v1/operations", "/api/v1/trusteeship"


def value(document: dict[str, Any], indicator: str, year: int) -> Decimal:
    series = next(i for i in document["indicators"] if i["indicator"] == indicator)["series"]
    found = next((y["value"] for y in series if y["year"] == year), None)
    return Decimal(found or 0)


async def build_pool(operator: Caller, tag: str) -> tuple[str, list[str], str]:
    owners = [credit_code(760001), credit_code(760002)]
    patents = [make_patent_number(2021, "1", 760001), make_patent_number(2021, "1", 760002)]
    pool = await operator.ok(f"{OPS}/pools", {"name": f"NEV pool {tag}", "industry": "new_energy_icv"})
    for n, (owner, patent) in enumerate(zip(owners, patents, strict=True)):
        await operator.ok(
            f"{OPS}/pools/{pool['id']}/members",
            {"credit_code": owner, "name": f"Member {n}", "joined_on": "2024-01-02"},
        )
        await operator.ok(
            f"{OPS}/pools/{pool['id']}/patents",
            {"patent_number": patent, "owner_credit_code": owner, "added_on": "2024-01-03"},
        )
    pool = await operator.ok(
        f"{OPS}/pools/{pool['id']}/terms", {"summary": "FRAND", "royalty_basis": "2 %", "published_on": "2024-02-01"}
    )
    assert pool["qualifies"] is True
    return pool["id"], patents, owners[0]


async def test_agency_brokers_a_pool_licence_reports_revenue_and_the_figures_rise(
    operator: Caller, make_caller: Any, gateway: httpx.AsyncClient, platform: Any, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    agency_id = f"agency-ops-{tag}"
    year = district_today().year - 1
    before = await operator.json(f"{OPS}/statistics/indicators")
    public_before = (await gateway.get("/api/v1/public/progress")).json()

    await operator.ok(
        f"{T}/agencies",
        {"id": agency_id, "name": f"Dongli Operations {tag}", "contract_number": f"DL-OPS-{tag}",
         "contract_start_date": "2019-01-01", "contract_end_date": "2027-12-31", "quota": 5},
    )  # fmt: skip
    agency = await make_caller("agency", agency_id)

    async def followed() -> Any:
        return (await agency.get(f"{OPS}/agencies/{agency_id}")).status_code == 200 or None

    await eventually(followed, timeout=60, message="operations did not follow trusteeship's registry")
    other = await make_caller("agency", f"agency-ops-other-{tag}")

    pool_id, patents, licensor = await build_pool(operator, tag)
    licence = await agency.ok(
        f"{OPS}/transactions",
        {"kind": "ordinary_licence", "right_kind": "patent", "right_numbers": patents,
         "transferor": {"credit_code": licensor, "name": "Member 0"},
         "transferee": {"credit_code": "91110000600037341L", "name": "Beijing Motors"},
         "start_date": f"{year}-03-01", "end_date": f"{year + 4}-02-28", "amount": "2500000.00",
         "payment_form": "lump_sum", "contracted_on": f"{year}-02-20", "pool_id": pool_id},
    )  # fmt: skip
    assert (licence["agency_id"], licence["pool_id"]) == (agency_id, pool_id)
    assert (await other.get(f"{OPS}/transactions/{licence['id']}")).status_code == 404

    report = await agency.ok(
        f"{OPS}/agencies/{agency_id}/revenue-reports",
        {"year": year, "revenue": "12500000.00", "evidence": f"audit/{year}/{agency_id}.pdf"},
    )
    assert (await other.get(f"{OPS}/revenue-reports/{report['id']}")).status_code == 404
    refused = await agency.post(f"{OPS}/revenue-reports/{report['id']}/verification", {})
    assert refused.status_code == 403
    verified = await operator.ok(f"{OPS}/revenue-reports/{report['id']}/verification", {}, status=200)
    assert verified["status"] == "verified"

    after = await operator.json(f"{OPS}/statistics/indicators")
    assert value(after, "transactions_licensing", year) == value(before, "transactions_licensing", year) + Decimal(
        "2500000.00"
    )
    assert value(after, "operation_agencies", year) == value(before, "operation_agencies", year) + 1
    assert value(after, "patent_pools", year) >= 1

    milestone = await operator.ok(
        f"{OPS}/milestones",
        {"goal": 8, "title_zh": f"华明知识产权特色小镇 {tag}", "title_en": f"Huaming IP town {tag}",
         "achieved_on": f"{year}-10-01", "evidence": "https://example.org/huaming"},
    )  # fmt: skip

    async def public_shows_it() -> Any:
        doc = (await gateway.get("/api/v1/public/progress")).json()
        rose = value(doc, "transactions_licensing", year) >= value(
            public_before, "transactions_licensing", year
        ) + Decimal("2500000.00")
        counted = value(doc, "operation_agencies", year) >= value(public_before, "operation_agencies", year) + 1
        goal8 = next(g for g in doc["milestones"] if g["goal"] == 8)
        recorded = any(m["milestone_id"] == milestone["id"] for m in goal8["milestones"])
        return (rose and counted and recorded) or None

    await eventually(public_shows_it, timeout=60, message="the public progress did not show the operations figures")
    await published_everywhere(gateway, platform.apps["gateway"].url, year, tmp_path)


FIGURES = ("transactions_licensing", "operation_agencies")


async def published_everywhere(gateway: httpx.AsyncClient, base: str, year: int, tmp_path: Path) -> None:
    """The dashboard as chromium renders it, and the evaluation of `year` as workbook and printable
    page, show both figures of the year as /public/progress gives them (the read model's)."""
    doc = (await gateway.get("/api/v1/public/progress")).json()
    series = {i["indicator"]: i for i in doc["indicators"] if i["indicator"] in FIGURES}
    figures = {name: next(v["value"] for v in s["series"] if v["year"] == year) for name, s in series.items()}
    assert all(figures.values()), figures

    shown = series_cells(await dump_dom(f"{base}/?lang=en", tmp_path / "dashboard"))
    assert {name: shown[name][year] for name in FIGURES} == figures

    r = await gateway.get(f"/api/v1/public/report/{year}", params={"format": "xlsx", "lang": "en"})
    assert r.status_code == 200, r.text
    rows = list(load_workbook(BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))[3:]
    by_title = {row[1]: row for row in rows}
    column = 4 + year - BASE_YEAR  # the years run from the base year, from the fifth column
    in_workbook = {name: Decimal(str(by_title[series[name]["title_en"]][column])) for name in FIGURES}
    assert in_workbook == {name: Decimal(v) for name, v in figures.items()}

    r = await gateway.get(f"/api/v1/public/report/{year}", params={"format": "html", "lang": "en"})
    assert r.status_code == 200, r.text
    printed = series_cells(r.text)
    assert {name: printed[name][year] for name in FIGURES} == {n: f"{Decimal(v):,}" for n, v in figures.items()}
