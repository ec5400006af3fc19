# ruff: noqa: RUF001  (full-width forms are the data: Chinese names and punctuation)
"""The spreadsheet side of bulk work logs, pure: which headers name which column (Chinese or
English), how a typed spreadsheet cell becomes the text a CSV would hold, Chinese Excel's dates,
list cells, and that one table of rows reads the same from CSV (UTF-8, GBK, GB18030) and from
XLSX. Which Accept header asks for the XLSX error report, and the report itself, are
`ipops.workbooks` (tests/foundation/test_workbooks.py)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipops.errors import BadRequest, PayloadTooLarge
from ipops.uploads import XLSX_MEDIA_TYPE
from trusteeship.enums import ServiceType
from trusteeship.worklogs import columns, upload

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


class TestHeader:
    @pytest.mark.parametrize(
        ("cells", "fields"),
        [
            (LABELS, FIELDS),
            (FIELDS, FIELDS),
            # mixed, reordered, padded, upper case, full-width
            (
                [" 工作日期 ", "SERVICE_TYPE", "ｃｒｅｄｉｔ＿ｃｏｄｅ", "工作内容"],
                ["work_date", "service_type", "credit_code", "description"],
            ),
            # the columns an error report adds are read and ignored, and so are blank headers
            ([*LABELS, "原行号", "错误"], [*FIELDS, None, None]),
            ([*FIELDS, "source_row", "errors", None, ""], [*FIELDS, None, None, "", ""]),
        ],
    )
    def test_names_in_either_language(self, cells: list[Any], fields: list[str | None]) -> None:
        assert columns.resolve_header(cells) == fields

    @pytest.mark.parametrize(
        ("cells", "problems"),
        [
            (["统一社会信用代码", "kind"], {"header.kind", "header.service_type", "header.work_date"}),
            ([*LABELS, "工作内容"], {"header.工作内容"}),  # the same column twice
            (["credit_code", "服务类型", "work_date"], {"header.description"}),
        ],
    )
    def test_unknown_duplicate_and_missing_columns(self, cells: list[Any], problems: set[str]) -> None:
        with pytest.raises(BadRequest) as err:
            columns.resolve_header(cells)
        assert problems <= {e["field"] for e in err.value.extensions["errors"]}

    def test_template_labels_are_the_documented_ones(self) -> None:
        assert [c.label for c in columns.COLUMNS] == LABELS
        assert [c.field for c in columns.COLUMNS] == FIELDS


class TestCells:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (None, None),
            ("", None),
            ("  训练  ", "训练"),
            (date(2025, 3, 4), "2025-03-04"),
            (datetime(2025, 3, 4), "2025-03-04"),
            (datetime(2025, 3, 4, 9, 30), "2025-03-04T09:30:00"),
            (time(9, 30), "09:30:00"),
            (12345678, "12345678"),
            (1.5, "1.5"),
            (2.0, "2"),
            (0.1 + 0.2, "0.30000000000000004"),  # kept, so the hours check reports it
            (Decimal("1.25"), "1.25"),
            (True, "TRUE"),
        ],
    )
    def test_typed_cell_as_text(self, value: Any, text: str | None) -> None:
        assert columns.cell_text(value) == text

    @pytest.mark.parametrize(
        ("text", "iso"),
        [
            ("2025-03-04", "2025-03-04"),
            ("2025/3/4", "2025-03-04"),  # Chinese Excel's CSV export
            ("2025-3-4", "2025-03-04"),
            ("2025.03.04", "2025-03-04"),
            ("2025年3月4日", "2025-03-04"),
            ("2025/13/40", "2025-13-40"),  # still refused, by the date check, naming the field
            ("March 4", "March 4"),
        ],
    )
    def test_dates_as_chinese_excel_writes_them(self, text: str, iso: str) -> None:
        assert columns.normal_date(text) == iso

    @pytest.mark.parametrize(
        ("text", "items"),
        [
            ("", []),
            ("202010123456.2", ["202010123456.2"]),
            ("202010123456.2; 202110654321.X", ["202010123456.2", "202110654321.X"]),
            ("12345678；87654321", ["12345678", "87654321"]),  # full-width semicolon
            ("a\nb;;", ["a", "b"]),  # Alt+Enter inside an Excel cell
        ],
    )
    def test_list_cells(self, text: str, items: list[str]) -> None:
        assert columns.split_list(text) == items


def _csv_bytes(header: list[str], table: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue().encode(encoding)


def _xlsx_bytes(header: list[str], table: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in table:
        sheet.append([value or None for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _outcome(parsed: upload.ParsedUpload) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, str | None]]]:
    return [(n, r.model_dump()) for n, r in parsed.rows], [(e.row, e.field) for e in parsed.errors]


# Text a spreadsheet cell can hold and both GBK and CSV can carry (no control characters, no
# leading or trailing space, which every reader strips).
CELL = st.text(
    alphabet=st.sampled_from("东丽区华明精密机械专利检索培训 abcXYZ0123456789,;\"'-./年月日"), min_size=1, max_size=30
).map(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.lists(
        st.tuples(st.sampled_from(["training", "search", "astrology", ""]), CELL, CELL, st.sampled_from(["", "1.5"])),
        min_size=1,
        max_size=8,
    )
)
def test_one_table_reads_the_same_from_csv_in_any_charset_and_from_xlsx(
    table: list[tuple[str, str, str, str]],
) -> None:
    header = ["统一社会信用代码", "service_type", "工作日期", "hours", "工作内容", "outcome"]
    rows = [["91120110000001000X", kind, "2025/3/4", hours, text, other] for kind, text, other, hours in table]
    expected = _outcome(upload.parse("text/csv", _csv_bytes(header, rows, "utf-8"), max_rows=100))
    assert _outcome(upload.parse("text/csv; charset=GBK", _csv_bytes(header, rows, "gbk"), max_rows=100)) == expected
    assert _outcome(upload.parse("text/csv", _csv_bytes(header, rows, "gb18030"), max_rows=100)) == expected
    assert _outcome(upload.parse(XLSX_MEDIA_TYPE, _xlsx_bytes(header, rows), max_rows=100)) == expected


def test_a_workbook_unzipping_past_the_limit_is_refused_unread() -> None:
    body = _xlsx_bytes(["credit_code"], [["x" * 10_000]])
    with pytest.raises(PayloadTooLarge) as err:
        upload.parse(XLSX_MEDIA_TYPE, body, max_rows=10, max_unzipped=5_000)
    assert err.value.extensions["errors"][0]["field"] == "body"


def test_every_service_type_is_explained_in_the_template() -> None:
    assert set(columns.SERVICE_TYPE_NAMES) == set(ServiceType)
