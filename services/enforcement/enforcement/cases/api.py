"""Routes of cases: parse, authorise, open the transaction, call one use case, present. Operators
handle cases; an agency files and reads the cases it brought. Every write of every caller takes an
`Idempotency-Key` (`idempotent_write`: replayed, never applied twice)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import clocks, moves, records, service
from enforcement.cases.schemas import (
    AdjudicationFromMediation,
    CaseCreate,
    CaseDetail,
    CasePage,
    CasePublic,
    CaseTransition,
    CaseUpdate,
    ClosedCasePublic,
    DocumentCreate,
    DocumentPage,
    DocumentPublic,
    ExtensionCreate,
    ExtensionPublic,
    HandlerAssign,
    HandlerPublic,
    NoteCreate,
    PauseCreate,
    PauseEnd,
    PausePublic,
    Timeline,
    TimelineEntry,
    case_detail,
    case_page,
    case_public,
    document_page,
    document_public,
    extension_public,
    handler_public,
    moved_case_public,
    pause_public,
    timeline_entry_public,
    timeline_public,
)
from enforcement.enums import CaseStatus, CaseType
from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.fields import CreditCode
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime

router = APIRouter()


@router.post("/cases", status_code=201, response_model=CasePublic)
async def open_case(
    body: CaseCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Receive a case (intake). Operators file any case; an agency files one for its enterprise and
    is recorded as the case's requester agency. Publishes `case.opened` naming the rights and
    parties. Requires an Idempotency-Key."""

    async def work(session: AsyncSession) -> tuple[int, CasePublic]:
        return 201, case_public(await service.open_case(session, body, principal))

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
        rows, total = await service.list_cases(
            session,
            principal,
            status=status,
            case_type=case_type,
            credit_code=credit_code,
            year=year,
            limit=limit,
            offset=offset,
        )
        return case_page(rows, total)


@router.get("/cases/{case_id}", response_model=CaseDetail)
async def get_case(case_id: str, principal: AgencyOrOperator, runtime: Runtime) -> CaseDetail:
    """One case with its parties, rights, handlers, allowed moves and its clocks as of today."""
    async with runtime.sessionmaker() as session:
        rows, case_clocks = await service.read_case(session, case_id, principal)
        return case_detail(rows, case_clocks)


@router.patch("/cases/{case_id}", response_model=CasePublic)
async def update_case(
    case_id: str,
    body: CaseUpdate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Correct the title, the description or a mistaken case type (while the case's status exists
    in the corrected type's workflow, else 409), or mark the case complex; with the reason. A type
    correction moves the running deadline and counts the case again for the plan's figures."""

    async def work(session: AsyncSession) -> tuple[int, CasePublic]:
        return 200, case_public(await service.update_case(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/transitions", response_model=CasePublic | ClosedCasePublic)
async def move_case(
    case_id: str,
    body: CaseTransition,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Move a case on (accept, reject, start_review, decide, mediate, fail_mediation, withdraw,
    cancel, close). An illegal move is 409 with the allowed moves. `cancel` (opened in error,
    merged, a duplicate; `reason` required) and `withdraw` take the case out of the plan's figures.
    Closing returns, once, the single-use token by which the served party rates the service (a
    replay under the same key returns the same token, to the same caller only)."""

    async def work(session: AsyncSession) -> tuple[int, CasePublic]:
        rows, token = await moves.transition_case(session, case_id, body, principal)
        return 200, moved_case_public(rows, token)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/adjudication-case", status_code=201, response_model=CasePublic)
async def open_adjudication_case(
    case_id: str,
    body: AdjudicationFromMediation,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Open the adjudication case that follows a failed mediation (same parties and rights,
    linked by `related_case_id`). Publishes `case.opened`."""

    async def work(session: AsyncSession) -> tuple[int, CasePublic]:
        return 201, case_public(await service.open_adjudication_after_mediation(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/handlers", status_code=201, response_model=HandlerPublic)
async def assign_handler(
    case_id: str,
    body: HandlerAssign,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Assign a case officer."""

    async def work(session: AsyncSession) -> tuple[int, HandlerPublic]:
        return 201, handler_public(await records.assign_handler(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.delete("/cases/{case_id}/handlers/{handler_id}", response_model=HandlerPublic)
async def release_handler(
    case_id: str,
    handler_id: str,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Take a case officer off a case (the assignment stays on record with its release time)."""

    async def work(session: AsyncSession) -> tuple[int, HandlerPublic]:
        return 200, handler_public(await records.release_handler(session, case_id, handler_id, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/documents", status_code=201, response_model=DocumentPublic)
async def add_document(
    case_id: str,
    body: DocumentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Reference evidence or a document by its SHA-256, size and media type. An agency may add
    them to the cases it brought; for an agency the document is recorded as submitted by the
    requester."""

    async def work(session: AsyncSession) -> tuple[int, DocumentPublic]:
        return 201, document_public(await records.add_document(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/cases/{case_id}/documents", response_model=DocumentPage)
async def list_documents(
    case_id: str, principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 100, offset: Offset = 0
) -> DocumentPage:
    """Evidence and documents of a case, oldest first."""
    async with runtime.sessionmaker() as session:
        rows, total = await records.documents_of_case(session, case_id, principal, limit=limit, offset=offset)
        return document_page(rows, total)


@router.get("/cases/{case_id}/timeline", response_model=Timeline)
async def timeline(case_id: str, principal: AgencyOrOperator, runtime: Runtime) -> Timeline:
    """Who did what and when, oldest first (append-only)."""
    async with runtime.sessionmaker() as session:
        return timeline_public(await records.timeline_of_case(session, case_id, principal))


@router.post("/cases/{case_id}/timeline", status_code=201, response_model=TimelineEntry)
async def add_note(
    case_id: str,
    body: NoteCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a hearing, an evidence exchange, an inspection, a contact or a note (append-only)."""

    async def work(session: AsyncSession) -> tuple[int, TimelineEntry]:
        return 201, timeline_entry_public(await records.add_note(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/pauses", status_code=201, response_model=PausePublic)
async def pause_clock(
    case_id: str,
    body: PauseCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Stop the running clock (acceptance or handling) from a day, with the reason. The pause's
    id is random (not a sequence)."""

    async def work(session: AsyncSession) -> tuple[int, PausePublic]:
        return 201, pause_public(await clocks.pause_clock(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/pauses/{pause_id}/end", response_model=PausePublic)
async def resume_clock(
    case_id: str,
    pause_id: Annotated[str, PathParam(min_length=1, max_length=32)],
    body: PauseEnd,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Restart a stopped clock; the deadline moves by the time stopped."""

    async def work(session: AsyncSession) -> tuple[int, PausePublic]:
        return 200, pause_public(await clocks.resume_clock(session, case_id, pause_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/cases/{case_id}/extensions", status_code=201, response_model=ExtensionPublic)
async def grant_extension(
    case_id: str,
    body: ExtensionCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Extend the handling deadline (in the unit of the case's rule) within its maximum."""

    async def work(session: AsyncSession) -> tuple[int, ExtensionPublic]:
        return 201, extension_public(await clocks.grant_extension(session, case_id, body, principal))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
