"""Use cases on what is kept on a case's file: its officers, its documents and its timeline.
Never commit: the route owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import repository
from enforcement.cases.schemas import DocumentCreate, HandlerAssign, NoteCreate
from enforcement.cases.service import for_update, readable
from enforcement.common import actor_of, record, with_recorded_at
from enforcement.enums import CaseStatus, PartyRole
from enforcement.models import CaseDocument, CaseEvent, CaseHandler
from ipops.auth import Principal, Role
from ipops.clock import utc_now
from ipops.errors import Conflict, NotFound, RuleViolation

# --- officers ------------------------------------------------------------------------------------


async def assign_handler(session: AsyncSession, case_id: str, data: HandlerAssign, principal: Principal) -> CaseHandler:
    """Assign a case officer (re-assigning a released one brings them back)."""
    case = await for_update(session, case_id)
    if case.status == CaseStatus.CLOSED.value:
        raise Conflict("a closed case takes no new handler", current_status=case.status)
    at = utc_now()
    handler = await repository.get_handler(session, case.id, data.handler_id)
    if handler is not None and handler.released_at is None:
        raise Conflict(f"{data.handler_id} already handles this case")
    if handler is None:
        handler = CaseHandler(
            case_id=case.id,
            handler_id=data.handler_id,
            name=data.name,
            lead=data.lead,
            assigned_by=actor_of(principal),
            assigned_at=at,
        )
        session.add(handler)
    else:
        handler.name, handler.lead, handler.assigned_at, handler.released_at = data.name, data.lead, at, None
        handler.assigned_by = actor_of(principal)
    record(
        session,
        case.id,
        actor_of(principal),
        "handler_assigned",
        f"{data.name} assigned",
        at,
        handler_id=data.handler_id,
        lead=data.lead,
    )
    await session.flush()
    return handler


async def release_handler(session: AsyncSession, case_id: str, handler_id: str, principal: Principal) -> CaseHandler:
    """Take a case officer off a case (the assignment stays on record)."""
    case = await for_update(session, case_id)
    handler = await repository.get_handler(session, case.id, handler_id)
    if handler is None or handler.released_at is not None:
        raise NotFound(f"{handler_id} does not handle case {case_id}")
    at = utc_now()
    handler.released_at = at
    record(
        session, case.id, actor_of(principal), "handler_released", f"{handler.name} released", at, handler_id=handler_id
    )
    return handler


# --- documents -----------------------------------------------------------------------------------


async def add_document(session: AsyncSession, case_id: str, data: DocumentCreate, principal: Principal) -> CaseDocument:
    """Reference evidence or a document by hash, size and media type; the same content twice on
    one case is a conflict. An agency reaches only the cases it brought, and what it adds is
    recorded as submitted by the requester, whatever the body says."""
    if principal.role is Role.AGENCY:
        data = data.model_copy(update={"submitted_by_role": PartyRole.REQUESTER})
    if principal.role is not Role.OPERATOR:
        await readable(session, case_id, principal)
    case = await for_update(session, case_id)
    sha = data.sha256.lower()
    if await repository.document_by_hash(session, case.id, sha) is not None:
        raise Conflict("this content (same sha256) is already on the case")
    at = utc_now()
    document = CaseDocument(
        case_id=case.id,
        kind=data.kind.value,
        title=data.title,
        sha256=sha,
        size_bytes=data.size_bytes,
        media_type=data.media_type.lower(),
        reference=data.reference,
        submitted_by_role=data.submitted_by_role.value if data.submitted_by_role else None,
        added_by=actor_of(principal),
        added_at=at,
    )
    session.add(document)
    record(
        session,
        case.id,
        actor_of(principal),
        f"{data.kind.value}_added",
        data.title,
        at,
        sha256=sha,
        size_bytes=data.size_bytes,
        media_type=document.media_type,
    )
    await session.flush()
    return document


async def documents_of_case(
    session: AsyncSession, case_id: str, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[CaseDocument], int]:
    """A page of a readable case's documents, oldest first, and the total."""
    await readable(session, case_id, principal)
    return await repository.documents_of(session, case_id, limit=limit, offset=offset)


# --- timeline ------------------------------------------------------------------------------------


async def timeline_of_case(session: AsyncSession, case_id: str, principal: Principal) -> Sequence[CaseEvent]:
    """The timeline of a readable case, in the order things happened."""
    await readable(session, case_id, principal)
    return await repository.timeline_of(session, case_id)


async def add_note(session: AsyncSession, case_id: str, data: NoteCreate, principal: Principal) -> CaseEvent:
    """Append a hearing, evidence exchange, inspection or note to the timeline."""
    case = await for_update(session, case_id)
    current = utc_now()
    at = data.occurred_at or current
    if at.tzinfo is None or at > current or at < case.received_at:
        raise RuleViolation("occurred_at needs a time zone and lies between receipt and now", field="body.occurred_at")
    entry = CaseEvent(
        case_id=case.id,
        at=at,
        actor=actor_of(principal),
        kind=data.kind.value,
        summary=data.summary,
        details=with_recorded_at(at, {}),
    )
    session.add(entry)
    await session.flush()
    return entry
