# ruff: noqa: RUF001  (full-width forms are the data: Chinese names and punctuation)
"""Bulk work logs in the formats agencies keep, on PostgreSQL: the XLSX template (download → fill
with openpyxl → upload → rows saved), a refused spreadsheet's XLSX error report (fixed and
uploaded again), the CSV template, CSV from Chinese Excel in GBK or GB18030, and 415 for an XLSX
where a route does not take one."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import openpyxl
import pytest

from tests import testing
from tests.trusteeship.helpers import BASE, as_agency, as_operator, credit_code, enrol, execute, register_agency
from trusteeship.config import TrusteeshipSettings
from trusteeship.enums import ServiceType

A = "agency-a"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = [
    "credit_code",
    "service_type",
    "work_date",
    "hours",
    "description",
    "outcome",
    "patent_numbers",
    "trademark_numbers",
    "document_refs",
]
LABELS = [
    *("统一社会信用代码", "服务类型", "工作日期", "工时", "工作内容"),
    *("工作成果", "专利号", "商标注册号", "相关文件"),
]
# Names of real shape: a Dongli enterprise, and one with a character GBK lacks (GB18030 only).
NAME = "为天津东丽华明高新区精密机械有限公司检索发明专利并出具报告"
RARE = "𠮷野家（天津）餐饮管理有限公司：商标监测，䶮"


async def setup(client: httpx.AsyncClient, tokens: testing.TokenFactory, count: int = 2) -> list[str]:
    await register_agency(client, tokens, A)
    codes = [credit_code(2000 + i) for i in range(count)]
    for code in codes:
        await enrol(client, tokens, A, code)
    return codes


async def template(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> httpx.Response:
    return await client.get(f"{BASE}/work-logs/template", params=params, headers=headers)


async def upload(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, body: bytes, media: str, **headers: str
) -> httpx.Response:
    return await client.post(
        f"{BASE}/work-logs/bulk",
        content=body,
        headers={**as_agency(tokens, A), "Content-Type": media, **headers},
        timeout=120,
    )


async def saved(client: httpx.AsyncClient, tokens: testing.TokenFactory, upload_id: str) -> list[dict[str, Any]]:
    listed = await client.get(
        f"{BASE}/work-logs",
        params={"upload_id": upload_id, "limit": 200},
        headers=as_agency(tokens, A, keyed=False),
    )
    items: list[dict[str, Any]] = listed.json()["items"]
    return sorted(items, key=lambda r: r["id"])


def book_bytes(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filled_template(content: bytes, rows: list[list[Any]]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    return book_bytes(book)


class TestTemplate:
    async def test_xlsx_template(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await setup(client, tokens, count=0)
        response = await template(client, as_agency(tokens, A, keyed=False))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == XLSX
        assert "attachment" in response.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]] == LABELS
        # the English field name opens each header's comment
        assert [c.comment.text.split()[0] for c in sheet[1]] == FIELDS
        assert sheet.max_row == 1  # no example row to delete before uploading
        validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
        assert validations["B2"].type == "list"
        assert validations["B2"].formula1.strip('"').split(",") == [t.value for t in ServiceType]
        assert validations["C2"].type == "date" and validations["D2"].type == "decimal"
        assert sheet.column_dimensions["C"].number_format == "yyyy-mm-dd"
        assert sheet.column_dimensions["A"].number_format == "@"  # credit codes stay text
        assert len(book.worksheets) == 2  # the second sheet explains every column

    async def test_csv_template_has_the_same_headers(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        response = await template(client, as_operator(tokens, keyed=False), format="csv")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert response.content.startswith(b"\xef\xbb\xbf")  # so Excel opens the Chinese headers right
        assert response.content.decode("utf-8-sig").splitlines() == [",".join(LABELS)]

    @pytest.mark.parametrize(("role", "status"), [(None, 401), ("bank", 403), ("operator", 200)])
    async def test_who_may_download(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, role: str | None, status: int
    ) -> None:
        headers = tokens.headers(role, "bank-a" if role == "bank" else None) if role else {}
        assert (await template(client, headers)).status_code == status

    async def test_unknown_format(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        response = await template(client, as_operator(tokens, keyed=False), format="ods")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.format"


class TestSpreadsheetRoundTrip:
    async def test_download_fill_upload(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        codes = await setup(client, tokens)
        blank = (await template(client, as_agency(tokens, A, keyed=False))).content
        body = filled_template(
            blank,
            [
                [codes[0], "search", date(2025, 3, 4), 1.5, NAME, "已出具检索报告", "202010123456.2", None, None],
                [codes[1], "training", date(2025, 4, 1), 2, "专利基础知识培训", None, None, "12345678", None],
                [codes[0], "consultation", "2025/5/6", None, RARE, None, None, None, "archive://a/1;archive://a/2"],
            ],
        )
        accepted = await upload(client, tokens, body, XLSX)
        assert accepted.status_code == 201, accepted.text
        result = accepted.json()
        assert result["row_count"] == 3 and result["enterprise_count"] == 2
        rows = await saved(client, tokens, result["upload_id"])
        assert [(r["credit_code"], r["service_type"], r["work_date"], r["hours"]) for r in rows] == [
            (codes[0], "search", "2025-03-04", "1.50"),
            (codes[1], "training", "2025-04-01", "2.00"),
            (codes[0], "consultation", "2025-05-06", None),
        ]
        assert [r["description"] for r in rows] == [NAME, "专利基础知识培训", RARE]
        assert rows[0]["outcome"] == "已出具检索报告" and rows[0]["patent_numbers"] == ["202010123456.2"]
        assert rows[1]["trademark_numbers"] == ["12345678"]
        assert rows[2]["document_refs"] == ["archive://a/1", "archive://a/2"]
        [(fmt,)] = await execute(trusteeship_settings.database_url, "SELECT format FROM work_upload")
        assert fmt == "xlsx"

    async def test_a_bad_row_is_named_and_comes_back_in_the_xlsx_report(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, trusteeship_settings: TrusteeshipSettings
    ) -> None:
        codes = await setup(client, tokens)
        blank = (await template(client, as_agency(tokens, A, keyed=False))).content
        body = filled_template(
            blank,
            [
                [codes[0], "search", date(2025, 3, 4), 1.5, NAME, None, None, None, None],
                [codes[1], "astrology", date(2025, 3, 5), 1, "看星象", None, None, None, None],  # row 3
                [codes[1], "training", date(2099, 1, 1), 1, "未来的培训", None, None, None, None],  # row 4
            ],
        )
        refused = await upload(client, tokens, body, XLSX)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert [(e["row"], e["field"]) for e in problem["errors"]] == [(3, "service_type"), (4, "work_date")]

        report = await upload(client, tokens, body, XLSX, Accept=XLSX)
        assert report.status_code == 422
        assert report.headers["content-type"] == XLSX
        sheet = openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert table[0] == [*LABELS, "原行号", "错误"]
        by_row = {r[-2]: r for r in table[1:]}
        assert sorted(by_row) == [2, 3, 4]  # every row, each with its own row number
        assert by_row[2][-1] is None
        assert "service_type" in by_row[3][-1] and "服务类型" in by_row[3][-1]
        assert "future" in by_row[4][-1]
        assert by_row[3][4] == "看星象" and by_row[2][4] == NAME
        assert await execute(trusteeship_settings.database_url, "SELECT count(*) FROM work_log") == [(0,)]

        # the report, fixed where it says, goes back in as it is (its two added columns are ignored)
        book = openpyxl.load_workbook(io.BytesIO(report.content))
        fixed = book.worksheets[0]
        fixed.cell(row=3, column=2, value="training")
        fixed.cell(row=4, column=3, value=date(2025, 3, 6))
        accepted = await upload(client, tokens, book_bytes(book), XLSX)
        assert accepted.status_code == 201, accepted.text
        rows = await saved(client, tokens, accepted.json()["upload_id"])
        assert [r["description"] for r in rows] == [NAME, "看星象", "未来的培训"]

    async def test_a_refused_csv_report_and_json_lines_keep_problem_json(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        codes = await setup(client, tokens, count=1)
        csv_body = (
            "credit_code,service_type,work_date,description\n"
            f"{codes[0]},training,2025-03-04,ok\n{codes[0]},astrology,2025-03-04,bad\n"
        ).encode()
        report = await upload(client, tokens, csv_body, "text/csv", Accept=XLSX)
        assert report.status_code == 422 and report.headers["content-type"] == XLSX
        table = list(openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
        assert table[0] == ("credit_code", "service_type", "work_date", "description", "原行号", "错误")
        assert table[2][-2] == 3 and "service_type" in table[2][-1]

        jsonl = f'{{"credit_code": "{codes[0]}", "service_type": "astrology", "work_date": "2025-03-04"}}\n'
        refused = await upload(client, tokens, jsonl.encode(), "application/x-ndjson", Accept=XLSX)
        assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"

    async def test_not_a_workbook(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        await setup(client, tokens, count=1)
        response = await upload(client, tokens, b"credit_code,service_type\n", XLSX)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["field"] == "body"

    async def test_ten_thousand_spreadsheet_rows(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        codes = await setup(client, tokens, count=5)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(LABELS)
        for i in range(10_000):
            sheet.append([codes[i % 5], "search", date(2025, 1, 2 + i % 28), Decimal("1.25"), f"检索 {i}"])
        accepted = await upload(client, tokens, book_bytes(book), XLSX)
        assert accepted.status_code == 201, accepted.text[:500]
        assert accepted.json()["row_count"] == 10_000


class TestChineseCsv:
    def rows(self, codes: list[str], text: str) -> str:
        # as Chinese Excel saves "CSV (逗号分隔)": the template's Chinese headers, dates as 2025/3/4
        return ",".join(LABELS) + "\r\n" + f"{codes[0]},search,2025/3/4,1.5,{text},已完成,,,\r\n"

    async def test_gbk_with_a_charset_parameter(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        codes = await setup(client, tokens, count=1)
        accepted = await upload(client, tokens, self.rows(codes, NAME).encode("gbk"), "text/csv; charset=GBK")
        assert accepted.status_code == 201, accepted.text
        [row] = await saved(client, tokens, accepted.json()["upload_id"])
        assert (row["description"], row["outcome"], row["work_date"]) == (NAME, "已完成", "2025-03-04")

    async def test_gb18030_without_a_charset(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        codes = await setup(client, tokens, count=1)
        body = self.rows(codes, RARE).encode("gb18030")
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        accepted = await upload(client, tokens, body, "text/csv")
        assert accepted.status_code == 201, accepted.text
        [row] = await saved(client, tokens, accepted.json()["upload_id"])
        assert row["description"] == RARE

    async def test_utf8_with_a_byte_order_mark(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        codes = await setup(client, tokens, count=1)
        accepted = await upload(client, tokens, self.rows(codes, NAME).encode("utf-8-sig"), "text/csv")
        assert accepted.status_code == 201, accepted.text
        [row] = await saved(client, tokens, accepted.json()["upload_id"])
        assert row["description"] == NAME

    @pytest.mark.parametrize(
        ("media", "status", "field"),
        [
            ("text/csv; charset=utf-8", 400, "body"),  # GB18030 bytes declared as UTF-8
            ("text/csv; charset=latin-1", 415, "header.Content-Type"),
        ],
    )
    async def test_a_charset_that_does_not_fit(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory, media: str, status: int, field: str
    ) -> None:
        codes = await setup(client, tokens, count=1)
        response = await upload(client, tokens, self.rows(codes, NAME).encode("gb18030"), media)
        assert response.status_code == status, response.text
        assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("path", ["/work-logs", "/enrolments"])
async def test_an_xlsx_where_a_route_takes_none_is_415(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, path: str
) -> None:
    await setup(client, tokens, count=0)
    body = book_bytes(openpyxl.Workbook())
    response = await client.post(f"{BASE}{path}", content=body, headers={**as_agency(tokens, A), "Content-Type": XLSX})
    assert response.status_code == 415, response.text
    assert response.json()["errors"][0]["field"] == "header.Content-Type"
