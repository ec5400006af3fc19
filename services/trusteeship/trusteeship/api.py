"""Trusteeship routes under /api/v1/trusteeship: parse, authorise, open the transaction, call a use case.

Every agency write takes an `Idempotency-Key`. An agency reads only enterprises it holds or held;
another agency's enterprise is 404.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, AgencyPrincipal, OperatorPrincipal
from ipops.errors import NotFound, RuleViolation
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.money import format_yuan
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime, ServiceRuntime
from ipops.uploads import upload_format
from trusteeship import repository, service, upload
from trusteeship.config import TrusteeshipSettings
from trusteeship.domain import docket
from trusteeship.enums import DeadlineStatus, EnrolmentStatus, ServiceType
from trusteeship.jobs import today_in
from trusteeship.models import Enterprise, FeeDeadline, FeePayment
from trusteeship.schemas import (
    AgencyCreate,
    AgencyPage,
    AgencyPublic,
    AgencyUpdate,
    CertificationStatistics,
    CoverageStatistics,
    DocketRun,
    DocketRunResult,
    EnrolmentCreate,
    EnrolmentExit,
    EnrolmentPage,
    EnrolmentPublic,
    EnrolmentTransfer,
    EnterprisePage,
    EnterpriseProfile,
    EnterprisePublic,
    EnterpriseUpdate,
    FeeDeadlinePage,
    FeeDeadlinePublic,
    FeePaymentCreate,
    FeePaymentPublic,
    FirstPatentPage,
    FirstPatentPublic,
    LoanInProfile,
    PatentCreate,
    PatentGrant,
    PatentPublic,
    ProjectInProfile,
    TrademarkCreate,
    TrademarkPublic,
    TransferResult,
    ValidPatentStatistics,
    WorkLogCreate,
    WorkLogPage,
    WorkLogPublic,
    WorkQueueItemPublic,
    WorkQueuePage,
    WorkStatistics,
    WorkUploadAccepted,
)

router = APIRouter(prefix="/api/v1/trusteeship", tags=["trusteeship"])


def _settings(runtime: ServiceRuntime) -> TrusteeshipSettings:
    settings = runtime.settings
    assert isinstance(settings, TrusteeshipSettings)
    return settings


def _today(runtime: ServiceRuntime) -> date:
    return today_in(_settings(runtime).docket_timezone)


# --- agencies ----------------------------------------------------------------------------------


@router.post("/agencies", status_code=201, response_model=AgencyPublic)
async def register_agency(
    body: AgencyCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register a service agency under its government-purchase contract (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, AgencyPublic]:
        agency = await service.register_agency(session, body)
        return 201, AgencyPublic.model_validate(agency)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/agencies/{agency_id}", response_model=AgencyPublic)
async def update_agency(
    agency_id: str, body: AgencyUpdate, principal: OperatorPrincipal, runtime: Runtime
) -> AgencyPublic:
    """Change an agency's contract: number, period, quota, scope (operators only)."""
    async with runtime.transaction() as session:
        agency = await service.update_agency(session, agency_id, body)
    return AgencyPublic.model_validate(agency)


@router.get("/agencies", response_model=AgencyPage)
async def list_agencies(
    principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> AgencyPage:
    """Agencies: all of them for operators; an agency sees itself."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_agencies(session, principal, limit=limit, offset=offset)
    return AgencyPage(items=[AgencyPublic.model_validate(r) for r in rows], total=total)


@router.get("/agencies/{agency_id}", response_model=AgencyPublic)
async def get_agency(agency_id: str, principal: AgencyOrOperator, runtime: Runtime) -> AgencyPublic:
    """One agency and its contract."""
    async with runtime.sessionmaker() as session:
        agency = await repository.readable_agency(session, principal, agency_id)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    return AgencyPublic.model_validate(agency)


# --- enrolments --------------------------------------------------------------------------------


@router.post("/enrolments", status_code=201, response_model=EnrolmentPublic)
async def enrol(
    body: EnrolmentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Take an enterprise into trusteeship: one agency at a time, within its contract period and
    quota. The enterprise is registered on its first enrolment."""

    async def work(session: AsyncSession) -> tuple[int, EnrolmentPublic]:
        row, _ = await service.enrol(session, principal, body, _today(runtime))
        return 201, EnrolmentPublic.model_validate(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/enrolments", response_model=EnrolmentPage)
async def list_enrolments(
    principal: AgencyOrOperator,
    runtime: Runtime,
    credit_code: str | None = None,
    status: EnrolmentStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnrolmentPage:
    """Enrolments, newest first: an agency's own, or all for operators."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_enrolments(
            session, principal, credit_code=credit_code, status=status, limit=limit, offset=offset
        )
    return EnrolmentPage(items=[EnrolmentPublic.model_validate(r) for r in rows], total=total)


@router.post("/enrolments/{enrolment_id}/transfer", response_model=TransferResult)
async def transfer_enrolment(
    enrolment_id: int,
    body: EnrolmentTransfer,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Move an enterprise to another agency (operators only); both enrolments stay in its history."""

    async def work(session: AsyncSession) -> tuple[int, TransferResult]:
        old, new = await service.transfer(session, enrolment_id, body, _today(runtime))
        return 200, TransferResult(
            ended=EnrolmentPublic.model_validate(old), started=EnrolmentPublic.model_validate(new)
        )

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enrolments/{enrolment_id}/exit", response_model=EnrolmentPublic)
async def exit_enrolment(
    enrolment_id: int,
    body: EnrolmentExit,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """End an enrolment (the holding agency or an operator); the enterprise still counts as covered."""

    async def work(session: AsyncSession) -> tuple[int, EnrolmentPublic]:
        row = await service.exit_enrolment(session, principal, enrolment_id, body, _today(runtime))
        return 200, EnrolmentPublic.model_validate(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


# --- enterprises -------------------------------------------------------------------------------


def _enterprise_public(enterprise: Enterprise, current_agency_id: str | None) -> EnterprisePublic:
    public = EnterprisePublic.model_validate(enterprise)
    public.current_agency_id = current_agency_id
    return public


@router.get("/enterprises", response_model=EnterprisePage)
async def list_enterprises(
    principal: AgencyOrOperator,
    runtime: Runtime,
    active_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnterprisePage:
    """Enterprises by name: an agency's are those it holds or held (`active_only`: holds now)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_enterprises(
            session, principal, active_only=active_only, limit=limit, offset=offset
        )
    return EnterprisePage(items=[_enterprise_public(e, a) for e, a in rows], total=total)


@router.get("/enterprises/{credit_code}", response_model=EnterpriseProfile)
async def enterprise_profile(credit_code: str, principal: AgencyOrOperator, runtime: Runtime) -> EnterpriseProfile:
    """An enterprise's profile: enrolment history, patents, trademarks, first patent, pledge loans
    and navigation projects."""
    today = _today(runtime)
    async with runtime.sessionmaker() as session:
        enterprise = await repository.readable_enterprise(session, principal, credit_code.upper())
        if enterprise is None:
            raise NotFound(f"no enterprise {credit_code}")
        code = enterprise.credit_code
        enrolments = await repository.enrolment_history(session, code)
        patents = await repository.patents_of(session, code)
        trademarks = await repository.trademarks_of(session, code)
        first = await repository.first_patent_of(session, code)
        loans = await repository.loans_of(session, code)
        projects = await repository.projects_of(session, code)
    current = next((e.agency_id for e in enrolments if e.status == EnrolmentStatus.ACTIVE), None)
    return EnterpriseProfile(
        enterprise=_enterprise_public(enterprise, current),
        enrolments=[EnrolmentPublic.model_validate(e) for e in enrolments],
        patents=[PatentPublic.model_validate(p) for p in patents],
        trademarks=[TrademarkPublic.model_validate(t) for t in trademarks],
        valid_patent_count=sum(docket.is_valid_on(today, p.grant_date, p.expiry_date, p.lapsed_date) for p in patents),
        first_patent=FirstPatentPublic.model_validate(first) if first else None,
        loans=[
            LoanInProfile(
                loan_id=loan.loan_id,
                bank_id=loan.bank_id,
                amount=format_yuan(loan.amount_fen),
                mixed_pledge=loan.mixed_pledge,
                patent_numbers=loan.patent_numbers,
                approved_at=loan.approved_at,
            )
            for loan in loans
        ],
        projects=[ProjectInProfile.model_validate(p) for p in projects],
    )


@router.patch("/enterprises/{credit_code}", response_model=EnterprisePublic)
async def update_enterprise(
    credit_code: str,
    body: EnterpriseUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Change an enterprise's details or record its GB/T 29490 certification (holder or operator)."""

    async def work(session: AsyncSession) -> tuple[int, EnterprisePublic]:
        enterprise = await service.update_enterprise(session, principal, credit_code.upper(), body, _today(runtime))
        holder = await repository.holder_of(session, enterprise.credit_code)
        return 200, _enterprise_public(enterprise, holder)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/patents", status_code=201, response_model=PatentPublic)
async def add_patent(
    credit_code: str,
    body: PatentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record a patent or application of the enterprise; a granted one is docketed at once."""

    async def work(session: AsyncSession) -> tuple[int, PatentPublic]:
        patent = await service.add_patent(session, principal, credit_code.upper(), body, _today(runtime))
        return 201, PatentPublic.model_validate(patent)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/patents/{number}/grant", response_model=PatentPublic)
async def grant_patent(
    credit_code: str,
    number: str,
    body: PatentGrant,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record the grant of a pending application: its docket starts, and it may be a first patent."""

    async def work(session: AsyncSession) -> tuple[int, PatentPublic]:
        patent = await service.grant_patent(
            session, principal, credit_code.upper(), number, body.grant_date, _today(runtime)
        )
        return 200, PatentPublic.model_validate(patent)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/trademarks", status_code=201, response_model=TrademarkPublic)
async def add_trademark(
    credit_code: str,
    body: TrademarkCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record a trademark of the enterprise."""

    async def work(session: AsyncSession) -> tuple[int, TrademarkPublic]:
        mark = await service.add_trademark(session, principal, credit_code.upper(), body, _today(runtime))
        return 201, TrademarkPublic.model_validate(mark)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/zero-patent-enterprises", response_model=EnterprisePage)
async def zero_patent_enterprises(
    principal: AgencyOrOperator,
    runtime: Runtime,
    as_of: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnterprisePage:
    """Enterprises held now with no valid patent (专利清零 candidates): agencies help them to a first."""
    day = as_of or _today(runtime)
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_zero_patent(session, principal, day, limit=limit, offset=offset)
        items = [_enterprise_public(e, await repository.holder_of(session, e.credit_code)) for e in rows]
    return EnterprisePage(items=items, total=total)


@router.get("/first-patents", response_model=FirstPatentPage)
async def first_patents(
    principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> FirstPatentPage:
    """Zeroing-out conversions: enrolled enterprises' first valid patents (an agency: its own)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_first_patents(session, principal, limit=limit, offset=offset)
    return FirstPatentPage(items=[FirstPatentPublic.model_validate(r) for r in rows], total=total)


# --- docket ------------------------------------------------------------------------------------


def _deadline_public(
    deadline: FeeDeadline, credit_code: str, payment: FeePayment | None, today: date
) -> FeeDeadlinePublic:
    assert deadline.id is not None
    surcharge = None
    if deadline.status == DeadlineStatus.OPEN and today <= deadline.grace_end_date:
        surcharge = format_yuan(docket.surcharge_fen(deadline.fee_fen, deadline.due_date, today))
    return FeeDeadlinePublic(
        id=deadline.id,
        patent_number=deadline.patent_number,
        credit_code=credit_code,
        patent_year=deadline.patent_year,
        due_date=deadline.due_date,
        grace_end_date=deadline.grace_end_date,
        fee=format_yuan(deadline.fee_fen),
        status=DeadlineStatus(deadline.status),
        surcharge_if_paid_today=surcharge,
        payment=_payment_public(payment) if payment else None,
    )


def _payment_public(payment: FeePayment) -> FeePaymentPublic:
    return FeePaymentPublic(
        deadline_id=payment.deadline_id,
        paid_date=payment.paid_date,
        amount=format_yuan(payment.amount_fen),
        surcharge=format_yuan(payment.surcharge_fen),
        recorded_at=payment.recorded_at,
    )


@router.get("/enterprises/{credit_code}/docket", response_model=FeeDeadlinePage)
async def enterprise_docket(credit_code: str, principal: AgencyOrOperator, runtime: Runtime) -> FeeDeadlinePage:
    """Every annual-fee deadline of the enterprise's patents, by due date, with payments."""
    today = _today(runtime)
    async with runtime.sessionmaker() as session:
        enterprise = await repository.readable_enterprise(session, principal, credit_code.upper())
        if enterprise is None:
            raise NotFound(f"no enterprise {credit_code}")
        rows = await repository.docket_of(session, enterprise.credit_code)
        payments = await repository.payments_for(session, [d.id for d, _ in rows if d.id is not None])
    items = [_deadline_public(d, c, payments.get(d.id or 0), today) for d, c in rows]
    return FeeDeadlinePage(items=items, total=len(items))


@router.get("/docket", response_model=FeeDeadlinePage)
async def docket_window(
    principal: AgencyOrOperator,
    runtime: Runtime,
    from_date: date | None = None,
    to_date: date | None = None,
    status: DeadlineStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> FeeDeadlinePage:
    """Deadlines due in a window (default: the next 90 days) for enterprises held now."""
    today = _today(runtime)
    start = from_date or today
    end = to_date or start + timedelta(days=90)
    if end < start:
        raise RuleViolation("to_date is before from_date", field="query.to_date")
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_docket(
            session, principal, from_date=start, to_date=end, status=status, limit=limit, offset=offset
        )
        payments = await repository.payments_for(session, [d.id for d, _ in rows if d.id is not None])
    return FeeDeadlinePage(items=[_deadline_public(d, c, payments.get(d.id or 0), today) for d, c in rows], total=total)


@router.post("/fee-deadlines/{deadline_id}/payments", status_code=201, response_model=FeeDeadlinePublic)
async def record_payment(
    deadline_id: int,
    body: FeePaymentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record the payment of an annual fee, up to the end of the grace period (surcharge computed)."""
    today = _today(runtime)

    async def work(session: AsyncSession) -> tuple[int, FeeDeadlinePublic]:
        deadline, payment = await service.record_payment(session, principal, deadline_id, body, today)
        patent = await repository.get_patent(session, deadline.patent_number)
        assert patent is not None
        return 201, _deadline_public(deadline, patent.credit_code, payment, today)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/docket/run", response_model=DocketRunResult)
async def run_docket(body: DocketRun, principal: OperatorPrincipal, runtime: Runtime) -> DocketRunResult:
    """Run the daily docket job for a given day (operators only): add missing deadlines, mark
    expiries and lapses, send the 90/30/7-day reminders. A rerun for the same day does nothing more."""
    async with runtime.transaction() as session:
        result = await service.run_docket(session, body.as_of)
    return result


# --- work logs ---------------------------------------------------------------------------------


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
        entry = await service.log_work(session, principal, body, _today(runtime))
        return 201, WorkLogPublic.model_validate(entry)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post(
    "/work-logs/bulk",
    status_code=201,
    response_model=WorkUploadAccepted,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
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
    settings = _settings(runtime)
    media = request.headers.get("content-type")
    upload_format(media)  # 415 before reading a body we cannot take
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > settings.bulk_max_bytes:
        raise upload.too_large(settings.bulk_max_bytes)
    body = await request.body()
    if len(body) > settings.bulk_max_bytes:
        raise upload.too_large(settings.bulk_max_bytes)
    # Parsing tens of thousands of rows takes seconds of CPU: off the event loop.
    parsed = await asyncio.to_thread(upload.parse, media, body, max_rows=settings.bulk_max_rows)
    today = _today(runtime)

    async def work(session: AsyncSession) -> tuple[int, WorkUploadAccepted]:
        result = await service.upload_work(
            session, principal, parsed, today, max_reported_errors=settings.bulk_max_reported_errors
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
        rows, total = await repository.list_work_logs(
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
    return WorkLogPage(items=[WorkLogPublic.model_validate(r) for r in rows], total=total)


@router.get("/work-queue", response_model=WorkQueuePage)
async def work_queue(
    principal: AgencyOrOperator, runtime: Runtime, status: str | None = None, limit: Limit = 50, offset: Offset = 0
) -> WorkQueuePage:
    """What an agency must act on for enterprises it holds (enforcement cases naming them)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_queue(session, principal, status=status, limit=limit, offset=offset)
    return WorkQueuePage(items=[WorkQueueItemPublic.model_validate(r) for r in rows], total=total)


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
        return 200, WorkQueueItemPublic.model_validate(item)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


# --- statistics --------------------------------------------------------------------------------


@router.get("/statistics/coverage", response_model=CoverageStatistics)
async def coverage(principal: AgencyOrOperator, runtime: Runtime) -> CoverageStatistics:
    """Distinct enterprises ever enrolled against the plan's 1000; per agency against its quota."""
    async with runtime.sessionmaker() as session:
        return await service.coverage_statistics(session, principal)


@router.get("/statistics/valid-patents", response_model=ValidPatentStatistics)
async def valid_patents(
    principal: AgencyOrOperator,
    runtime: Runtime,
    from_year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
    to_year: Annotated[int | None, Query(ge=1985, le=2100)] = None,
) -> ValidPatentStatistics:
    """Enterprises holding a valid patent at each year's end and the growth against +15 %;
    first patents (zeroing-out) and today's zero-patent enterprises."""
    async with runtime.sessionmaker() as session:
        return await service.valid_patent_statistics(session, principal, _today(runtime), from_year, to_year)


@router.get("/statistics/certifications", response_model=CertificationStatistics)
async def certifications(principal: AgencyOrOperator, runtime: Runtime) -> CertificationStatistics:
    """GB/T 29490 certified enterprises against the plan's 300."""
    async with runtime.sessionmaker() as session:
        return await service.certification_statistics(session)


@router.get("/statistics/work", response_model=WorkStatistics)
async def work_statistics(
    principal: AgencyOrOperator, runtime: Runtime, from_date: date | None = None, to_date: date | None = None
) -> WorkStatistics:
    """Work per type per month (default: the last twelve months); an agency sees its own."""
    end = to_date or _today(runtime)
    start = from_date or end - timedelta(days=365)
    if end < start:
        raise RuleViolation("to_date is before from_date", field="query.to_date")
    async with runtime.sessionmaker() as session:
        return await service.work_statistics(session, principal, start, end)
