"""Work-log use cases: log one piece of work, take a bulk upload whole or refuse it whole, read
the logs, keep the work queue (fed by enforcement cases). Never commit."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.enforcement import CaseOpenedV1
from ipops.contracts.trusteeship import WorkLoggedV1, WorkUploadedV1
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from trusteeship.agencies.service import agency_of
from trusteeship.common import SOURCE, known_credit_code
from trusteeship.domain.worklog import NOT_HELD, check_work
from trusteeship.enrolments import repository as enrolments
from trusteeship.enums import ServiceType, WorkSource
from trusteeship.models import Agency, Enrolment, WorkLog, WorkQueueItem, WorkUpload
from trusteeship.worklogs import repository, upload
from trusteeship.worklogs.schemas import WorkLogCreate, WorkUploadAccepted

ENFORCEMENT_CASE = "enforcement_case"


def _work_values(agency_id: str, held: Enrolment, row: WorkLogCreate, now: datetime) -> dict[str, object]:
    return {
        "agency_id": agency_id,
        "credit_code": row.credit_code,
        "enrolment_id": held.id,
        "service_type": row.service_type.value,
        "work_date": row.work_date,
        "hours": row.hours,
        "description": row.description,
        "outcome": row.outcome,
        "patent_numbers": list(row.patent_numbers),
        "trademark_numbers": list(row.trademark_numbers),
        "document_refs": list(row.document_refs),
        "created_at": now,
    }


async def log_work(session: AsyncSession, principal: Principal, data: WorkLogCreate, today: date) -> WorkLog:
    """Log one piece of work for an enterprise the agency holds."""
    agency = await agency_of(session, principal)
    held = await enrolments.active_enrolment(session, data.credit_code)
    if held is None or held.agency_id != agency.id:
        raise NotFound(f"{NOT_HELD}: {data.credit_code}")
    problems = check_work(
        service_type=data.service_type.value,
        work_date=data.work_date,
        scope=agency.scope,
        held_since=held.start_date,
        today=today,
    )
    if problems:
        field, message = problems[0]
        raise RuleViolation(message, field=f"body.{field}")
    entry = WorkLog(**_work_values(agency.id, held, data, utc_now()), source=WorkSource.SINGLE)  # type: ignore[arg-type]
    session.add(entry)
    await session.flush()
    assert entry.id is not None
    add_to_outbox(
        session,
        WorkLoggedV1(
            work_log_id=entry.id,
            agency_id=agency.id,
            credit_code=entry.credit_code,
            service_type=entry.service_type,
            work_date=entry.work_date,
            hours=f"{entry.hours:.2f}" if entry.hours is not None else None,
            logged_at=entry.created_at,
        ),
        source=SOURCE,
        key=agency.id,
    )
    return entry


async def upload_work(
    session: AsyncSession,
    principal: Principal,
    parsed: upload.ParsedUpload,
    today: date,
    *,
    max_reported_errors: int,
) -> WorkUploadAccepted:
    """All or nothing: every row is checked first; one bad row refuses the whole upload with a
    report of every bad row. A clean upload is inserted in one statement in this transaction."""
    agency = await agency_of(session, principal)
    held = await enrolments.held_enrolments(session, agency.id)
    _refuse_bad_rows(parsed, agency, held, today, max_reported_errors=max_reported_errors)
    upload_id = uuid.uuid4().hex
    now = utc_now()
    session.add(
        WorkUpload(id=upload_id, agency_id=agency.id, format=parsed.format, row_count=len(parsed.rows), created_at=now)
    )
    await session.flush()
    # Plain dicts of the few values a row needs: a mapped attribute read costs far more than a
    # dict lookup, 10,000 times over.
    enrolment_ids = {code: enrolment.id for code, enrolment in held.items()}
    rows = [(enrolment_ids[row.credit_code], row) for _, row in parsed.rows]
    await repository.insert_uploaded_work_logs(session, rows, agency_id=agency.id, upload_id=upload_id, created_at=now)
    counts = Counter(row.service_type.value for _, row in parsed.rows)
    result = WorkUploadAccepted(
        upload_id=upload_id,
        row_count=len(rows),
        enterprise_count=len({row.credit_code for _, row in parsed.rows}),
        counts_by_service_type=dict(sorted(counts.items())),
    )
    dates = [row.work_date for _, row in parsed.rows]
    add_to_outbox(
        session,
        WorkUploadedV1(
            upload_id=upload_id,
            agency_id=agency.id,
            row_count=result.row_count,
            enterprise_count=result.enterprise_count,
            counts_by_service_type=result.counts_by_service_type,
            first_work_date=min(dates),
            last_work_date=max(dates),
            uploaded_at=now,
        ),
        source=SOURCE,
        key=agency.id,
    )
    return result


def _refuse_bad_rows(
    parsed: upload.ParsedUpload,
    agency: Agency,
    held: dict[str, Enrolment],
    today: date,
    *,
    max_reported_errors: int,
) -> None:
    """Check every row against the rules; any problem (here or from parsing) refuses the upload."""
    errors = list(parsed.errors)
    scope = agency.scope  # read once (see upload_work)
    held_since = {code: enrolment.start_date for code, enrolment in held.items()}
    # The rules see only a row's type, date and enrolment start, which repeat through a file:
    # each distinct combination is judged once.
    verdicts: dict[tuple[ServiceType, date, date | None], list[tuple[str, str]]] = {}
    for line, row in parsed.rows:
        key = (row.service_type, row.work_date, held_since.get(row.credit_code))
        problems = verdicts.get(key)
        if problems is None:
            problems = verdicts[key] = check_work(
                service_type=key[0].value, work_date=key[1], scope=scope, held_since=key[2], today=today
            )
        for field, message in problems:
            errors.append(upload.RowError(line, field, message))
    if errors:
        parsed.errors = errors
        raise upload.reject(parsed, max_reported=max_reported_errors)


async def list_work_logs(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    service_type: ServiceType | None,
    from_date: date | None,
    to_date: date | None,
    upload_id: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[WorkLog], int]:
    """Work logs the caller may read (an agency: its own), newest work first, and their total."""
    return await repository.list_work_logs(
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


async def work_queue(
    session: AsyncSession, principal: Principal, *, status: str | None, limit: int, offset: int
) -> tuple[Sequence[WorkQueueItem], int]:
    """The caller's work queue (operators: every agency's), newest first, and its total."""
    return await repository.list_queue(session, principal, status=status, limit=limit, offset=offset)


async def close_queue_item(session: AsyncSession, principal: Principal, item_id: str) -> WorkQueueItem:
    """Mark a queue item done (the agency that owns it, or an operator)."""
    item = await repository.readable_queue_item(session, principal, item_id, for_update=True)
    if item is None:
        raise NotFound(f"no work-queue item {item_id}")
    if item.status != "open":
        raise Conflict(f"the item is {item.status}", allowed_moves=[])
    item.status = "done"
    await session.flush()
    return item


async def queue_case(session: AsyncSession, payload: CaseOpenedV1) -> None:
    """A case whose party is an enterprise held now lands in the holding agency's work queue
    (once per agency, case and enterprise, whatever the event's id)."""
    now = utc_now()
    for party in payload.parties:
        code = known_credit_code(party.credit_code)
        if code is None:
            continue
        held = await enrolments.active_enrolment(session, code)
        if held is None:
            continue
        if await repository.queue_item_exists(session, held.agency_id, ENFORCEMENT_CASE, payload.case_id, code):
            continue
        session.add(
            WorkQueueItem(
                agency_id=held.agency_id,
                credit_code=code,
                source_kind=ENFORCEMENT_CASE,
                reference=payload.case_id,
                summary=f"{payload.case_type} case {payload.case_id}: the enterprise is the {party.role}",
                details={
                    "case_type": payload.case_type,
                    "channel": payload.channel,
                    "role": party.role,
                    "patent_numbers": list(payload.patent_numbers),
                    "trademark_numbers": list(payload.trademark_numbers),
                },
                status="open",
                raised_at=payload.opened_at,
                created_at=now,
            )
        )
        await session.flush()
