"""Work-log routes: an agency logs work (one entry or a bulk upload, with its template) and works
through its queue."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, AgencyPrincipal
from ipops.fields import BoundedDate
from ipops.http import PROBLEM_JSON, Problem
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from ipops.uploads import SPREADSHEET_UPLOAD_BODY, TEMPLATE_CONTENT, XLSX_MEDIA_TYPE
from ipops.workbooks import REPORT_CONTENT, prefers_xlsx, report_response
from trusteeship.common import today
from trusteeship.config import TrusteeshipSettings
from trusteeship.enums import ServiceType
from trusteeship.worklogs import collector, service, upload
from trusteeship.worklogs.schemas import (
    WorkLogCreate,
    WorkLogPage,
    WorkLogPublic,
    WorkQueueItemPublic,
    WorkQueuePage,
    WorkUploadAccepted,
    queue_item_public,
    work_log_public,
)

router = APIRouter()


@router.post("/work-logs", status_code=201, response_model=WorkLogPublic)
async def log_work(
    body: WorkLogCreate,
    request: Request,
    principal: AgencyPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Log one piece of work for an enterprise the agency holds (404 for one it does not)."""

    async def work(session: AsyncSession) -> tuple[int, WorkLogPublic]:
        entry = await service.log_work(session, principal, body, today(runtime))
        return 201, work_log_public(entry)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get(
    "/work-logs/template",
    response_class=Response,
    responses={200: {"description": "the template, as XLSX or CSV", "content": TEMPLATE_CONTENT}},
)
async def work_log_template(
    principal: AgencyOrOperator,
    template_format: Annotated[Literal["xlsx", "csv"], Query(alias="format")] = "xlsx",
) -> Response:
    """The template of a bulk upload of work logs, to fill in and send to `POST /work-logs/bulk`.

    XLSX (the default): one sheet `工作记录` whose first row holds the Chinese column headers, each
    with a comment opening with the English field name and saying whether it is required; text
    format on the code and number columns (so Excel keeps credit codes and numbers as typed), a
    date format and a date check on `工作日期`, a drop-down of the service types on `服务类型`, a
    0 to 1000 check on `工时`. No example row (nothing to delete before uploading): the second sheet,
    `填写说明`, explains each column with an example and each service type. `?format=csv`: the same
    headers as one CSV line, UTF-8 with a byte-order mark so Excel shows them right."""
    content, media, filename = upload.template(template_format)
    disposition = f"attachment; filename=\"work-log-template.{template_format}\"; filename*=UTF-8''{filename}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


@router.post(
    "/work-logs/bulk",
    status_code=201,
    response_model=WorkUploadAccepted,
    openapi_extra=SPREADSHEET_UPLOAD_BODY,
    responses={
        422: {
            "description": "upload-rejected: nothing saved; `errors` lists {row, field, message} per bad row. "
            "With `Accept: " + XLSX_MEDIA_TYPE + "` (CSV and XLSX uploads), the rows as XLSX with their errors.",
            "model": Problem,
            "content": {PROBLEM_JSON: {}, **REPORT_CONTENT},
        },
        415: {
            "description": "neither CSV, JSON Lines nor XLSX, or a charset other than UTF-8, GBK, GB18030",
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
        },
    },
)
async def upload_work(
    request: Request, principal: AgencyPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey
) -> Response:
    """Upload many work logs at once: CSV (`text/csv`), JSON Lines (`application/x-ndjson`) or XLSX.

    **All or nothing.** Every row is checked before anything is written. One bad row refuses the
    whole upload with `422 upload-rejected`: `errors` lists `{row, field, message}` (the first 1,000;
    `error_count` counts all), `row` being the row number the file shows (a CSV or JSON Lines line,
    the header being line 1; the spreadsheet's row in XLSX). Nothing is saved and nothing is stored
    under the Idempotency-Key. A clean upload is saved in one transaction with one `work.uploaded`.

    **XLSX error report.** A refused CSV or XLSX upload sent with `Accept: application/vnd.openxml
    formats-officedocument.spreadsheetml.sheet` gets the 422 as a workbook: every row as sent, then
    `原行号` (its row number) and `错误` (its problems; bad rows shaded). Fixed, it can be uploaded
    as it is (those two columns are ignored). Otherwise, and for JSON Lines, problem+json.

    **Columns** (`GET /work-logs/template`), by Chinese header or English name; required:
    `credit_code` 统一社会信用代码, `service_type` 服务类型, `work_date` 工作日期, `description`
    工作内容; optional: `hours` 工时, `outcome` 工作成果, `patent_numbers` 专利号,
    `trademark_numbers` 商标注册号, `document_refs` 相关文件 (lists split on `;`, full-width too, or a
    line break). Dates as `2025-03-04`, `2025/3/4` or `2025年3月4日`. XLSX: the first sheet. CSV: UTF-8
    (BOM or not) or GBK/GB18030 as Chinese Excel saves it, named by `charset` (`text/csv;
    charset=GBK`) or found by trying UTF-8, then GB18030. JSON Lines: a WorkLogCreate per line."""
    settings = runtime.settings_as(TrusteeshipSettings)
    with collector.paused():  # why: worklogs/collector.py
        parsed = await upload.read_upload(request, settings)
        day = today(runtime)

        async def work(session: AsyncSession) -> tuple[int, WorkUploadAccepted]:
            result = await service.upload_work(
                session, principal, parsed, day, max_reported_errors=settings.bulk_max_reported_errors
            )
            return 201, result

        try:
            return await idempotent_write(runtime, request, principal, idempotency_key, work)
        except upload.UploadRejected as rejected:
            report = await _xlsx_report(request, rejected)
            if report is None:
                raise
            return report


async def _xlsx_report(request: Request, rejected: upload.UploadRejected) -> Response | None:
    """The refusal as an XLSX workbook when the caller asks for one and the upload was tabular."""
    if not prefers_xlsx(request.headers.get("accept")):
        return None
    body = await request.body()
    content = await asyncio.to_thread(upload.error_report, request.headers.get("content-type"), body, rejected)
    if content is None:
        return None
    return report_response(content, "work-log-errors.xlsx")


@router.get("/work-logs", response_model=WorkLogPage)
async def list_work_logs(
    principal: AgencyOrOperator,
    runtime: Runtime,
    credit_code: str | None = None,
    service_type: ServiceType | None = None,
    from_date: BoundedDate | None = None,
    to_date: BoundedDate | None = None,
    upload_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WorkLogPage:
    """Work logs, newest work first: an agency's own, or all for operators."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_work_logs(
            session,
            principal,
            credit_code=credit_code,
            service_type=service_type,
            from_date=from_date,
            to_date=to_date,
            upload_id=upload_id,
            limit=limit,
            offset=offset,
        )
    return WorkLogPage(items=[work_log_public(r) for r in rows], total=total)


@router.get("/work-queue", response_model=WorkQueuePage)
async def work_queue(
    principal: AgencyOrOperator, runtime: Runtime, status: str | None = None, limit: Limit = 50, offset: Offset = 0
) -> WorkQueuePage:
    """What an agency must act on for enterprises it holds (enforcement cases naming them)."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.work_queue(session, principal, status=status, limit=limit, offset=offset)
    return WorkQueuePage(items=[queue_item_public(r) for r in rows], total=total)


@router.post("/work-queue/{item_id}/done", response_model=WorkQueueItemPublic)
async def close_queue_item(
    item_id: str,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Mark a work-queue item done."""

    async def work(session: AsyncSession) -> tuple[int, WorkQueueItemPublic]:
        item = await service.close_queue_item(session, principal, item_id)
        return 200, queue_item_public(item)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
