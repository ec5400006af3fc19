"""Queries of work logs and the work queue; an agency sees only its own."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.db import dialect_name
from trusteeship.enums import WorkSource
from trusteeship.models import WorkLog, WorkQueueItem
from trusteeship.worklogs.schemas import WorkLogCreate

_COPY_COLUMNS = (
    "agency_id",
    "credit_code",
    "enrolment_id",
    "service_type",
    "work_date",
    "hours",
    "description",
    "outcome",
    "patent_numbers",
    "trademark_numbers",
    "document_refs",
    "source",
    "upload_id",
    "created_at",
)


def _json_list(items: list[str]) -> str:
    # Most list cells are empty: skip the encoder for them (json.dumps([]) is "[]" too).
    return json.dumps(items) if items else "[]"


async def insert_uploaded_work_logs(
    session: AsyncSession,
    rows: Sequence[tuple[str, WorkLogCreate]],
    *,
    agency_id: str,
    upload_id: str,
    created_at: datetime,
) -> None:
    """Insert an upload's work logs (each row with the id of the enrolment it is logged under)
    inside the session's transaction, as fast as the database allows.

    PostgreSQL: COPY through the session's own asyncpg connection (same transaction, so a failure
    still rolls everything back), the records built straight from the rows in one pass; about 3x
    the rows/s of a batched INSERT (benchmarks/trusteeship_bulk.py). SQLite: one executemany,
    which SQLAlchemy batches into multi-row INSERTs."""
    upload = (agency_id, WorkSource.BULK.value, upload_id, created_at)
    if dialect_name(session) != "postgresql":
        values = [dict(zip(_COPY_COLUMNS, _record(upload, held, row, list), strict=True)) for held, row in rows]
        await session.execute(insert(WorkLog), values)
        return
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    records = [_record(upload, held, row, _json_list) for held, row in rows]
    await driver.copy_records_to_table("work_log", records=records, columns=list(_COPY_COLUMNS))


_Upload = tuple[str, str, str, datetime]
_AsList = Callable[[list[str]], object]


def _record(upload: _Upload, enrolment_id: str, row: WorkLogCreate, as_list: _AsList) -> tuple[object, ...]:
    """One work log's values in `_COPY_COLUMNS` order (`upload`: agency, source, upload id and
    time, the same for every row), its lists as `as_list` makes them."""
    agency_id, source, upload_id, created_at = upload
    return (
        agency_id,
        row.credit_code,
        enrolment_id,
        row.service_type.value,
        row.work_date,
        row.hours,
        row.description,
        row.outcome,
        as_list(row.patent_numbers),
        as_list(row.trademark_numbers),
        as_list(row.document_refs),
        source,
        upload_id,
        created_at,
    )


async def list_work_logs(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    service_type: str | None,
    from_date: date | None,
    to_date: date | None,
    upload_id: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[WorkLog], int]:
    """Work logs, newest work first; an agency sees its own."""
    query = select(WorkLog)
    if not principal.is_operator:
        query = query.where(col(WorkLog.agency_id) == principal.tenant_id)
    if credit_code:
        query = query.where(col(WorkLog.credit_code) == credit_code)
    if service_type:
        query = query.where(col(WorkLog.service_type) == service_type)
    if from_date:
        query = query.where(col(WorkLog.work_date) >= from_date)
    if to_date:
        query = query.where(col(WorkLog.work_date) <= to_date)
    if upload_id:
        query = query.where(col(WorkLog.upload_id) == upload_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(WorkLog.work_date).desc(), col(WorkLog.id).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def queue_item_exists(
    session: AsyncSession, agency_id: str, source_kind: str, reference: str, credit_code: str
) -> bool:
    """Whether this item is already in the agency's queue."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    col(WorkQueueItem.agency_id) == agency_id,
                    col(WorkQueueItem.source_kind) == source_kind,
                    col(WorkQueueItem.reference) == reference,
                    col(WorkQueueItem.credit_code) == credit_code,
                )
            )
        )
    )


async def readable_queue_item(
    session: AsyncSession, principal: Principal, item_id: str, *, for_update: bool = False
) -> WorkQueueItem | None:
    """A queue item the caller may see (an agency: its own)."""
    query = select(WorkQueueItem).where(col(WorkQueueItem.id) == item_id)
    if not principal.is_operator:
        query = query.where(col(WorkQueueItem.agency_id) == principal.tenant_id)
    if for_update:
        query = query.with_for_update()
    result: WorkQueueItem | None = (await session.scalars(query)).first()
    return result


async def list_queue(
    session: AsyncSession, principal: Principal, *, status: str | None, limit: int, offset: int
) -> tuple[Sequence[WorkQueueItem], int]:
    """The work queue, newest first; an agency sees its own."""
    query = select(WorkQueueItem)
    if not principal.is_operator:
        query = query.where(col(WorkQueueItem.agency_id) == principal.tenant_id)
    if status:
        query = query.where(col(WorkQueueItem.status) == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(WorkQueueItem.created_at).desc(), col(WorkQueueItem.id).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)
