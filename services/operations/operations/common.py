"""What every operations aggregate shares: the events' source, random ids, how a caller is named
in history rows, the agency a principal may act for, how a rule's verdict reaches the indicator
ledger, and how a bulk upload (CSV or XLSX) is read into rows and refused as a whole."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
import zipfile
from datetime import datetime
from typing import Annotated, Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import BeforeValidator, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal, Role
from ipops.errors import BadRequest, PayloadTooLarge, RuleViolation
from ipops.indicators import ledger
from ipops.indicators.ledger import IndicatorContribution
from ipops.uploads import XLSX_MEDIA_TYPE, decode_text, upload_charset, upload_format
from operations.domain.indicators import Counts

SOURCE = "/ipops/operations"
SERVICE = "operations"


def _json_integer(value: Any) -> Any:
    # JSON Schema's `integer` is a number without a fraction (13 and 13.0 alike); pydantic's lax
    # int would also read `true` and `"13"`, which the schema does not allow, and its strict int
    # would refuse 13.0, which the schema allows.
    if isinstance(value, bool | str | bytes):
        raise ValueError("a JSON integer (a number without a fraction)")
    return value


JSON_INTEGER = BeforeValidator(_json_integer)
# An integer field of a request body: `year: JsonInt = Field(ge=2000, le=2100)`. Inside a list,
# bounds go before the validator (`Annotated[int, Field(ge=1), JSON_INTEGER]`): put after it, pydantic
# checks them but writes `ge`/`le` into the JSON schema instead of `minimum`/`maximum`.
JsonInt = Annotated[int, JSON_INTEGER]


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


# --- bulk uploads (transactions, overseas marks): CSV or XLSX, all or nothing -------------------

Row = tuple[int, dict[str, str]]


def _csv_table(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text))]


def _xlsx_table(body: bytes, max_unzipped: int) -> list[list[str]]:
    # A small file must not unzip to gigabytes: refuse it unread.
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > max_unzipped:
            raise PayloadTooLarge("the workbook unzips to too many bytes; split it", errors=[_BODY_ERROR])
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise BadRequest("the upload is not a readable XLSX workbook", errors=[_BODY_ERROR]) from exc
    try:
        return [[_cell(c) for c in cells] for cells in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()  # a date cell: openpyxl reads it as a midnight datetime
    return str(value).strip()


_BODY_ERROR = {"field": "body", "message": "unreadable upload"}

# The request body of an upload route as OpenAPI describes it (FastAPI cannot infer a raw body).
TABULAR_UPLOAD: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def read_table(content_type: str | None, body: bytes, *, max_rows: int, max_unzipped: int) -> list[Row]:
    """The rows of an uploaded CSV or XLSX (first sheet) as {column: text}, numbered as the file
    shows them (the header is row 1); blank rows skipped. Columns by English name or Chinese
    header (`COLUMN_ALIASES`)."""
    kind = upload_format(content_type, ("csv", "xlsx"))
    if kind == "csv":
        try:
            text = decode_text(body, upload_charset(content_type))
        except UnicodeDecodeError as exc:
            raise BadRequest("the CSV is neither UTF-8 nor GB18030", errors=[_BODY_ERROR]) from exc
        table = _csv_table(text)
    else:
        table = _xlsx_table(body, max_unzipped)
    if not table:
        raise RuleViolation("the upload has no header row", field="body")
    header = [COLUMN_ALIASES.get(h.strip(), h.strip().lower()) for h in table[0]]
    rows = [
        (number, {name: value.strip() for name, value in zip(header, cells, strict=False) if name})
        for number, cells in enumerate(table[1:], start=2)
        if any(c.strip() for c in cells)
    ]
    if not rows:
        raise RuleViolation("the upload has no rows", field="body")
    if len(rows) > max_rows:
        raise PayloadTooLarge(f"at most {max_rows} rows an upload; split it", errors=[_BODY_ERROR])
    return rows


# Chinese headers as CNIPA's and Madrid's forms name them, for spreadsheets filled in by hand.
COLUMN_ALIASES = {
    "合同类型": "kind", "权利类型": "right_kind", "专利号/商标号": "right_numbers", "让与人/许可人信用代码":
    "transferor_credit_code", "让与人/许可人": "transferor_name", "受让人/被许可人信用代码": "transferee_credit_code",
    "受让人/被许可人": "transferee_name", "地域范围": "territory", "起始日": "start_date", "终止日": "end_date",
    "金额": "amount", "支付方式": "payment_form", "签订日期": "contracted_on", "备案号": "recordal_number",
    "备案日期": "recordal_date", "运营机构": "agency_id", "专利池": "pool_id", "国际注册号": "ir_number",
    "基础商标注册号": "basic_mark_number", "商标": "mark", "注册人信用代码": "owner_credit_code",
    "注册人": "owner_name", "尼斯分类": "nice_classes", "国际注册日": "ir_date", "指定国家": "designations",
}  # fmt: skip


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


def rejected(errors: list[dict[str, Any]], limit: int) -> RuleViolation:
    """The refusal of a whole upload: nothing was saved; the first `limit` problems, all counted."""
    return RuleViolation(
        f"the upload was refused: {len(errors)} problem(s); nothing was saved", errors=errors[:limit],
        error_count=len(errors),
    )  # fmt: skip
