"""XLSX for bulk uploads, through openpyxl, the same in every service: reading an uploaded
workbook's first sheet, the error report of a refused upload, and whether a caller asked for it.

Reading is openpyxl's read-only mode (the sheet is streamed, not loaded), after refusing a workbook
whose parts unzip to more than a limit (a small file must not unzip to gigabytes). Row numbers are
the ones the spreadsheet shows (blank rows are skipped but still counted). openpyxl parses the XML
with the standard library's expat, which resolves no external entities and limits entity expansion.

A template to download is built from a table of columns (`TemplateColumn`): the Chinese headers
on the first sheet (a comment opening with each English field name), a number format and, where a
column has one, a drop-down list or range check; a second sheet explains every column and lists
the meaning of each enumeration's values.

The error report is the upload's rows as it had them, each followed by two columns (by default
`原行号`, the row number the refusal named, and `错误`, its problems), so a caller can fix the rows
in place and upload the report again (the services ignore those two columns).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from starlette.responses import Response

from ipops.errors import BadRequest, PayloadTooLarge
from ipops.uploads import XLSX_MEDIA_TYPE

Cells = Sequence[object]
# The two columns a report adds after the upload's own: the row number and the row's problems.
REPORT_LABELS = ("原行号", "错误")
# A refused upload's XLSX error report, the other form of its 422, for a route's `responses`.
REPORT_CONTENT: dict[str, Any] = {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}

_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, SyntaxError)
_JSON_TYPES = frozenset({"application/problem+json", "application/json"})
_BAD = PatternFill("solid", fgColor="FFC7CE")
_RED = Font(bold=True, color="9C0006")
_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FFF2CC")
_LAST_ROW = 1_048_576  # Excel's last row: validations and formats cover the whole column


def _unreadable(reason: object) -> BadRequest:
    return BadRequest(
        f"the upload is not a readable XLSX workbook ({reason})",
        errors=[{"field": "body", "message": "not a readable XLSX workbook"}],
    )


def _check_unzipped_size(body: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _unreadable(exc) from exc
    if unzipped > limit:
        raise PayloadTooLarge(
            f"the workbook unzips to {unzipped} bytes, over {limit}; split it",
            errors=[{"field": "body", "message": "too large once unzipped"}],
        )


def sheet_rows(body: bytes, *, max_unzipped: int) -> Iterator[tuple[int, Cells]]:
    """The non-blank rows of the workbook's first sheet, with their row numbers, cells typed as
    the workbook stores them (text, numbers, dates); 400 when it is no readable XLSX, 413 when it
    unzips to more than `max_unzipped` bytes (checked before anything is parsed)."""
    _check_unzipped_size(body, max_unzipped)
    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except _UNREADABLE as exc:
        raise _unreadable(exc) from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # trust the cells, not the size a writer declared
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(c is not None and c != "" for c in cells):
                yield number, cells
    except _UNREADABLE as exc:
        raise _unreadable(exc) from exc
    finally:
        book.close()


def _saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: object, value: object, *, bad: bool) -> object:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not bad and not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text that looks like a formula stays text: a report runs nothing
    if bad:
        cell.fill = _BAD
    return cell


def report_xlsx(
    header: Cells,
    rows: Iterable[tuple[int, Cells, str | None]],
    *,
    labels: tuple[str, str] = REPORT_LABELS,
    title: str = "错误报告",
) -> bytes:
    """A refused upload's rows as it had them (`rows`: row number, cells, problems or None), each
    followed by the row number the refusal named and its problems (blank for a good row; bad rows
    shaded), under `header` and the two `labels`, with a filter on the header."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    width = len(header)
    head = [_cell(sheet, h, bad=False) for h in header]
    added = [WriteOnlyCell(sheet, value=label) for label in labels]
    for cell in added:
        cell.font = _RED
    sheet.freeze_panes = "A2"
    sheet.append([*head, *added])
    last = 1
    for number, cells, problems in rows:
        padded = [*cells[:width], *([None] * (width - len(cells)))]
        bad = problems is not None
        sheet.append([*(_cell(sheet, v, bad=bad) for v in padded), number, _cell(sheet, problems, bad=bad)])
        last += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(width + 2)}{last}"
    return _saved(book)


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def prefers_xlsx(accept: str | None) -> bool:
    """Whether an Accept header asks for a refused upload's XLSX error report: it names the XLSX
    media type with q > 0 and no JSON type (problem+json, json) at or above that q. Wildcards
    never choose XLSX, so problem+json stays the answer of every client that does not ask."""
    xlsx = json_q = 0.0
    for part in (accept or "").split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if media == XLSX_MEDIA_TYPE:
            xlsx = max(xlsx, _quality(params))
        elif media in _JSON_TYPES:
            json_q = max(json_q, _quality(params))
    return xlsx > 0 and xlsx > json_q


def report_response(content: bytes, filename: str) -> Response:
    """The 422 carrying an XLSX error report, as an attachment named `filename` (ASCII); `Vary:
    Accept` because the same refusal is problem+json to a caller that did not ask for XLSX."""
    return Response(
        content,
        status_code=422,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept"},
    )


# --- templates to download ---------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A template column's data validation: `list` (a drop-down of `choices`), `date` or
    `decimal` (between `bounds`, as Excel formulas), with the message Excel shows on a bad value."""

    kind: str
    error: str
    choices: tuple[str, ...] = ()
    bounds: tuple[str, str] = ("", "")
    prompt: str | None = None


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template: its English field, Chinese header (both accepted on upload),
    whether it is required, what the instructions say of it, an example, a width, the cells'
    number format (`@`: text, so codes keep their leading zeros) and an optional check."""

    field: str
    label: str
    required: bool
    note: str
    example: str = ""
    width: int = 16
    number_format: str = "@"
    check: Check | None = None


def _validation(check: Check) -> DataValidation:
    if check.kind == "list":
        # Excel keeps an inline list to 255 characters; longer lists belong in the instructions.
        rule = DataValidation(type="list", formula1='"' + ",".join(check.choices) + '"', prompt=check.prompt)
    else:
        low, high = check.bounds
        rule = DataValidation(type=check.kind, operator="between", formula1=low, formula2=high, prompt=check.prompt)
    rule.error = check.error
    rule.allow_blank = True
    rule.showErrorMessage = True
    return rule


def _instructions(
    book: openpyxl.Workbook, columns: Sequence[TemplateColumn], legends: Mapping[tuple[str, str], Mapping[str, str]],
    lines: Sequence[str],
) -> None:  # fmt: skip
    sheet = book.create_sheet("填写说明")
    sheet.append(["列名", "字段名", "必填", "说明", "示例"])
    bold = [1]
    for column in columns:
        sheet.append([column.label, column.field, "是" if column.required else "否", column.note, column.example])
    for title, meanings in legends.items():
        sheet.append([])
        sheet.append(list(title))
        bold.append(sheet.max_row)
        for value, meaning in meanings.items():
            sheet.append([value, meaning])
    sheet.append([])
    for line in lines:
        sheet.append([line])
    for number in bold:
        for cell in sheet[number]:
            cell.font = _BOLD
    for letter, width in zip("ABCDE", (18, 20, 6, 50, 24), strict=True):
        sheet.column_dimensions[letter].width = width


def template_xlsx(
    title: str,
    columns: Sequence[TemplateColumn],
    *,
    legends: Mapping[tuple[str, str], Mapping[str, str]],
    lines: Sequence[str],
) -> bytes:
    """A template to fill in: sheet `title` has the Chinese headers (required ones shaded, each
    with a comment opening with the English field name), each column's format and check; sheet
    `填写说明` explains each column, then each legend (a title row, then value and meaning) and
    the `lines`. No example row to delete before uploading."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED
        need = "必填" if column.required else "选填"
        cell.comment = Comment(f"{column.field}\n{need}：{column.note}", "ipops", width=240, height=90)  # noqa: RUF001
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = column.number_format
        if column.check is not None:
            rule = _validation(column.check)
            rule.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    _instructions(book, columns, legends, lines)
    return _saved(book)


def template_csv(columns: Sequence[TemplateColumn]) -> bytes:
    """The same template as one CSV header line, UTF-8 with a byte-order mark (so Excel shows
    the Chinese right)."""
    return (",".join(c.label for c in columns) + "\r\n").encode("utf-8-sig")
