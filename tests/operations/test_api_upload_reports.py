"""A refused upload of transactions or overseas marks as an XLSX error report (CSV and XLSX input):
the rows as read, each with its row number and problems, when Accept prefers XLSX; problem+json
otherwise; nothing saved either way, and the report, fixed, uploads as it is."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import openpyxl
import pytest

from operations.config import OperationsSettings
from tests.operations.helpers import BASE, LICENSOR, PATENT_1, key
from tests.operations.test_api_uploads import GOOD, HEADER
from tests.testing import xlsx_of

Register = Callable[..., Awaitable[None]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_AMOUNT = GOOD[1].replace("2500.50", "25.505")
BAD_PATENT = GOOD[0].replace(PATENT_1, "202010123456.3")


@pytest.fixture
def operations_settings(pg_url: str, settings_for: Callable[..., Any]) -> OperationsSettings:
    """The module's app lists at most two problems in a refusal's problem+json."""
    settings: OperationsSettings = settings_for(
        OperationsSettings, pg_url, run_background_tasks=False, bulk_max_reported_errors=2
    )
    return settings


@pytest.fixture(autouse=True)
async def agency(register_agency: Register) -> None:
    await register_agency("agency-a")


def _table(content: bytes) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


async def _post(
    client: httpx.AsyncClient, headers: dict[str, str], body: bytes, media: str, accept: str, what: str = "transaction"
) -> httpx.Response:
    sent = {**headers, **key(), "Content-Type": media, "Accept": accept}
    return await client.post(f"{BASE}/{what}-uploads", content=body, headers=sent)


async def test_a_refused_csv_as_an_xlsx_report_then_fixed_and_uploaded_as_it_is(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    body = "\n".join([HEADER, GOOD[0], BAD_PATENT, "", BAD_AMOUNT]).encode()
    report = await _post(client, agency_a, body, "text/csv", XLSX)
    assert report.status_code == 422
    assert report.headers["content-type"] == XLSX and report.headers["vary"] == "Accept"
    assert "transaction-upload-errors.xlsx" in report.headers["content-disposition"]
    table = _table(report.content)
    assert table[0] == (*HEADER.split(","), "原行号", "错误")
    assert [row[:-2] for row in table[1:]] == [tuple(r.split(",")) for r in (GOOD[0], BAD_PATENT, BAD_AMOUNT)]
    numbers_and_problems = [(row[-2], row[-1]) for row in table[1:]]
    assert [n for n, _ in numbers_and_problems] == [2, 3, 5], "the row numbers the file shows, blank line counted"
    assert numbers_and_problems[0][1] is None
    assert str(numbers_and_problems[1][1]).startswith("right_numbers.0: ")
    assert str(numbers_and_problems[2][1]).startswith("amount: ")
    assert (await client.get(f"{BASE}/transactions", headers=agency_a)).json()["total"] == 0

    book = openpyxl.load_workbook(io.BytesIO(report.content))
    sheet = book.worksheets[0]
    sheet["C3"] = PATENT_1
    sheet["I4"] = "2500.50"
    fixed = io.BytesIO()
    book.save(fixed)
    accepted = await _post(client, agency_a, fixed.getvalue(), XLSX, XLSX)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["row_count"] == 3


async def test_a_refused_xlsx_as_a_report_keeps_its_cells_as_typed(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    header = HEADER.split(",")
    good = GOOD[1].split(",")
    typed = [*good[:-1], datetime(2025, 2, 1)]  # contracted_on as a date cell
    bad = [*good[:-3], "-1", *good[-2:]]
    body = xlsx_of([header, typed, [None] * len(header), bad])
    report = await _post(client, operator, body, XLSX, f"application/problem+json;q=0.5, {XLSX}")
    assert report.status_code == 422 and report.headers["content-type"] == XLSX
    table = _table(report.content)
    assert table[1] == (*typed, 2, None)
    assert table[2][:-1] == (*bad, 4) and str(table[2][-1]).startswith("amount: ")


async def test_without_asking_for_xlsx_the_refusal_is_problem_json(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    body = "\n".join([HEADER, BAD_AMOUNT]).encode()
    for accept in ("*/*", "application/problem+json", f"{XLSX};q=0.5, application/problem+json"):
        refused = await _post(client, agency_a, body, "text/csv", accept)
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(2, "rows.2.amount")]


async def test_the_report_lists_every_problem_beyond_those_the_problem_lists(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    body = "\n".join([HEADER, *[BAD_AMOUNT] * 3]).encode()
    problem = (await _post(client, agency_a, body, "text/csv", "application/problem+json")).json()
    assert (problem["error_count"], len(problem["errors"])) == (3, 2)
    table = _table((await _post(client, agency_a, body, "text/csv", XLSX)).content)
    assert [str(row[-1]).split(":")[0] for row in table[1:]] == ["amount"] * 3


async def test_overseas_marks_refused_as_an_xlsx_report(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    header = "国际注册号,基础商标注册号,商标,注册人信用代码,注册人,尼斯分类,国际注册日,指定国家"
    good = f"1600001,12345678,TPCO,{LICENSOR},Tianjin Pipe,6;40,2024-03-01,US:protected;DE;EM"
    second = good.replace("1600001", "1600002").replace("US:protected;DE;EM", "JP;XX")
    body = "\n".join([header, good, second]).encode("gbk")
    report = await _post(client, operator, body, "text/csv; charset=GBK", XLSX, what="trademark")
    assert report.status_code == 422 and report.headers["content-type"] == XLSX
    assert "trademark-upload-errors.xlsx" in report.headers["content-disposition"]
    table = _table(report.content)
    assert table[0] == (*header.split(","), "原行号", "错误")
    assert table[1][-2:] == (2, None)
    assert table[2][-2] == 3 and str(table[2][-1]).startswith("designations.1.country: ")
    assert table[2][2] == "TPCO"
    assert (await client.get(f"{BASE}/trademarks", headers=operator)).json()["total"] == 0
