"""Parsing and validating a bulk upload of work logs (CSV, JSON Lines or XLSX) into rows or a
report.

Every row is parsed and validated before anything is written, so a rejected upload can name every
bad row (its row number as the file shows it: the CSV or JSON Lines line, the spreadsheet's row;
the field and why) and nothing is half-written. CSV and XLSX share the columns of
`worklogs/columns.py` and one validation; CSV text may be UTF-8 or GBK/GB18030 (`ipops.uploads`).
A refused CSV or XLSX upload can be given back as XLSX with each row's problems (`error_report`).
"""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import ValidationError
from starlette.requests import Request

from ipops import workbooks
from ipops.errors import BadRequest, DomainError, PayloadTooLarge
from ipops.uploads import XLSX_MEDIA_TYPE, UploadFormat, decode_text, upload_charset, upload_format
from trusteeship.config import TrusteeshipSettings
from trusteeship.worklogs import columns, workbook
from trusteeship.worklogs.rows import ROW
from trusteeship.worklogs.schemas import WorkLogCreate

ACCEPTED: tuple[UploadFormat, ...] = ("csv", "jsonl", "xlsx")
# A workbook whose parts unzip to more than this is refused before it is read (a zip bomb).
MAX_UNZIPPED = 512 * 1024 * 1024
_CHARSET_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030"}
Cells = Sequence[object]


def too_large(limit: int) -> PayloadTooLarge:
    """The error for an upload over `limit` bytes."""
    return PayloadTooLarge(
        f"an upload is at most {limit} bytes; split it", errors=[{"field": "body", "message": "too large"}]
    )


class UploadRejected(DomainError):
    """At least one row is bad: the whole upload is refused, with every row's problems."""

    status = 422
    type_slug = "upload-rejected"
    title = "Upload rejected"
    problems: list[RowError]


@dataclass
class RowError:
    """One problem of one row."""

    row: int
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ParsedUpload:
    """Rows that validated, by line number, and the problems of the others."""

    format: str
    rows: list[tuple[int, WorkLogCreate]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0


def _text(content_type: str | None, body: bytes) -> str:
    codec = upload_charset(content_type)
    try:
        return decode_text(body, codec)
    except UnicodeDecodeError as exc:
        named = _CHARSET_NAMES.get(codec or "", "UTF-8 or GB18030")
        raise BadRequest(
            f"the upload is not {named} text (byte {exc.start})", errors=[{"field": "body", "message": f"not {named}"}]
        ) from exc


def _csv_rows(text: str) -> Iterator[tuple[int, Cells]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            if "".join(cells).strip():  # a row of blank cells is skipped
                yield reader.line_num, cells
    except csv.Error as exc:
        raise BadRequest(
            f"the CSV cannot be read at line {reader.line_num}: {exc}",
            errors=[{"field": "body", "message": str(exc), "row": reader.line_num}],
        ) from exc


def table(
    fmt: UploadFormat, content_type: str | None, body: bytes, *, max_unzipped: int = MAX_UNZIPPED
) -> tuple[Cells, Iterator[tuple[int, Cells]]]:
    """The header cells and the numbered non-blank rows after it of a CSV or XLSX upload."""
    rows = (
        workbooks.sheet_rows(body, max_unzipped=max_unzipped) if fmt == "xlsx" else _csv_rows(_text(content_type, body))
    )
    first = next(rows, None)
    if first is None:
        raise BadRequest("the upload holds no rows", errors=[{"field": "body", "message": "empty"}])
    return first[1], rows


def _record(fields: list[str | None], texts: list[str]) -> dict[str, Any]:
    """A row's fields from its stripped cell texts: blank cells left out (a missing optional field),
    list cells split, dates made ISO; `__extra__` when a column without a header holds a value."""
    width = len(fields)
    extra = len(texts) > width and any(texts[width:])
    record: dict[Any, Any] = {name: text for name, text in zip(fields, texts, strict=False) if text}
    if record.pop("", None) is not None or extra:  # "": a column without a header
        record["__extra__"] = True
    record.pop(None, None)  # None: a column an error report added
    for name in columns.LIST_FIELDS:
        if name in record:
            record[name] = columns.split_list(record[name])
    for name in columns.DATE_FIELDS:
        if name in record:
            record[name] = columns.normal_date(record[name])
    return record


def _texts(fmt: UploadFormat, cells: Cells) -> list[str]:
    # A CSV cell is text already (strip them all in C); a spreadsheet's are typed.
    if fmt == "csv":
        return list(map(str.strip, cells))  # type: ignore[arg-type]
    return [columns.cell_text(c) or "" for c in cells]


def _tabular_records(
    fmt: UploadFormat, content_type: str | None, body: bytes, max_rows: int, max_unzipped: int
) -> list[tuple[int, dict[str, Any] | str]]:
    header, rows = table(fmt, content_type, body, max_unzipped=max_unzipped)
    fields = columns.resolve_header(header)
    out: list[tuple[int, dict[str, Any] | str]] = []
    for number, cells in rows:
        if len(out) >= max_rows:
            raise _TooMany
        out.append((number, _record(fields, _texts(fmt, cells))))
    return out


def _jsonl_records(text: str, max_rows: int) -> list[tuple[int, dict[str, Any] | str]]:
    out: list[tuple[int, dict[str, Any] | str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(out) >= max_rows:
            raise _TooMany
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append((number, f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        out.append((number, value if isinstance(value, dict) else "a line must be a JSON object"))
    return out


class _TooMany(Exception):
    pass


def _records(content_type: str | None, body: bytes, max_rows: int, max_unzipped: int) -> list[tuple[int, Any]]:
    fmt = upload_format(content_type, ACCEPTED)
    try:
        if fmt == "jsonl":
            return list(_jsonl_records(_text(content_type, body), max_rows))
        return list(_tabular_records(fmt, content_type, body, max_rows, max_unzipped))
    except _TooMany:
        raise BadRequest(
            f"an upload holds at most {max_rows} rows; split it", errors=[{"field": "body", "message": "too many rows"}]
        ) from None


def parse(content_type: str | None, body: bytes, *, max_rows: int, max_unzipped: int = MAX_UNZIPPED) -> ParsedUpload:
    """Parse and schema-validate every row (business rules are checked by the use case)."""
    records = _records(content_type, body, max_rows, max_unzipped)
    if not records:
        raise BadRequest("the upload holds no rows", errors=[{"field": "body", "message": "empty"}])
    parsed = ParsedUpload(format=upload_format(content_type, ACCEPTED), row_count=len(records))
    for line, record in records:
        if isinstance(record, str):
            parsed.errors.append(RowError(line, None, record))
            continue
        if "__extra__" in record:
            parsed.errors.append(RowError(line, None, "a value in a column without a header"))
            continue
        try:
            parsed.rows.append((line, ROW.validate_python(record)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = ".".join(str(p) for p in error["loc"]) or None
                parsed.errors.append(RowError(line, loc, error["msg"]))
    return parsed


def reject(parsed: ParsedUpload, *, max_reported: int) -> UploadRejected:
    """The error refusing an upload, listing (up to `max_reported`) problems row by row; every
    problem stays on the error (`problems`) for an XLSX report."""
    errors = sorted(parsed.errors, key=lambda e: (e.row, e.field or ""))
    bad_rows = len({e.row for e in errors})
    rejected = UploadRejected(
        f"{bad_rows} of {parsed.row_count} rows are not valid; nothing was saved. Fix them and upload again.",
        row_count=parsed.row_count,
        rejected_rows=bad_rows,
        error_count=len(errors),
        errors_truncated=len(errors) > max_reported,
        errors=[e.as_dict() for e in errors[:max_reported]],
    )
    rejected.problems = errors
    return rejected


@functools.cache
def template(fmt: str) -> tuple[bytes, str, str]:
    """The upload template as (content, media type, percent-encoded file name): XLSX, or the same
    headers as one CSV line (UTF-8 with a byte-order mark, so Excel shows the Chinese right)."""
    if fmt == "csv":
        line = ",".join(c.label for c in columns.COLUMNS) + "\r\n"
        return line.encode("utf-8-sig"), "text/csv; charset=utf-8", quote("工作记录导入模板.csv")
    return workbook.template_xlsx(), XLSX_MEDIA_TYPE, quote("工作记录导入模板.xlsx")


def _problem_text(error: RowError) -> str:
    if error.field is None:
        return error.message
    column = columns.BY_FIELD.get(error.field.split(".")[0])
    named = f"{column.label} {error.field}" if column else error.field
    return f"{named}: {error.message}"


def error_report(content_type: str | None, body: bytes, rejected: UploadRejected) -> bytes | None:
    """A refused CSV or XLSX upload as XLSX: every row as it came, its row number and its problems
    (every one, not only the listed ones); None for JSON Lines, whose report is the problem+json."""
    fmt = upload_format(content_type, ACCEPTED)
    if fmt == "jsonl":
        return None
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in rejected.problems:
        by_row[error.row].append(_problem_text(error))
    header, rows = table(fmt, content_type, body)
    noted = ((n, cells, "; ".join(by_row[n]) if n in by_row else None) for n, cells in rows)
    return workbooks.report_xlsx(header, noted, labels=(columns.REPORT_ROW, columns.REPORT_ERRORS))


async def read_upload(request: Request, settings: TrusteeshipSettings) -> ParsedUpload:
    """The request's body parsed: 415 for a media type or charset we cannot take and 413 for a
    body over `bulk_max_bytes`, both before reading more than needed."""
    max_bytes = settings.bulk_max_bytes
    media = request.headers.get("content-type")
    if upload_format(media, ACCEPTED) != "xlsx":  # 415 before reading a body we cannot take
        upload_charset(media)  # ... or text in a charset we do not read
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    body = await request.body()
    if len(body) > max_bytes:
        raise too_large(max_bytes)
    # Parsing tens of thousands of rows takes seconds of CPU: off the event loop.
    limits = {"max_rows": settings.bulk_max_rows, "max_unzipped": settings.bulk_max_unzipped_bytes}
    return await asyncio.to_thread(functools.partial(parse, media, body, **limits))
