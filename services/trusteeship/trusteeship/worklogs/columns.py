# ruff: noqa: RUF001, RUF002  (full-width punctuation is right in the Chinese headers and notes)
"""The columns of a tabular work-log upload (CSV or XLSX) and how a cell becomes a field's text.

One table names each column twice: the Chinese header of the template (`统一社会信用代码`, ...)
and the English field name CSV files have always used (`credit_code`, ...). A header may use
either, column by column, in any order; full-width characters and surrounding spaces are folded
first. The two columns an error report adds (`原行号`, `错误`) are recognised and ignored, so a
fixed report can be uploaded as it is.

Spreadsheets type their cells; `cell_text` turns each into the text a CSV would hold, so every
format is validated by the same model. Dates as Chinese Excel writes them (`2025/3/4`,
`2025年3月4日`) are read as ISO dates; list cells split on `;`, `；` or a line break.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from ipops.errors import BadRequest
from trusteeship.enums import ServiceType


@dataclass(frozen=True)
class Column:
    """One column: its field, its Chinese header, whether it must be present, its kind (text,
    enum, date, decimal, list), what the template says about it, an example and a column width."""

    field: str
    label: str
    required: bool
    kind: str
    note: str
    example: str
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", True, "text", "18 位，须为本机构托管中的企业", "91120110MA05J1K2Q2", 22),
    Column("service_type", "服务类型", True, "enum", "从下拉列表选择，含义见下表", "search", 20),
    Column("work_date", "工作日期", True, "date", "不得晚于今天，不得早于托管开始日", "2025-03-04", 12),
    Column("hours", "工时", False, "decimal", "小时数，0 至 1000，最多两位小数", "1.5", 8),
    Column("description", "工作内容", True, "text", "1 至 4000 字", "为企业检索相关发明专利并出具检索报告", 40),
    Column("outcome", "工作成果", False, "text", "至多 4000 字", "检索报告一份", 30),
    Column("patent_numbers", "专利号", False, "list", "多个用分号 ; 分隔", "202010123456.2", 24),
    Column("trademark_numbers", "商标注册号", False, "list", "多个用分号 ; 分隔", "12345678", 18),
    Column("document_refs", "相关文件", False, "list", "链接或档案号，多个用分号 ; 分隔", "archive://2025/0304/1", 30),
)
# What each service type means, for the template's instructions (every ServiceType has a line).
SERVICE_TYPE_NAMES: dict[ServiceType, str] = {
    ServiceType.DEADLINE_WATCH: "期限与年费监控",
    ServiceType.SEARCH: "检索",
    ServiceType.FILING_ASSISTANCE: "申请协助",
    ServiceType.TRAINING: "培训",
    ServiceType.CONSULTATION: "咨询",
    ServiceType.MANAGEMENT_SYSTEM: "知识产权管理体系（GB/T 29490）",
    ServiceType.EARLY_WARNING: "预警",
    ServiceType.VALUATION_FINANCING: "价值评估与融资对接",
    ServiceType.RIGHTS_PROTECTION: "维权对接",
    ServiceType.OTHER: "其他",
}
BY_FIELD = {c.field: c for c in COLUMNS}
LIST_FIELDS = frozenset(c.field for c in COLUMNS if c.kind == "list")
DATE_FIELDS = frozenset(c.field for c in COLUMNS if c.kind == "date")

# The columns an error report adds after the upload's own: the row number the refusal named, and
# the row's problems. Read and ignored on upload.
REPORT_ROW = "原行号"
REPORT_ERRORS = "错误"
_IGNORED = frozenset({REPORT_ROW, REPORT_ERRORS, "source_row", "errors"})

_NAMES = {c.label: c.field for c in COLUMNS} | {c.field: c.field for c in COLUMNS}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LIST_SEPARATORS = re.compile(r"[;；\r\n]")


def _name(cell: object) -> str:
    return unicodedata.normalize("NFKC", cell_text(cell) or "").strip()


def resolve_header(cells: Sequence[object]) -> list[str | None]:
    """The field of each header cell: "" for a blank one (a value under it is an error), None for
    a column an error report adds (ignored); 400 naming every unknown, repeated or missing column."""
    fields: list[str | None] = []
    problems: list[dict[str, str]] = []
    for cell in cells:
        name = _name(cell)
        field = _NAMES.get(name) or _NAMES.get(name.lower())
        if not name:
            fields.append("")
        elif name.lower() in _IGNORED:
            fields.append(None)
        elif field is None:
            problems.append({"field": f"header.{name}", "message": "unknown column"})
        elif field in fields:
            problems.append({"field": f"header.{name}", "message": "this column appears twice"})
        else:
            fields.append(field)
    problems += [
        {"field": f"header.{c.field}", "message": f"missing column ({c.label})"}
        for c in COLUMNS
        if c.required and c.field not in fields
    ]
    if problems:
        raise BadRequest("the header does not match the work-log columns", errors=problems)
    return fields


def cell_text(value: object) -> str | None:
    """A typed spreadsheet cell (or a CSV cell) as text; None when blank."""
    if isinstance(value, str):  # first: every CSV cell and most spreadsheet cells
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def normal_date(text: str) -> str:
    """`2025/3/4`, `2025-3-4`, `2025.3.4` or `2025年3月4日` as `2025-03-04`; other text as it is."""
    if len(text) == 10 and text[4] == text[7] == "-":
        return text  # already ISO (or not a date the check will accept anyway)
    found = _DATE.match(text)
    if found is None:
        return text
    year, month, day = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def split_list(text: str) -> list[str]:
    """The items of a list cell."""
    if _LIST_SEPARATORS.search(text) is None:
        return [text.strip()] if text.strip() else []
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]
