"""What every operations aggregate shares: the events' source, random ids, how a caller is named
in history rows, the agency a principal may act for, how a rule's verdict reaches the indicator
ledger, and how a bulk upload (CSV, JSON Lines or XLSX) is read into rows and refused as a whole (problem+json,
or an XLSX report by row for a caller asking for one)."""

from __future__ import annotations

import asyncio
import csv
import functools
import hashlib
import io
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Awaitable
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from ipops.auth import Principal, Role
from ipops.errors import BadRequest, PayloadTooLarge, RuleViolation
from ipops.http import PROBLEM_JSON, Problem
from ipops.indicators import ledger
from ipops.indicators.ledger import IndicatorContribution
from ipops.uploads import (
    SPREADSHEET_UPLOAD_BODY,
    TEMPLATE_CONTENT,
    XLSX_MEDIA_TYPE,
    UploadFormat,
    decode_text,
    upload_charset,
    upload_format,
)
from ipops.workbooks import REPORT_CONTENT, REPORT_LABELS, Cells, prefers_xlsx, report_response, report_xlsx, sheet_rows
from operations.domain.indicators import Counts
from operations.upload_columns import COLUMN_ALIASES

SOURCE = "/ipops/operations"
SERVICE = "operations"


def new_id() -> str:
    """A random, non-sequential id (uuid4 hex): ids reveal neither counts nor other tenants' rows."""
    return uuid.uuid4().hex


def actor_of(principal: Principal) -> str:
    """How history rows name a caller."""
    if principal.role is Role.OPERATOR:
        return f"operator:{principal.subject}"
    return f"{principal.role.value}:{principal.tenant_id}:{principal.subject}"


def own_agency(principal: Principal) -> str | None:
    """The agency whose records the caller is limited to; None for an operator (sees all)."""
    if principal.is_operator:
        return None
    return str(principal.tenant_id)


def subject(kind: str, object_id: str, *suffix: object) -> str:
    """The ledger's subject of a tenant's record: a digest of its id, never the id itself, because
    the public annual report lists the subjects behind each figure (the count is public, which
    agency or deal it is is not)."""
    digest = hashlib.sha256(f"{kind}:{object_id}".encode()).hexdigest()[:24]
    return ":".join([kind, digest, *(str(s) for s in suffix)])


async def counted(session: AsyncSession, indicator: str, subject: str) -> Counts | None:
    """What `subject` contributes to `indicator` now, per the ledger (None: nothing)."""
    row = await session.get(IndicatorContribution, (indicator, subject))
    if row is None or row.quantity == 0:
        return None
    return Counts(row.quantity, row.start_on, row.end_on)


async def count(session: AsyncSession, indicator: str, subject: str, counts: Counts | None, reason: str) -> None:
    """Record the verdict of a rule in `operations.domain.indicators` (None withdraws the subject);
    the ledger announces it through the outbox only when it changed."""
    if counts is None:
        await ledger.withdraw(session, owner=SERVICE, indicator=indicator, subject=subject, reason=reason)
        return
    await ledger.contribute(
        session,
        owner=SERVICE,
        indicator=indicator,
        subject=subject,
        quantity=counts.quantity,
        start_on=counts.start_on,
        end_on=counts.end_on,
        reason=reason,
    )


# --- bulk uploads (transactions, overseas marks): CSV, JSON Lines or XLSX, all or nothing -------------------

Row = tuple[int, dict[str, str]]
# An upload as read: its header cells, and its non-blank rows numbered as the file shows them.
Table = tuple[Cells, list[tuple[int, Cells]]]
_BODY_ERROR = {"field": "body", "message": "unreadable upload"}
ACCEPTED: tuple[UploadFormat, ...] = ("csv", "jsonl", "xlsx")

# The request body of an upload route as OpenAPI describes it (FastAPI cannot infer a raw body).
TABULAR_UPLOAD = SPREADSHEET_UPLOAD_BODY
# The 422 of an upload route: problem+json, or the XLSX error report for a caller asking for it.
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "rule-violation: nothing saved; `errors` lists {row, field, message} per problem. With "
        f"`Accept: {XLSX_MEDIA_TYPE}`, when rows were refused, the rows as XLSX with 原行号 and 错误 (their problems).",
        "model": Problem,
        "content": {PROBLEM_JSON: {}, **REPORT_CONTENT},
    }
}


# The answer of a template route: XLSX (the default) or its header as one CSV line.
TEMPLATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the template, as XLSX or CSV",
        "content": TEMPLATE_CONTENT,
    }
}


def _csv_rows(text: str) -> list[tuple[int, Cells]]:
    try:
        return [(n, cells) for n, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1) if cells]
    except csv.Error as exc:
        raise BadRequest(f"the CSV cannot be read: {exc}", errors=[_BODY_ERROR]) from exc


def _text(content_type: str | None, body: bytes) -> str:
    try:
        return decode_text(body, upload_charset(content_type))
    except UnicodeDecodeError as exc:
        raise BadRequest("the upload is neither UTF-8 nor GB18030 text", errors=[_BODY_ERROR]) from exc


def _table(content_type: str | None, body: bytes, max_unzipped: int) -> Table:
    if upload_format(content_type, ACCEPTED) == "csv":
        numbered = _csv_rows(_text(content_type, body))
    else:
        numbered = list(sheet_rows(body, max_unzipped=max_unzipped))
    numbered = [(n, cells) for n, cells in numbered if any(_cell(c) for c in cells)]
    if not numbered:
        raise RuleViolation("the upload has no header row", field="body")
    (_, header), *rows = numbered
    return header, rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()  # a date cell: openpyxl reads it as a midnight datetime
    return str(value).strip()


def _column(header: object) -> str:
    # "" ignores the column: the two an error report adds, so a fixed report can be uploaded again.
    name = _cell(header)
    return "" if name in REPORT_LABELS else COLUMN_ALIASES.get(name, name.lower())


def read_table(
    content_type: str | None, body: bytes, *, max_rows: int, max_unzipped: int, max_reported: int
) -> list[Row]:
    """The rows of an uploaded CSV, JSON Lines or XLSX (first sheet) as {column: text}, numbered as
    the file shows them (CSV and XLSX: the first non-blank row is the header; JSON Lines: by line);
    blank rows skipped. Columns by English name or Chinese header (`COLUMN_ALIASES`)."""
    if upload_format(content_type, ACCEPTED) == "jsonl":
        rows = _jsonl_rows(_text(content_type, body), max_rows, max_reported)
    else:
        header, table = _table(content_type, body, max_unzipped)
        names = [_column(h) for h in header]
        rows = [(n, {name: _cell(v) for name, v in zip(names, cells, strict=False) if name}) for n, cells in table]
    if not rows:
        raise RuleViolation("the upload has no rows", field="body")
    if len(rows) > max_rows:
        raise PayloadTooLarge(f"at most {max_rows} rows an upload; split it", errors=[_BODY_ERROR])
    return rows


def _json_cell(value: object) -> str:
    # A JSON value as the text a CSV cell holds: lists joined by `;`, numbers as written (read
    # as Decimal, never float: amounts are money), booleans as JSON writes them.
    if isinstance(value, list):
        return ";".join(_json_cell(v) for v in value)
    if isinstance(value, dict):
        raise ValueError("a column's value is text, a number or a list, not an object")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _json_row(number: int, line: str) -> tuple[Row | None, list[dict[str, Any]]]:
    try:
        value = json.loads(line, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return None, [{"row": number, "field": f"rows.{number}", "message": f"not valid JSON: {exc.msg}"}]
    if not isinstance(value, dict):
        return None, [{"row": number, "field": f"rows.{number}", "message": "a line must be a JSON object"}]
    cells: dict[str, str] = {}
    for key, item in value.items():
        name = _column(key)
        try:
            if name:
                cells[name] = _json_cell(item)
        except ValueError as exc:
            return None, [{"row": number, "field": f"rows.{number}.{key}", "message": str(exc)}]
    return (number, cells), []


def _jsonl_rows(text: str, max_rows: int, max_reported: int) -> list[Row]:
    # Every line is one row, numbered as an editor shows it; unreadable lines refuse the upload
    # together, each named by its line, before any row is checked against the rules.
    rows: list[Row] = []
    errors: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(rows) + len(errors) >= max_rows:
            raise PayloadTooLarge(f"at most {max_rows} rows an upload; split it", errors=[_BODY_ERROR])
        row, problems = _json_row(number, line)
        errors.extend(problems)
        if row is not None:
            rows.append(row)
    if errors:
        raise UploadRefused(errors, max_reported)
    return rows


def split_list(value: str) -> list[str]:
    """A list cell: items split on `;` (full-width too), `,` or line breaks."""
    return [item.strip() for item in re.split(r"[;\uff1b,\uff0c\n]", value) if item.strip()]


def row_errors(row: int, exc: ValidationError | RuleViolation, prefix: str = "body") -> list[dict[str, Any]]:
    """The problems of one row: its number as the file shows it (`row`, for a report by row) and the
    field as `rows.<row>.<field>`, as the API names a body's fields."""
    if isinstance(exc, RuleViolation):
        found = exc.extensions.get("errors") or [{"field": prefix, "message": exc.detail}]
        named = [(str(e["field"]).removeprefix(prefix + "."), str(e["message"])) for e in found]
    else:
        named = [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
    return [{"row": row, "field": f"rows.{row}.{field}", "message": message} for field, message in named]


class UploadRefused(RuleViolation):
    """The refusal of a whole upload (a rule-violation): nothing was saved. The problem lists the
    first `limit` problems and counts all; `problems` keeps every one, for the XLSX report."""

    def __init__(self, errors: list[dict[str, Any]], limit: int) -> None:
        super().__init__(
            f"the upload was refused: {len(errors)} problem(s); nothing was saved", errors=errors[:limit],
            error_count=len(errors),
        )  # fmt: skip
        self.problems = errors


def rejected(errors: list[dict[str, Any]], limit: int) -> UploadRefused:
    """The refusal of a whole upload: nothing was saved; the first `limit` problems, all counted."""
    return UploadRefused(errors, limit)


def error_report(content_type: str | None, body: bytes, refusal: UploadRefused, *, max_unzipped: int) -> bytes:
    """A refused upload as XLSX: every row as read, its row number and its problems (every one,
    each as `<field>: <message>`, the field as a row's body names it)."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in refusal.problems:
        field = str(error["field"]).removeprefix(f"rows.{error['row']}.")
        by_row[error["row"]].append(f"{field}: {error['message']}")
    header, rows = _table(content_type, body, max_unzipped)
    return report_xlsx(header, ((n, cells, "; ".join(by_row[n]) if n in by_row else None) for n, cells in rows))


async def refused_as_asked(
    write: Awaitable[Response], request: Request, body: bytes, *, max_unzipped: int, filename: str
) -> Response:
    """The upload route's answer: `write`'s, or for a refused upload, when the caller's Accept
    prefers XLSX, the refusal as an XLSX error report named `filename` (otherwise the refusal is
    raised, and answered as problem+json). Writing thousands of rows is CPU: off the event loop."""
    try:
        return await write
    except UploadRefused as refusal:
        content_type = request.headers.get("content-type")
        # JSON Lines has no cells to hand back: its report is the problem+json, by line.
        if not prefers_xlsx(request.headers.get("accept")) or upload_format(content_type, ACCEPTED) == "jsonl":
            raise
        report = functools.partial(error_report, content_type, body, refusal, max_unzipped=max_unzipped)
        return report_response(await asyncio.to_thread(report), filename)
