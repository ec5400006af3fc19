"""The templates of the two bulk uploads and JSON Lines, on PostgreSQL: download the XLSX template,
fill it with openpyxl, upload it (201), or with a bad row get the XLSX error report naming it; the
CSV template's headers as Chinese Excel saves them (GBK); JSON Lines numbered by line."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx
import openpyxl
import pytest

from operations.enums import PaymentForm, RightKind, TransactionKind
from tests import testing
from tests.operations.helpers import BASE, LICENSEE, LICENSOR, PATENT_1, PATENT_2, key

Register = Callable[..., Awaitable[None]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NDJSON = "application/x-ndjson"


@pytest.fixture(autouse=True)
async def agency(register_agency: Register) -> None:
    await register_agency("agency-a")


async def template(client: httpx.AsyncClient, headers: dict[str, str], what: str, **params: str) -> httpx.Response:
    return await client.get(f"{BASE}/{what}-uploads/template", params=params, headers=headers)


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], body: bytes, media: str, what: str = "transaction", **extra: str
) -> httpx.Response:
    sent = {**headers, **key(), "Content-Type": media, **extra}
    return await client.post(f"{BASE}/{what}-uploads", content=body, headers=sent)


def filled(content: bytes, rows: list[dict[str, Any]]) -> bytes:
    """The template with `rows` ({Chinese header: value}) appended under its headers."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    labels = [c.value for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(label) for label in labels])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def deal(amount: object = 2500.5, numbers: str = f"{PATENT_1};{PATENT_2}") -> dict[str, Any]:
    return {
        "合同类型": "ordinary_licence", "权利类型": "patent", "专利号/商标号": numbers,
        "让与人/许可人信用代码": LICENSOR, "让与人/许可人": "东丽泵业", "受让人/被许可人信用代码": LICENSEE,
        "受让人/被许可人": "北京汽车", "起始日": date(2025, 1, 1), "金额": amount, "支付方式": "lump_sum",
        "签订日期": date(2025, 1, 5),
    }  # fmt: skip


async def test_the_transaction_template_offers_its_enumerations_and_explains_them(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    response = await template(client, agency_a, "transaction")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith('attachment; filename="transaction-upload-template.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    labels = [c.value for c in sheet[1]]
    assert labels[:3] == ["合同类型", "权利类型", "专利号/商标号"] and sheet.max_row == 1
    assert [c.comment.text.split()[0] for c in sheet[1]][:2] == ["kind", "right_kind"]
    lists = {
        labels[int(openpyxl.utils.column_index_from_string(str(v.sqref)[0])) - 1]: v.formula1.strip('"').split(",")
        for v in sheet.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists == {
        "合同类型": [k.value for k in TransactionKind],
        "权利类型": [k.value for k in RightKind],
        "支付方式": [p.value for p in PaymentForm],
    }
    explained = [row[0] for row in book["填写说明"].iter_rows(values_only=True)]
    assert {"合同类型取值", "支付方式取值", "导航项目", *(k.value for k in TransactionKind)} <= set(explained)


async def test_download_fill_upload_and_a_bad_row_comes_back_as_an_xlsx_report(
    client: httpx.AsyncClient, agency_a: dict[str, str]
) -> None:
    blank = (await template(client, agency_a, "transaction")).content
    bad = {**deal(), "合同类型": "sale"}
    report = await upload(client, agency_a, filled(blank, [deal(), bad]), XLSX, Accept=XLSX)
    assert report.status_code == 422 and report.headers["content-type"] == XLSX
    rows = list(openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][-2:] == ("原行号", "错误")
    assert [(r[-2], r[-1] is not None) for r in rows[1:]] == [(2, False), (3, True)]
    assert str(rows[2][-1]).startswith("kind:")
    assert (await client.get(f"{BASE}/transactions", headers=agency_a)).json()["total"] == 0

    accepted = await upload(client, agency_a, filled(blank, [deal(), deal(100000)]), XLSX)
    assert accepted.status_code == 201, accepted.text
    assert (accepted.json()["row_count"], accepted.json()["total_amount"]) == (2, "102500.50")


async def test_the_csv_template_saved_by_chinese_excel_in_gbk_uploads(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    response = await template(client, operator, "transaction", format="csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    [header] = response.content.decode("utf-8-sig").splitlines()
    values = {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in deal("2500.50").items()}
    line = ",".join(values.get(label, "") for label in header.split(","))
    body = f"{header}\r\n{line}\r\n".encode("gbk")
    accepted = await upload(client, operator, body, "text/csv")  # no charset: GB18030 after UTF-8 fails
    assert accepted.status_code == 201, accepted.text


async def test_the_mark_template_round_trip(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    response = await template(client, operator, "trademark")
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["国际注册号", "基础商标注册号", "商标"]
    explained = [row[0] for row in book["填写说明"].iter_rows(values_only=True)]
    assert {"protected", "lapsed", "EM"} <= set(explained)
    mark = {
        "国际注册号": "1600001", "基础商标注册号": "12345678", "商标": "TPCO", "注册人信用代码": LICENSOR,
        "注册人": "天津钢管", "尼斯分类": "6;40", "国际注册日": date(2024, 3, 1), "指定国家": "US:protected;DE",
    }  # fmt: skip
    accepted = await upload(client, operator, filled(response.content, [mark]), XLSX, what="trademark")
    assert accepted.status_code == 201, accepted.text


@pytest.mark.parametrize(
    ("role", "what", "status"),
    [(None, "transaction", 401), ("bank", "transaction", 403), ("agency", "trademark", 403)],
)
async def test_who_may_download(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, role: str | None, what: str, status: int
) -> None:
    tenant = {"bank": "bank-a", "agency": "agency-a"}.get(role or "")
    headers = tokens.headers(role, tenant) if role else {}
    assert (await template(client, headers, what)).status_code == status


async def test_an_unknown_template_format_names_the_query(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    response = await template(client, operator, "transaction", format="ods")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.format"


def _line(**changes: object) -> str:
    row: dict[str, object] = {
        "kind": "ordinary_licence", "right_kind": "patent", "right_numbers": [PATENT_1, PATENT_2],
        "transferor_credit_code": LICENSOR, "transferor_name": "Dongli Pumps", "transferee_credit_code": LICENSEE,
        "transferee_name": "Beijing Motors", "start_date": "2025-01-01", "payment_form": "lump_sum",
        "contracted_on": "2025-01-05",
    }  # fmt: skip
    # the amount as a JSON number written with two places: read as Decimal, never as float
    return json.dumps({**row, **changes}, ensure_ascii=False).replace('"AMOUNT"', "2500.50")


async def test_json_lines_saved_whole(client: httpx.AsyncClient, agency_a: dict[str, str]) -> None:
    by_label = {"合同类型" if k == "kind" else k: v for k, v in json.loads(_line(amount=1000)).items()}
    chinese = json.dumps({**by_label, "合同类型": "assignment"}, ensure_ascii=False)
    body = "\n".join([_line(amount="AMOUNT"), "", chinese]).encode()
    accepted = await upload(client, agency_a, body, NDJSON)
    assert accepted.status_code == 201, accepted.text
    assert (accepted.json()["row_count"], accepted.json()["total_amount"]) == (2, "3500.50")
    kinds = {t["kind"] for t in (await client.get(f"{BASE}/transactions", headers=agency_a)).json()["items"]}
    assert kinds == {"ordinary_licence", "assignment"}


async def test_json_lines_refused_by_line(client: httpx.AsyncClient, agency_a: dict[str, str]) -> None:
    unreadable = "\n".join([_line(amount="1"), "{not json", "", "[1, 2]", _line(amount={"yuan": 1})]).encode()
    refused = await upload(client, agency_a, unreadable, NDJSON, Accept=XLSX)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [
        (2, "rows.2"), (4, "rows.4"), (5, "rows.5.amount"),
    ]  # fmt: skip
    invalid = "\n".join([_line(amount="1"), _line(amount="25.505"), _line(right_kind="copyright", amount="1")])
    refused = await upload(client, agency_a, invalid.encode(), NDJSON)
    assert refused.status_code == 422, refused.text
    found = [(e["row"], e["field"]) for e in refused.json()["errors"]]
    assert found == [(2, "rows.2.amount"), (3, "rows.3.right_kind")]
    assert (await client.get(f"{BASE}/transactions", headers=agency_a)).json()["total"] == 0


async def test_overseas_marks_as_json_lines(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    mark = {
        "ir_number": "1600001", "basic_mark_number": "12345678", "mark": "TPCO", "owner_credit_code": LICENSOR,
        "owner_name": "Tianjin Pipe", "nice_classes": [6, 40], "ir_date": "2024-03-01",
        "designations": ["US:protected", "DE"],
    }  # fmt: skip
    accepted = await upload(client, operator, (json.dumps(mark) + "\n").encode(), NDJSON, what="trademark")
    assert accepted.status_code == 201, accepted.text
    [mark_id] = accepted.json()["mark_ids"]
    found = (await client.get(f"{BASE}/trademarks/{mark_id}", headers=operator)).json()
    assert found["nice_classes"] == [6, 40] and found["counts"] is True
