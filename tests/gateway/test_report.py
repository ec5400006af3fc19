"""The annual performance evaluation (GET /api/v1/public/report/{year}): the workbook opened with
openpyxl and the printable page parsed, both compared with /progress's series and judgements for
that year; zh and en; the format chosen by `format` or Accept; years outside the plan's range."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from gateway.main import create_app
from tests import testing
from tests.gateway.browser import series_cells
from tests.gateway.conftest import serve_uvicorn
from tests.gateway.test_read_model import CURRENT, EVENTS, publish, settled_when

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def public(gateway_settings) -> Any:
    settings = gateway_settings(run_background_tasks=True)
    async with serve_uvicorn(create_app(settings)) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:
        await publish(settings, EVENTS)

        async def filled() -> dict[str, Any] | None:
            body: dict[str, Any] = (await client.get("/api/v1/public/progress")).json()
            return body if settled_when(body) else None

        progress = await testing.eventually(filled, timeout=60, interval=0.5, message="read model did not fill")
        yield client, {s["indicator"]: s for s in progress["indicators"]}


def _cell(value: Any) -> Decimal | str | None:
    # Numbers come back from the file as int or float: compared as the decimal they print as.
    return Decimal(str(value)) if isinstance(value, int | float) else value


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


async def test_the_workbook_holds_every_indicator_and_its_records(public) -> None:
    client, progress = public
    r = await client.get("/api/v1/public/report/2022", params={"format": "xlsx", "lang": "en"})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert "ipops-evaluation-2022-en.xlsx" in r.headers["content-disposition"]
    book = load_workbook(BytesIO(r.content))
    summary = book.worksheets[0]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][0] == "Dongli district IP operations service system: performance evaluation 2022"
    header = rows[2]
    assert header[:4] == ("Goal", "Indicator", "Unit", "Source")
    assert header[4] == "Base year (2018)" and header[8] == "Value 2022" and len(header) == 4 + 5 + 3
    lines = {row[1]: row for row in rows[3:]}
    assert len(lines) == len(progress)
    for s in progress.values():
        row = lines[s["title_en"]]
        shown = [_cell(v) for v in row[4:9]]
        if s["has_source"]:
            assert shown == [_decimal(v["value"]) for v in s["series"] if v["year"] <= 2022], s["indicator"]
        else:
            assert shown == ["No data yet"] * 5
        assert row[3] == s["owner"]
    amount = lines["IP pledge financing amount"]
    assert [_cell(v) for v in amount[9:]] == [Decimal("18.9"), "+30% a year", "not met"]
    assert lines["Number of IP pledges"][11] == "met"
    assert lines["Public satisfaction with IP protection (survey, points of 100)"][11] == "met"
    assert lines["Industry IP alliances"][11] == "no data yet"  # the status, in lower case
    # one sheet per indicator: the records that make up its 2022 value
    assert book.sheetnames[1:] == list(progress)
    records = [row[0] for row in book["pledge_amount"].iter_rows(min_row=4, values_only=True)]
    assert records == ["L2"]  # L1 counted in 2018, L3 withdrawn
    assert [row[0] for row in book["mixed_pledges"].iter_rows(min_row=4, values_only=True)] == ["No records"]
    assert [row[0] for row in book["patent_pools"].iter_rows(min_row=4, values_only=True)] == ["No data yet"]


async def test_the_printable_page_in_chinese_by_accept(public) -> None:
    client, progress = public
    r = await client.get("/api/v1/public/report/2022", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "2022 年度绩效评价" in page and 'href="/static/report.css"' in page and "<script" not in page
    cells = series_cells(page)
    for s in progress.values():
        expected = {
            v["year"]: (f"{Decimal(v['value']):,}" if v["value"] is not None else "—")
            if s["has_source"]
            else "暂无数据"
            for v in s["series"]
            if v["year"] <= 2022
        }
        assert cells[s["indicator"]] == expected, s["indicator"]
    assert 'data-indicator="pledge_amount" data-status="not_met"' in page
    assert "区政府文件 &lt;2021&gt; 12 号" in page  # evidence from an event is escaped
    english = (await client.get("/api/v1/public/report/2022", params={"format": "html", "lang": "en"})).text
    assert "performance evaluation 2022" in english and "not met" in english


async def test_the_current_year_is_year_to_date_and_other_years_are_refused(public) -> None:
    client, _ = public
    r = await client.get(f"/api/v1/public/report/{CURRENT}", params={"format": "html", "lang": "en"})
    assert r.status_code == 200
    assert f"Value {CURRENT} (year to date)" in r.text
    assert 'data-indicator="pledge_amount" data-status="year_to_date"' in r.text
    default = await client.get("/api/v1/public/report/2020")
    assert default.headers["content-type"] == XLSX
    early = await client.get("/api/v1/public/report/2017")
    assert early.status_code == 422 and early.headers["content-type"] == "application/problem+json"
    assert early.json()["errors"][0]["field"] == "path.year"  # the bound is declared (#15)
    late = await client.get(f"/api/v1/public/report/{CURRENT + 1}")
    assert late.status_code == 404 and late.json()["errors"][0]["field"] == "path.year"
    bad = await client.get("/api/v1/public/report/2022", params={"format": "pdf"})
    assert bad.status_code == 422
