"""Enforcement routes under /api/v1/enforcement: parse, authorise, open the transaction, call a
use case, return a schema. Operators handle cases; an agency files and reads the cases it brought;
the public reads aggregates only."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement import repository, service
from enforcement.enums import CaseStatus, CaseType, PartyRole
from enforcement.models import Case
from enforcement.schemas import (
    AdjudicationFromMediation,
    CalendarDayPublic,
    CalendarDayPut,
    CalendarPage,
    CaseCreate,
    CaseDetail,
    CasePage,
    CasePublic,
    CaseTransition,
    CaseUpdate,
    ClosedCasePublic,
    DeadlineItem,
    DeadlineList,
    DocumentCreate,
    DocumentPage,
    DocumentPublic,
    ExtensionCreate,
    ExtensionPublic,
    HandlerAssign,
    HandlerPublic,
    NoteCreate,
    OverdueScan,
    OverdueScanResult,
    PauseCreate,
    PauseEnd,
    PausePublic,
    PublicStatistics,
    PublicYear,
    RatingCreate,
    RatingPublic,
    Timeline,
    TimelineEntry,
    YearStatistics,
)
from ipops.auth import AgencyOrOperator, OperatorPrincipal, Principal, Role
from ipops.errors import NotFound
from ipops.fields import CreditCode
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime

router = APIRouter(prefix="/api/v1/enforcement", tags=["enforcement"])


@router.post("/cases", status_code=201, response_model=CasePublic)
async def open_case(
    body: CaseCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Receive a case (intake). Operators file any case; an agency files one for its enterprise and
    is recorded as the case's requester agency. Publishes `case.opened` naming the rights and
    parties. Requires an Idempotency-Key."""

    async def work(session: AsyncSession) -> tuple[int, CasePublic]:
        case = await service.open_case(session, body, principal)
        return 201, (await service.describe(session, [case]))[0]

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/cases", response_model=CasePage)
async def list_cases(
    principal: AgencyOrOperator,
    runtime: Runtime,
    status: CaseStatus | None = None,
    case_type: CaseType | None = None,
    credit_code: Annotated[CreditCode | None, Query(description="cases naming this enterprise")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="received in this year")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CasePage:
    """Cases, newest first (an agency sees only the cases it brought)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_cases(
            session,
            principal,
            status=status,
            case_type=case_type,
            credit_code=credit_code,
            year=year,
            limit=limit,
            offset=offset,
        )
        items = await service.describe(session, rows)
    return CasePage(items=items, total=total)


@router.get("/cases/{case_id}", response_model=CaseDetail)
async def get_case(case_id: str, principal: AgencyOrOperator, runtime: Runtime) -> CaseDetail:
    """One case with its parties, rights, handlers, allowed moves and its clocks as of today."""
    async with runtime.sessionmaker() as session:
        case = await _readable(session, case_id, principal)
        view = (await service.describe(session, [case]))[0]
        clocks = await service.clocks(session, case, service.today())
    return CaseDetail(**view.model_dump(), clocks=clocks)


async def _readable(session: AsyncSession, case_id: str, principal: Principal) -> Case:
    case = await repository.get_case(session, case_id, principal)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


@router.patch("/cases/{case_id}", response_model=CasePublic)
async def update_case(case_id: str, body: CaseUpdate, principal: OperatorPrincipal, runtime: Runtime) -> CasePublic:
    """Correct the title or description, or mark the case complex (with the reason)."""
    async with runtime.transaction() as session:
        case = await service.update_case(session, case_id, body, principal)
        return (await service.describe(session, [case]))[0]


@router.post("/cases/{case_id}/transitions", response_model=CasePublic | ClosedCasePublic)
async def move_case(case_id: str, body: CaseTransition, principal: OperatorPrincipal, runtime: Runtime) -> CasePublic:
    """Move a case on (accept, reject, start_review, decide, mediate, fail_mediation, withdraw,
    close). An illegal move is 409 with the allowed moves. Closing returns, once, the single-use
    token by which the served party rates the service."""
    async with runtime.transaction() as session:
        case, token = await service.transition_case(session, case_id, body, principal)
        view = (await service.describe(session, [case]))[0]
    if token is not None:
        return ClosedCasePublic(**view.model_dump(), rating_token=token)
    return view


@router.post("/cases/{case_id}/adjudication-case", status_code=201, response_model=CasePublic)
async def open_adjudication_case(
    case_id: str, body: AdjudicationFromMediation, principal: OperatorPrincipal, runtime: Runtime
) -> CasePublic:
    """Open the adjudication case that follows a failed mediation (same parties and rights,
    linked by `related_case_id`). Publishes `case.opened`."""
    async with runtime.transaction() as session:
        case = await service.open_adjudication_after_mediation(session, case_id, body, principal)
        return (await service.describe(session, [case]))[0]


@router.post("/cases/{case_id}/handlers", status_code=201, response_model=HandlerPublic)
async def assign_handler(
    case_id: str, body: HandlerAssign, principal: OperatorPrincipal, runtime: Runtime
) -> HandlerPublic:
    """Assign a case officer."""
    async with runtime.transaction() as session:
        handler = await service.assign_handler(session, case_id, body, principal)
        return HandlerPublic.model_validate(handler)


@router.delete("/cases/{case_id}/handlers/{handler_id}", response_model=HandlerPublic)
async def release_handler(
    case_id: str, handler_id: str, principal: OperatorPrincipal, runtime: Runtime
) -> HandlerPublic:
    """Take a case officer off a case (the assignment stays on record with its release time)."""
    async with runtime.transaction() as session:
        handler = await service.release_handler(session, case_id, handler_id, principal)
        return HandlerPublic.model_validate(handler)


@router.post("/cases/{case_id}/documents", status_code=201, response_model=DocumentPublic)
async def add_document(
    case_id: str,
    body: DocumentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Reference evidence or a document by its SHA-256, size and media type. An agency may add
    them to the cases it brought (with an Idempotency-Key, like all its writes); for an agency the
    document is recorded as submitted by the requester."""
    if principal.role is Role.AGENCY:
        body = body.model_copy(update={"submitted_by_role": PartyRole.REQUESTER})

        async def work(session: AsyncSession) -> tuple[int, DocumentPublic]:
            document = await service.add_document(session, case_id, body, principal)
            return 201, DocumentPublic.model_validate(document)

        return await idempotent_write(runtime, request, principal, idempotency_key, work)
    async with runtime.transaction() as session:
        document = await service.add_document(session, case_id, body, principal)
        result = DocumentPublic.model_validate(document)
    return Response(result.model_dump_json(), status_code=201, media_type="application/json")


@router.get("/cases/{case_id}/documents", response_model=DocumentPage)
async def list_documents(
    case_id: str, principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 100, offset: Offset = 0
) -> DocumentPage:
    """Evidence and documents of a case, oldest first."""
    async with runtime.sessionmaker() as session:
        await _readable(session, case_id, principal)
        rows, total = await repository.documents_of(session, case_id, limit=limit, offset=offset)
    return DocumentPage(items=[DocumentPublic.model_validate(r) for r in rows], total=total)


@router.get("/cases/{case_id}/timeline", response_model=Timeline)
async def timeline(case_id: str, principal: AgencyOrOperator, runtime: Runtime) -> Timeline:
    """Who did what and when, oldest first (append-only)."""
    async with runtime.sessionmaker() as session:
        await _readable(session, case_id, principal)
        rows = await repository.timeline_of(session, case_id)
    return Timeline(items=[TimelineEntry.model_validate(r) for r in rows])


@router.post("/cases/{case_id}/timeline", status_code=201, response_model=TimelineEntry)
async def add_note(case_id: str, body: NoteCreate, principal: OperatorPrincipal, runtime: Runtime) -> TimelineEntry:
    """Record a hearing, an evidence exchange, an inspection, a contact or a note (append-only)."""
    async with runtime.transaction() as session:
        entry = await service.add_note(session, case_id, body, principal)
        return TimelineEntry.model_validate(entry)


@router.post("/cases/{case_id}/pauses", status_code=201, response_model=PausePublic)
async def pause_clock(case_id: str, body: PauseCreate, principal: OperatorPrincipal, runtime: Runtime) -> PausePublic:
    """Stop the running clock (acceptance or handling) from a day, with the reason."""
    async with runtime.transaction() as session:
        pause = await service.pause_clock(session, case_id, body, principal)
        return PausePublic.model_validate(pause)


@router.post("/cases/{case_id}/pauses/{pause_id}/end", response_model=PausePublic)
async def resume_clock(
    case_id: str, pause_id: int, body: PauseEnd, principal: OperatorPrincipal, runtime: Runtime
) -> PausePublic:
    """Restart a stopped clock; the deadline moves by the time stopped."""
    async with runtime.transaction() as session:
        pause = await service.resume_clock(session, case_id, pause_id, body, principal)
        return PausePublic.model_validate(pause)


@router.post("/cases/{case_id}/extensions", status_code=201, response_model=ExtensionPublic)
async def grant_extension(
    case_id: str, body: ExtensionCreate, principal: OperatorPrincipal, runtime: Runtime
) -> ExtensionPublic:
    """Extend the handling deadline (in the unit of the case's rule) within its maximum."""
    async with runtime.transaction() as session:
        extension = await service.grant_extension(session, case_id, body, principal)
        return ExtensionPublic.model_validate(extension)


# --- deadlines -----------------------------------------------------------------------------------


def _item(state: service.DeadlineState) -> DeadlineItem:
    return DeadlineItem(
        case_id=state.case.id,
        case_type=CaseType(state.case.case_type),
        channel=state.case.channel,
        status=CaseStatus(state.case.status),
        clock=state.clock,
        due_date=state.due_date,
        days_overdue=state.days_overdue,
        remaining_working_days=state.remaining_working_days,
    )


AsOf = Annotated[
    date | None,
    Query(ge=date(2000, 1, 1), le=date(2100, 12, 31), description="the day to judge by (China date; default today)"),
]


@router.get("/deadlines/overdue", response_model=DeadlineList)
async def overdue_cases(principal: OperatorPrincipal, runtime: Runtime, as_of: AsOf = None) -> DeadlineList:
    """Open cases past the due date of their running clock, most overdue first."""
    day = as_of or service.today()
    async with runtime.sessionmaker() as session:
        states = [s for s in await service.deadline_states(session, day) if s.overdue]
    states.sort(key=lambda s: (s.due_date, s.case.id))
    return DeadlineList(as_of=day, items=[_item(s) for s in states])


@router.get("/deadlines/at-risk", response_model=DeadlineList)
async def at_risk_cases(
    principal: OperatorPrincipal,
    runtime: Runtime,
    as_of: AsOf = None,
    within_working_days: Annotated[int | None, Query(ge=0, le=60)] = None,
) -> DeadlineList:
    """Open cases not yet overdue whose running clock falls due within a few working days
    (ENFORCEMENT_AT_RISK_WORKING_DAYS by default), soonest first."""
    day = as_of or service.today()
    limit = within_working_days if within_working_days is not None else runtime.settings.at_risk_working_days
    async with runtime.sessionmaker() as session:
        states = [
            s
            for s in await service.deadline_states(session, day)
            if not s.overdue and not s.paused and s.remaining_working_days <= limit
        ]
    states.sort(key=lambda s: (s.due_date, s.case.id))
    return DeadlineList(as_of=day, items=[_item(s) for s in states])


@router.post("/overdue-scans", response_model=OverdueScanResult)
async def run_overdue_scan(body: OverdueScan, principal: OperatorPrincipal, runtime: Runtime) -> OverdueScanResult:
    """Run the overdue scan for a day (the daily job does this on its own): flags each case and
    clock once and publishes `case.overdue`."""
    async with runtime.transaction() as session:
        flagged = await service.scan_overdue(session, body.as_of)
        items = [_item(s) for s in flagged]
    return OverdueScanResult(as_of=body.as_of, flagged=items)


CalendarDate = Annotated[date, Path(ge=date(2000, 1, 1), le=date(2100, 12, 31))]

# --- calendar ------------------------------------------------------------------------------------


@router.get("/calendar", response_model=CalendarPage)
async def calendar(runtime: Runtime, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> CalendarPage:
    """Public holidays and make-up working days (public: the calendar is official information)."""
    async with runtime.sessionmaker() as session:
        rows = await repository.calendar_days(session, year)
    return CalendarPage(items=[CalendarDayPublic.model_validate(r) for r in rows])


@router.put("/calendar/{day}", response_model=CalendarDayPublic)
async def put_calendar_day(
    day: CalendarDate, body: CalendarDayPut, principal: OperatorPrincipal, runtime: Runtime
) -> CalendarDayPublic:
    """Declare a day a public holiday or a make-up working day; open cases' deadlines follow."""
    async with runtime.transaction() as session:
        row = await service.put_calendar_day(session, day, body, principal)
        return CalendarDayPublic.model_validate(row)


@router.delete("/calendar/{day}", status_code=204)
async def delete_calendar_day(day: CalendarDate, principal: OperatorPrincipal, runtime: Runtime) -> Response:
    """Make a day ordinary again; open cases' deadlines follow."""
    async with runtime.transaction() as session:
        await service.delete_calendar_day(session, day)
    return Response(status_code=204)


# --- satisfaction and statistics -----------------------------------------------------------------


@router.post("/ratings", status_code=201, response_model=RatingPublic)
async def rate(body: RatingCreate, runtime: Runtime) -> RatingPublic:
    """Rate the service of a closed case, 0 to 100, with the token issued at closure. No login:
    the token is the credential, and it works once."""
    async with runtime.transaction() as session:
        rating = await service.rate_case(session, body)
        return RatingPublic.model_validate(rating)


@router.get("/statistics/{year}", response_model=YearStatistics)
async def statistics(
    year: Annotated[int, Path(ge=2000, le=2100)], principal: OperatorPrincipal, runtime: Runtime
) -> YearStatistics:
    """The plan's figures of a year: cases and growth against +20 %, enterprises served against
    100, handling time per type, closed within deadline, overdue rate, satisfaction against 80."""
    async with runtime.sessionmaker() as session:
        result = await service.year_figures(session, year)
    return YearStatistics.model_validate(result)


@router.get("/public/statistics", response_model=PublicStatistics)
async def public_statistics(runtime: Runtime) -> PublicStatistics:
    """Aggregates per year for the public front end; no case, party or enterprise is named."""
    years = []
    async with runtime.sessionmaker() as session:
        for year in await service.years_with_cases(session):
            f = await service.year_figures(session, year)
            years.append(
                PublicYear(
                    year=f.year,
                    cases=f.cases,
                    administrative_cases=f.administrative_cases,
                    administrative_growth=f.administrative_growth,
                    growth_target=f.growth_target,
                    enterprises_served=f.enterprises_served,
                    enterprises_target=f.enterprises_target,
                    share_closed_within_deadline=f.share_closed_within_deadline,
                    satisfaction_average=f.satisfaction_average,
                    satisfaction_target=f.satisfaction_target,
                    ratings=f.ratings,
                )
            )
    return PublicStatistics(years=years)
