"""Queries of cases and what hangs off them: parties, rights, handlers, documents, timeline,
pauses and extensions.

Tenancy is in the query: an agency reads only the cases it brought (`requester_agency_id`), so
another agency's case is simply not found (404), never "forbidden".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, false, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from enforcement.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseExtension,
    CaseHandler,
    CaseParty,
    CasePause,
    CaseRight,
)
from ipops.auth import Principal, Role
from ipops.db import dialect_name


def readable_cases(principal: Principal) -> Select[Any]:
    """Cases the caller may read: all for operators, an agency's own for an agency."""
    statement = select(Case)
    if principal.role is Role.OPERATOR:
        return statement
    if principal.role is Role.AGENCY:
        return statement.where(col(Case.requester_agency_id) == principal.tenant_id)
    return statement.where(false())  # banks read no case data


async def get_case(
    session: AsyncSession, case_id: str, principal: Principal | None = None, *, for_update: bool = False
) -> Case | None:
    """A case by id, if the caller may read it (None: the system itself)."""
    statement = readable_cases(principal) if principal is not None else select(Case)
    statement = statement.where(col(Case.id) == case_id)
    if for_update:
        # populate_existing: a row already in the session is re-read under the lock, so a second
        # writer (another scan, another move) sees the first one's committed change.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def list_cases(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str | None = None,
    case_type: str | None = None,
    credit_code: str | None = None,
    year: int | None = None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Case], int]:
    """A page of readable cases, newest first, and the total."""
    statement = readable_cases(principal)
    if status is not None:
        statement = statement.where(col(Case.status) == status)
    if case_type is not None:
        statement = statement.where(col(Case.case_type) == case_type)
    if credit_code is not None:
        statement = statement.where(
            col(Case.id).in_(select(col(CaseParty.case_id)).where(col(CaseParty.credit_code) == credit_code))
        )
    if year is not None:
        statement = statement.where(
            col(Case.received_date) >= date(year, 1, 1), col(Case.received_date) < date(year + 1, 1, 1)
        )
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(col(Case.received_at).desc(), col(Case.id)).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def _by_case(session: AsyncSession, model: Any, case_ids: Sequence[str], order: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    if not case_ids:
        return grouped
    rows = await session.scalars(select(model).where(model.case_id.in_(case_ids)).order_by(order))
    for row in rows:
        grouped[row.case_id].append(row)
    return grouped


async def parties_of(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, list[CaseParty]]:
    """Parties per case."""
    return await _by_case(session, CaseParty, case_ids, col(CaseParty.id))


async def rights_of(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, list[CaseRight]]:
    """Rights per case."""
    return await _by_case(session, CaseRight, case_ids, col(CaseRight.id))


async def handlers_of(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, list[CaseHandler]]:
    """Handlers per case (released ones included, for the record)."""
    return await _by_case(session, CaseHandler, case_ids, col(CaseHandler.id))


async def pauses_of(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, list[CasePause]]:
    """Pauses per case, in the order they were recorded (their ids are random)."""
    return await _by_case(session, CasePause, case_ids, col(CasePause.recorded_at))


async def extensions_of(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, list[CaseExtension]]:
    """Extensions per case."""
    return await _by_case(session, CaseExtension, case_ids, col(CaseExtension.id))


async def get_handler(session: AsyncSession, case_id: str, handler_id: str) -> CaseHandler | None:
    """A handler's assignment to a case."""
    rows = await session.scalars(
        select(CaseHandler).where(col(CaseHandler.case_id) == case_id, col(CaseHandler.handler_id) == handler_id)
    )
    return rows.first()


async def get_pause(session: AsyncSession, case_id: str, pause_id: str) -> CasePause | None:
    """A pause of a case."""
    rows = await session.scalars(
        select(CasePause).where(col(CasePause.case_id) == case_id, col(CasePause.id) == pause_id)
    )
    return rows.first()


async def documents_of(
    session: AsyncSession, case_id: str, *, limit: int, offset: int
) -> tuple[Sequence[CaseDocument], int]:
    """Documents of a case, oldest first."""
    where = col(CaseDocument.case_id) == case_id
    total = await session.scalar(select(func.count()).select_from(CaseDocument).where(where))
    rows = await session.scalars(
        select(CaseDocument).where(where).order_by(col(CaseDocument.id)).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def document_by_hash(session: AsyncSession, case_id: str, sha256: str) -> CaseDocument | None:
    """A document of a case by its hash."""
    rows = await session.scalars(
        select(CaseDocument).where(col(CaseDocument.case_id) == case_id, col(CaseDocument.sha256) == sha256)
    )
    return rows.first()


async def timeline_of(session: AsyncSession, case_id: str) -> Sequence[CaseEvent]:
    """The timeline of a case in the order things happened (a hearing recorded afterwards takes
    its place by its time; entries of one instant keep the order they were written in)."""
    rows = await session.scalars(
        select(CaseEvent).where(col(CaseEvent.case_id) == case_id).order_by(col(CaseEvent.at), col(CaseEvent.id))
    )
    return rows.all()


async def requester_codes(session: AsyncSession, case_ids: Sequence[str]) -> dict[str, list[str]]:
    """Requesters' credit codes per case."""
    grouped: dict[str, list[str]] = defaultdict(list)
    if not case_ids:
        return grouped
    rows = await session.execute(
        select(col(CaseParty.case_id), col(CaseParty.credit_code)).where(
            col(CaseParty.case_id).in_(case_ids),
            col(CaseParty.role) == "requester",
            col(CaseParty.credit_code).is_not(None),
        )
    )
    for case_id, code in rows:
        if code is not None:  # excluded by the query; the guard tells the type checker
            grouped[case_id].append(code)
    return grouped


async def cases_requested_by(
    session: AsyncSession, credit_code: str, year: int
) -> Sequence[tuple[str, str, date, bool, bool]]:
    """Cases received in `year` (Beijing date) naming the enterprise as a requester, as the values
    the counting rules see: id, type, received date, withdrawn, cancelled (plain rows, no objects)."""
    requested = select(col(CaseParty.case_id)).where(
        col(CaseParty.role) == "requester", col(CaseParty.credit_code) == credit_code
    )
    rows = await session.execute(
        select(
            col(Case.id),
            col(Case.case_type),
            col(Case.received_date),
            col(Case.withdrawn_at).is_not(None),
            col(Case.cancelled_at).is_not(None),
        ).where(
            col(Case.id).in_(requested),
            col(Case.received_date) >= date(year, 1, 1),
            col(Case.received_date) <= date(year, 12, 31),
        )
    )
    return [tuple(row) for row in rows.all()]  # type: ignore[misc]


def requester_codes_of(parties: Sequence[CaseParty]) -> list[str]:
    """Requesters' credit codes among parties already loaded (what `requester_codes` reads)."""
    return [p.credit_code for p in parties if p.role == "requester" and p.credit_code is not None]


async def all_cases(session: AsyncSession) -> Sequence[Case]:
    """Every case (the indicator recount)."""
    return (await session.scalars(select(Case).order_by(col(Case.received_at)))).all()


async def all_requester_codes(session: AsyncSession) -> dict[str, list[str]]:
    """Requesters' credit codes of every case, per case (the indicator recount)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    rows = await session.execute(
        select(col(CaseParty.case_id), col(CaseParty.credit_code)).where(
            col(CaseParty.role) == "requester", col(CaseParty.credit_code).is_not(None)
        )
    )
    for case_id, code in rows:
        if code is not None:
            grouped[case_id].append(code)
    return grouped


async def lock_subjects(session: AsyncSession, subjects: Sequence[str]) -> None:
    """Serialise the transactions that recount one enterprise's year: each reads the enterprise's
    other cases, and two of them at once (two withdrawals) could each see the other's case still
    counting. Locks are taken in sorted order (no deadlock) until the transaction ends; PostgreSQL
    only, since SQLite has a single writer anyway."""
    if dialect_name(session) != "postgresql":
        return
    for subject in sorted(set(subjects)):
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"enforcement.indicator:{subject}"}
        )


async def follow_up_of(session: AsyncSession, case_id: str) -> Case | None:
    """The case opened to follow `case_id` (the adjudication after a failed mediation)."""
    return (await session.scalars(select(Case).where(col(Case.related_case_id) == case_id))).first()


@dataclass(frozen=True)
class CaseRows:
    """A case with the rows shown beside it: parties, rights and handlers."""

    case: Case
    parties: Sequence[CaseParty]
    rights: Sequence[CaseRight]
    handlers: Sequence[CaseHandler]


async def case_rows(session: AsyncSession, cases: Sequence[Case]) -> list[CaseRows]:
    """Cases with their parties, rights and handlers (three queries, whatever the number of cases)."""
    ids = [c.id for c in cases]
    parties = await parties_of(session, ids)
    rights = await rights_of(session, ids)
    handlers = await handlers_of(session, ids)
    return [CaseRows(c, parties.get(c.id, []), rights.get(c.id, []), handlers.get(c.id, [])) for c in cases]
