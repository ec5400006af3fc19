"""XLSX of bulk uploads, once for every service (`ipops.workbooks`): which Accept header asks for a
refused upload's error report, the report itself, and reading an uploaded workbook's first sheet."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from ipops.errors import BadRequest, PayloadTooLarge
from ipops.uploads import XLSX_MEDIA_TYPE
from ipops.workbooks import (
    Check,
    TemplateColumn,
    prefers_xlsx,
    report_response,
    report_xlsx,
    sheet_rows,
    template_csv,
    template_xlsx,
)
from tests.testing import xlsx_of


@pytest.mark.parametrize(
    ("accept", "xlsx"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/problem+json", False),
        ("application/json", False),
        (XLSX_MEDIA_TYPE, True),
        (f"application/problem+json;q=0.5, {XLSX_MEDIA_TYPE}", True),
        (f"{XLSX_MEDIA_TYPE}, */*;q=0.1", True),
        (f"{XLSX_MEDIA_TYPE};q=0.2, application/problem+json", False),
        (f"{XLSX_MEDIA_TYPE};q=0", False),
        (f"{XLSX_MEDIA_TYPE};q=x", False),
        (f"{XLSX_MEDIA_TYPE}, application/problem+json", False),  # a tie keeps the default
    ],
)
def test_which_accept_asks_for_xlsx(accept: str | None, xlsx: bool) -> None:
    assert prefers_xlsx(accept) is xlsx


def _sheet(content: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert isinstance(sheet, openpyxl.worksheet.worksheet.Worksheet)
    return sheet


def test_the_report_keeps_text_that_looks_like_a_formula_as_text() -> None:
    content = report_xlsx(["description"], [(2, ['=HYPERLINK("http://x")'], "bad"), (3, ["ok\x01"], None)])
    sheet = _sheet(content)
    assert [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2)] == [
        [('=HYPERLINK("http://x")', "s"), (2, "n"), ("bad", "s")],
        [("ok", "s"), (3, "n"), (None, "n")],
    ]


def test_the_report_pads_rows_shades_bad_ones_and_names_its_columns() -> None:
    content = report_xlsx(
        ["a", "b"], [(2, ["x"], None), (4, ["y", "z", "extra"], "b: wrong")], labels=("row", "problems"), title="r"
    )
    sheet = _sheet(content)
    assert sheet.title == "r"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["a", "b", "row", "problems"],
        ["x", None, 2, None],
        ["y", "z", 4, "b: wrong"],
    ]
    assert sheet["A3"].fill.fgColor.rgb.endswith("FFC7CE") and not sheet["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.auto_filter.ref == "A1:D3"


def test_the_report_has_the_default_chinese_columns() -> None:
    header = next(_sheet(report_xlsx(["金额"], [(2, ["1"], "bad")])).iter_rows(values_only=True))
    assert header == ("金额", "原行号", "错误")


def test_the_422_response_is_an_attachment_varying_on_accept() -> None:
    response = report_response(b"xlsx", "errors.xlsx")
    assert response.status_code == 422
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert response.headers["content-disposition"] == 'attachment; filename="errors.xlsx"'
    assert response.headers["vary"] == "Accept"


def test_sheet_rows_numbers_rows_as_the_spreadsheet_shows_and_skips_blank_ones() -> None:
    body = xlsx_of([["h1", "h2"], [None, None], ["a", 1.5], ["", ""], [datetime(2025, 3, 4), None]])
    assert list(sheet_rows(body, max_unzipped=10**7)) == [
        (1, ("h1", "h2")),
        (3, ("a", 1.5)),
        (5, (datetime(2025, 3, 4),)),  # a row as long as its last stored cell
    ]


def test_a_workbook_unzipping_past_the_limit_is_refused_unread() -> None:
    body = xlsx_of([["x" * 10_000]])
    with pytest.raises(PayloadTooLarge) as err:
        list(sheet_rows(body, max_unzipped=5_000))
    assert err.value.extensions["errors"][0]["field"] == "body"


@pytest.mark.parametrize("body", [b"not a workbook", b"PK\x03\x04 broken"])
def test_what_is_no_workbook_is_a_bad_request_naming_the_body(body: bytes) -> None:
    with pytest.raises(BadRequest) as err:
        list(sheet_rows(body, max_unzipped=10**7))
    assert err.value.extensions["errors"] == [{"field": "body", "message": "not a readable XLSX workbook"}]


def test_a_template_has_headers_checks_and_an_instructions_sheet() -> None:
    columns = [
        TemplateColumn("kind", "类型", True, "从下拉列表选择", "a", check=Check("list", "选一个", choices=("a", "b"))),
        TemplateColumn("on", "日期", False, "日期", number_format="yyyy-mm-dd",
                       check=Check("date", "请填写日期", bounds=("DATE(2000,1,1)", "DATE(2100,12,31)"))),
        TemplateColumn("code", "代码", True, "文本"),
    ]  # fmt: skip
    content = template_xlsx("记录", columns, legends={("类型取值", "含义"): {"a": "甲", "b": "乙"}}, lines=["说明一行"])
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["记录"]
    assert [c.value for c in sheet[1]] == ["类型", "日期", "代码"] and sheet.max_row == 1
    assert [c.comment.text.splitlines()[0] for c in sheet[1]] == ["kind", "on", "code"]
    assert sheet["A1"].fill.fgColor.rgb.endswith("FFF2CC") and sheet["B1"].fill.fill_type is None  # required shaded
    checks = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert checks == {"A2:A1048576": ("list", '"a,b"'), "B2:B1048576": ("date", "DATE(2000,1,1)")}
    assert sheet.column_dimensions["B"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["C"].number_format == "@"
    instructions = list(book["填写说明"].iter_rows(values_only=True))
    assert instructions[1][:3] == ("类型", "kind", "是") and instructions[2][2] == "否"
    assert ("类型取值", "含义", None, None, None) in instructions and ("b", "乙", None, None, None) in instructions
    assert instructions[-1][0] == "说明一行"
    assert template_csv(columns) == "\ufeff类型,日期,代码\r\n".encode()
