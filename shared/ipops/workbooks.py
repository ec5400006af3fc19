"""XLSX for bulk uploads, through openpyxl, the same in every service: reading an uploaded
workbook's first sheet, the error report of a refused upload, and whether a caller asked for it.

Reading is openpyxl's read-only mode (the sheet is streamed, not loaded), after refusing a workbook
whose parts unzip to more than a limit (a small file must not unzip to gigabytes). Row numbers are
the ones the spreadsheet shows (blank rows are skipped but still counted). openpyxl parses the XML
with the standard library's expat, which resolves no external entities and limits entity expansion.

The error report is the upload's rows as it had them, each followed by two columns (by default
`原行号`, the row number the refusal named, and `错误`, its problems), so a caller can fix the rows
in place and upload the report again (the services ignore those two columns).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
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
