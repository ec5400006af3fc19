"""Parsing and validating a bulk upload of work logs (CSV or JSON Lines) into rows or a report.

Every row is parsed and validated before anything is written, so a rejected upload can name every
bad row (its 1-based line number in the file, the field and why) and nothing is half-written.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, TypeAdapter, ValidationError
from starlette.requests import Request

from ipops import identifiers
from ipops.errors import BadRequest, DomainError, PayloadTooLarge
from ipops.uploads import upload_format
from trusteeship.worklogs.schemas import WorkLogCreate

LIST_COLUMNS = ("patent_numbers", "trademark_numbers", "document_refs")
COLUMNS = frozenset(WorkLogCreate.model_fields)
REQUIRED_COLUMNS = ("credit_code", "service_type", "work_date", "description")


@functools.lru_cache(maxsize=65_536)
def _credit_code(value: str) -> str:
    # An upload names a few hundred enterprises in tens of thousands of rows, and the check-digit
    # computation was 70 % of parsing time: validate each distinct code once (errors are not cached).
    return identifiers.normalize_uscc(value)


class WorkLogRow(WorkLogCreate):
    """One row of a bulk upload: a WorkLogCreate, its credit code validated through the cache."""

    credit_code: Annotated[str, AfterValidator(_credit_code)]


_ADAPTER = TypeAdapter(WorkLogRow)


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


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the upload is not UTF-8 (byte {exc.start})", errors=[{"field": "body", "message": "not UTF-8"}]
        ) from exc


def _csv_records(text: str, max_rows: int) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = sorted(set(header) - COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if unknown or missing:
        problems = [{"field": f"header.{c}", "message": "unknown column"} for c in unknown]
        problems += [{"field": f"header.{c}", "message": "missing column"} for c in missing]
        raise BadRequest("the CSV header does not match the work-log columns", errors=problems)
    reader.fieldnames = header
    out: list[tuple[int, dict[str, Any]]] = []
    try:
        for raw in reader:
            if len(out) >= max_rows:
                raise _TooMany
            record: dict[str, Any] = {}
            for name, value in raw.items():
                if name is None:  # more cells than header columns
                    record["__extra__"] = value
                    continue
                text_value = (value or "").strip()
                if name in LIST_COLUMNS:
                    record[name] = [part.strip() for part in text_value.split(";") if part.strip()]
                elif text_value:
                    record[name] = text_value
            out.append((reader.line_num, record))
    except csv.Error as exc:
        raise BadRequest(
            f"the CSV cannot be read at line {reader.line_num}: {exc}",
            errors=[{"field": "body", "message": str(exc), "row": reader.line_num}],
        ) from exc
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


def parse(content_type: str | None, body: bytes, *, max_rows: int) -> ParsedUpload:
    """Parse and schema-validate every row (business rules are checked by the use case)."""
    fmt = upload_format(content_type)
    text = _decode(body)
    try:
        records: list[tuple[int, Any]] = (
            list(_csv_records(text, max_rows)) if fmt == "csv" else list(_jsonl_records(text, max_rows))
        )
    except _TooMany:
        raise BadRequest(
            f"an upload holds at most {max_rows} rows; split it", errors=[{"field": "body", "message": "too many rows"}]
        ) from None
    if not records:
        raise BadRequest("the upload holds no rows", errors=[{"field": "body", "message": "empty"}])
    parsed = ParsedUpload(format=fmt, row_count=len(records))
    for line, record in records:
        if isinstance(record, str):
            parsed.errors.append(RowError(line, None, record))
            continue
        if "__extra__" in record:
            parsed.errors.append(RowError(line, None, "more cells than the header has columns"))
            continue
        try:
            parsed.rows.append((line, _ADAPTER.validate_python(record)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = ".".join(str(p) for p in error["loc"]) or None
                parsed.errors.append(RowError(line, loc, error["msg"]))
    return parsed


def reject(parsed: ParsedUpload, *, max_reported: int) -> UploadRejected:
    """The error refusing an upload, listing (up to `max_reported`) problems row by row."""
    errors = sorted(parsed.errors, key=lambda e: (e.row, e.field or ""))
    bad_rows = len({e.row for e in errors})
    return UploadRejected(
        f"{bad_rows} of {parsed.row_count} rows are not valid; nothing was saved. Fix them and upload again.",
        row_count=parsed.row_count,
        rejected_rows=bad_rows,
        error_count=len(errors),
        errors_truncated=len(errors) > max_reported,
        errors=[e.as_dict() for e in errors[:max_reported]],
    )


async def read_upload(request: Request, *, max_bytes: int, max_rows: int) -> ParsedUpload:
    """The request's body parsed: 415 for a media type we cannot take and 413 for a body over
    `max_bytes`, both before reading more than needed."""
    media = request.headers.get("content-type")
    upload_format(media)  # 415 before reading a body we cannot take
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    body = await request.body()
    if len(body) > max_bytes:
        raise too_large(max_bytes)
    # Parsing tens of thousands of rows takes seconds of CPU: off the event loop.
    return await asyncio.to_thread(parse, media, body, max_rows=max_rows)
