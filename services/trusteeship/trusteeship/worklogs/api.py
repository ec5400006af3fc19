"""Work-log routes: an agency logs work (one entry or a bulk upload) and works through its queue."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, AgencyPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from ipops.uploads import TABULAR_UPLOAD_BODY
from trusteeship.common import today
from trusteeship.config import TrusteeshipSettings
from trusteeship.enums import ServiceType
from trusteeship.worklogs import service, upload
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
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Log one piece of work for an enterprise the agency holds (404 for one it does not)."""

    async def work(session: AsyncSession) -> tuple[int, WorkLogPublic]:
        entry = await service.log_work(session, principal, body, today(runtime))
        return 201, work_log_public(entry)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post(
    "/work-logs/bulk",
    status_code=201,
    response_model=WorkUploadAccepted,
    openapi_extra=TABULAR_UPLOAD_BODY,
    responses={
        422: {"description": "upload-rejected: nothing saved; `errors` lists {row, field, message} per bad row"},
        415: {"description": "neither CSV nor JSON Lines"},
    },
)
async def upload_work(
    request: Request, principal: AgencyPrincipal, runtime: Runtime, idempotency_key: IdempotencyKey = None
) -> Response:
    """Upload many work logs at once, as CSV (`text/csv`) or JSON Lines (`application/x-ndjson`).

    **All or nothing.** Every row is parsed and checked before anything is written. If any row is
    bad, the whole upload is refused with `422 upload-rejected`, and `errors` lists every problem
    as `{row, field, message}`, where `row` is the 1-based line number in the file (the CSV header
    is line 1); nothing is saved, so fix the rows and upload the whole file again. If all rows are
    good, they are saved together in one transaction and one `work.uploaded` event is published.

    CSV columns: `credit_code, service_type, work_date, hours, description, outcome,
    patent_numbers, trademark_numbers, document_refs` (the first four and `description` required;
    list columns separated by `;`). JSON Lines: one WorkLogCreate object per line."""
    settings = runtime.settings_as(TrusteeshipSettings)
    parsed = await upload.read_upload(request, max_bytes=settings.bulk_max_bytes, max_rows=settings.bulk_max_rows)
    day = today(runtime)

    async def work(session: AsyncSession) -> tuple[int, WorkUploadAccepted]:
        result = await service.upload_work(
            session, principal, parsed, day, max_reported_errors=settings.bulk_max_reported_errors
        )
        return 201, result

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/work-logs", response_model=WorkLogPage)
async def list_work_logs(
    principal: AgencyOrOperator,
    runtime: Runtime,
    credit_code: str | None = None,
    service_type: ServiceType | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
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
    item_id: int,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Mark a work-queue item done."""

    async def work(session: AsyncSession) -> tuple[int, WorkQueueItemPublic]:
        item = await service.close_queue_item(session, principal, item_id)
        return 200, queue_item_public(item)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
