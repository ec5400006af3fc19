"""Bulk upload of transactions (CSV, GBK CSV, XLSX): all or nothing, each problem named by row and
field, nothing saved and nothing kept under the Idempotency-Key when refused."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import httpx
import openpyxl
import pytest

from tests.operations.helpers import BASE, LICENSEE, LICENSOR, PATENT_1, PATENT_2, key

Register = Callable[..., Awaitable[None]]
HEADER = "kind,right_kind,right_numbers,transferor_credit_code,transferor_name,transferee_credit_code,transferee_name,start_date,amount,payment_form,contracted_on"  # noqa: E501
PARTIES = f"{LICENSOR},Dongli Pumps,{LICENSEE},Beijing Motors"
GOOD = [
    f"ordinary_licence,patent,{PATENT_1};{PATENT_2},{PARTIES},2025-01-01,100000.00,lump_sum,2025-01-05",
    f"assignment,trademark,12345678,{PARTIES},2025-02-01,2500.50,instalments,2025-02-01",
]
CSV = "text/csv"


@pytest.fixture(autouse=True)
async def agency(register_agency: Register) -> None:
    await register_agency("agency-a")


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], body: bytes, media: str = CSV, what: str = "transaction"
) -> httpx.Response:
    return await client.post(
        f"{BASE}/{what}-uploads", content=body, headers={**headers, **key(), "Content-Type": media}
    )


async def test_a_clean_csv_is_saved_whole(client: httpx.AsyncClient, agency_a: dict[str, str]) -> None:
    response = await upload(client, agency_a, "\n".join([HEADER, *GOOD, ""]).encode())
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["row_count"], result["total_amount"]) == (2, "102500.50")
    listed = (await client.get(f"{BASE}/transactions", headers=agency_a)).json()
    assert sorted(t["id"] for t in listed["items"]) == sorted(result["transaction_ids"])
    assert {t["agency_id"] for t in listed["items"]} == {"agency-a"}


async def test_one_bad_row_refuses_everything_naming_rows_and_fields(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    bad_amount = GOOD[1].replace("2500.50", "25.505")
    bad_patent = GOOD[0].replace(PATENT_1, "202010123456.3")
    body = "\n".join([HEADER, GOOD[0], bad_patent, bad_amount]).encode()
    headers = {**agency_a, "Idempotency-Key": "upload-1", "Content-Type": CSV}
    response = await client.post(f"{BASE}/transaction-uploads", content=body, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["error_count"] == 2
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [(3, "rows.3.right_numbers.0"), (4, "rows.4.amount")]
    assert (await client.get(f"{BASE}/transactions", headers=agency_a)).json()["total"] == 0
    fixed = "\n".join([HEADER, *GOOD]).encode()
    retried = await client.post(f"{BASE}/transaction-uploads", content=fixed, headers=headers)
    assert retried.status_code == 201, "a refused upload keeps nothing under its key"


async def test_gbk_csv_with_chinese_headers_and_xlsx(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    chinese = "合同类型,权利类型,专利号/商标号,让与人/许可人信用代码,让与人/许可人,受让人/被许可人信用代码,受让人/被许可人,起始日,金额,支付方式,签订日期"  # noqa: E501
    row = GOOD[0].replace("Dongli Pumps", "东丽泵业")
    response = await upload(client, operator, "\n".join([chinese, row]).encode("gbk"), f"{CSV}; charset=GBK")
    assert response.status_code == 201, response.text

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(GOOD[1].split(","))
    data = io.BytesIO()
    book.save(data)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = await upload(client, operator, data.getvalue(), xlsx)
    assert response.status_code == 201, response.text
    assert response.json()["total_amount"] == "2500.50"
    broken = await upload(client, operator, b"not a workbook", xlsx)
    assert broken.status_code == 400
    other = await upload(client, operator, b"{}", "application/json")
    assert other.status_code == 415


async def test_overseas_marks_upload_all_or_nothing(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    header = "国际注册号,基础商标注册号,商标,注册人信用代码,注册人,尼斯分类,国际注册日,指定国家"
    good = f"1600001,12345678,TPCO,{LICENSOR},Tianjin Pipe,6;40,2024-03-01,US:protected;DE;EM"
    refused = await upload(
        client, operator, "\n".join([header, good, good.replace("DE", "XX")]).encode(), what="trademark"
    )
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["rows.3.ir_number"]
    second = good.replace("1600001", "1600002").replace("US:protected;DE;EM", "JP;XX")
    refused = await upload(client, operator, "\n".join([header, good, second]).encode(), what="trademark")
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(3, "rows.3.designations.1.country")]
    assert (await client.get(f"{BASE}/trademarks", headers=operator)).json()["total"] == 0
    accepted = await upload(client, operator, "\n".join([header, good]).encode(), what="trademark")
    assert accepted.status_code == 201, accepted.text
    [mark_id] = accepted.json()["mark_ids"]
    mark = (await client.get(f"{BASE}/trademarks/{mark_id}", headers=operator)).json()
    assert mark["counts"] is True and mark["nice_classes"] == [6, 40]
