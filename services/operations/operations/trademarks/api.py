"""Overseas-mark routes: operators register international registrations (Madrid) and record each
designated party's status; agencies and operators read them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.errors import PayloadTooLarge
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.common import TABULAR_UPLOAD, TEMPLATE_RESPONSES, UPLOAD_RESPONSES, read_table, refused_as_asked
from operations.config import OperationsSettings
from operations.models import Designation, OverseasMark
from operations.trademarks import service
from operations.trademarks.schemas import (
    DesignationChange,
    MarkUploadAccepted,
    OverseasMarkCreate,
    OverseasMarkPage,
    OverseasMarkPublic,
    mark_public,
)
from operations.upload_columns import template

router = APIRouter()


def _public(found: tuple[OverseasMark, Sequence[Designation]]) -> OverseasMarkPublic:
    mark, designations = found
    verdict = service.verdict(designations)
    return mark_public(mark, designations, verdict is not None and verdict.end_on is None)


@router.post("/trademarks", status_code=201, response_model=OverseasMarkPublic)
async def register_overseas_mark(
    body: OverseasMarkCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register an international registration of a Chinese basic mark: IR number, basic mark
    number, Nice classes (1-45), designated parties (ISO 3166-1 alpha-2 codes or EM, BX, OA; not
    CN) with their status. A mark counts toward the plan's overseas marks once, from its first
    protected designation, until it has lapsed everywhere."""

    async def work(session: AsyncSession) -> tuple[int, OverseasMarkPublic]:
        return 201, _public(await service.register(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/trademark-uploads/template", response_class=Response, responses=TEMPLATE_RESPONSES)
async def trademark_upload_template(
    principal: OperatorPrincipal, template_format: Annotated[Literal["xlsx", "csv"], Query(alias="format")] = "xlsx"
) -> Response:
    """The template of `POST /trademark-uploads` (operators): sheet `海外商标` with the Chinese
    headers the upload reads, a comment on each naming its English field, and a date check on
    `国际注册日`; sheet `填写说明` explains each column, the designations' statuses and some country
    codes (the list of codes is too long for a drop-down). `?format=csv`: the headers as one CSV line."""
    return template("trademark", template_format)


@router.post("/trademark-uploads", status_code=201, response_model=MarkUploadAccepted, openapi_extra=TABULAR_UPLOAD,
             responses=UPLOAD_RESPONSES)  # fmt: skip
async def upload_overseas_marks(
    request: Request, principal: OperatorPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Register many overseas marks at once from CSV (UTF-8 or GBK/GB18030), JSON Lines
    (`application/x-ndjson`: one object a line, keyed like the CSV's columns; rows numbered by line)
    or XLSX (first sheet; the template is `GET /trademark-uploads/template`). **All or nothing**:
    every row is checked as `POST /trademarks` checks a body; one bad row
    refuses the upload with 422 whose `errors` give each problem's `row` and name its field
    `rows.<row>.<field>` (the header is row 1) and nothing is saved. With `Accept: application/vnd.
    openxmlformats-officedocument.spreadsheetml.sheet` the 422 is an XLSX report instead: every row
    as read, then `原行号` and `错误`; fixed, it can be uploaded again as it is. Columns by English name or
    Chinese header: ir_number 国际注册号, basic_mark_number 基础商标注册号, mark 商标,
    owner_credit_code 注册人信用代码, owner_name 注册人, nice_classes 尼斯分类 (`;`-separated),
    ir_date 国际注册日, designations 指定国家 (`;`-separated ISO codes, each optionally with its
    status: `US:protected`)."""
    settings = runtime.settings_as(OperationsSettings)
    body = await request.body()
    if len(body) > settings.bulk_max_bytes:
        raise PayloadTooLarge(f"at most {settings.bulk_max_bytes} bytes an upload", errors=[{"field": "body",
                              "message": "too large"}])  # fmt: skip
    rows = read_table(request.headers.get("content-type"), body, max_rows=settings.bulk_max_rows,
                      max_unzipped=settings.bulk_max_unzipped_bytes,
                      max_reported=settings.bulk_max_reported_errors)  # fmt: skip

    async def work(session: AsyncSession) -> tuple[int, MarkUploadAccepted]:
        return 201, await service.upload(session, principal, rows, max_reported=settings.bulk_max_reported_errors)

    write = idempotent_write(runtime, request, principal, idempotency_key, work)
    return await refused_as_asked(write, request, body, max_unzipped=settings.bulk_max_unzipped_bytes,
                                  filename="trademark-upload-errors.xlsx")  # fmt: skip


@router.get("/trademarks", response_model=OverseasMarkPage)
async def list_overseas_marks(
    principal: AgencyOrOperator,
    runtime: Runtime,
    owner_credit_code: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> OverseasMarkPage:
    """Overseas marks with their designations, newest registration first."""
    async with runtime.sessionmaker() as session:
        found, total = await service.list_marks(
            session, owner_credit_code=owner_credit_code, limit=limit, offset=offset
        )
    return OverseasMarkPage(items=[_public(f) for f in found], total=total)


@router.get("/trademarks/{mark_id}", response_model=OverseasMarkPublic)
async def get_overseas_mark(mark_id: str, principal: AgencyOrOperator, runtime: Runtime) -> OverseasMarkPublic:
    """One overseas mark."""
    async with runtime.sessionmaker() as session:
        return _public(await service.get(session, mark_id))


@router.put("/trademarks/{mark_id}/designations/{country}", response_model=OverseasMarkPublic)
async def change_designation(
    mark_id: str,
    country: str,
    body: DesignationChange,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a designated party's new status (pending, protected, refused, lapsed; 409 with
    `allowed_moves` for an impossible change), or a subsequent designation of a new party."""

    async def work(session: AsyncSession) -> tuple[int, OverseasMarkPublic]:
        return 200, _public(await service.change_designation(session, principal, mark_id, country, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
