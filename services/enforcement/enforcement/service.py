"""Enforcement use cases: load, apply the domain rules, persist, add the events to the outbox.
Never commit: the route (or the job) owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement import repository
from enforcement.domain import workflow
from enforcement.domain.calendar import WorkCalendar, china_date
from enforcement.domain.deadline import (
    Deadline,
    Pause,
    RuleBook,
    deadline,
    is_overdue,
    load_rules,
    remaining_working_days,
)
from enforcement.enums import CaseStatus, CaseType, Channel, Clock, RightKind
from enforcement.models import Case, CaseEvent, CaseParty, CaseRight, CaseStateChange
from enforcement.schemas import CaseCreate, CasePublic, ClockPublic, HandlerPublic, PartyPublic, RightPublic
from ipops.auth import Principal, Role
from ipops.contracts.enforcement import CaseOpenedV1
from ipops.contracts.enforcement import CaseParty as CasePartyPayload
from ipops.errors import RuleViolation
from ipops.events import add_to_outbox
from ipops.identifiers import patent_type

SOURCE = "/ipops/enforcement"
RULES: RuleBook = load_rules()


def now() -> datetime:
    """The current time (one place, so a test can read what the service reads)."""
    return datetime.now(UTC)


def actor_of(principal: Principal) -> str:
    """How the timeline names a caller."""
    if principal.role is Role.OPERATOR:
        return f"operator:{principal.subject}"
    return f"{principal.role.value}:{principal.tenant_id}:{principal.subject}"


async def load_calendar(session: AsyncSession) -> WorkCalendar:
    """The operator-maintained calendar."""
    return WorkCalendar.of(await repository.special_days(session))


def record(
    session: AsyncSession, case_id: str, actor: str, kind: str, summary: str, at: datetime, **details: Any
) -> None:
    """Append one entry to the case timeline."""
    session.add(CaseEvent(case_id=case_id, at=at, actor=actor, kind=kind, summary=summary[:500], details=details))


# --- intake --------------------------------------------------------------------------------------


async def open_case(
    session: AsyncSession, data: CaseCreate, principal: Principal, *, related_case_id: str | None = None
) -> Case:
    """Receive a case: parties, rights, the acceptance deadline, the timeline entry and the
    `case.opened` event naming the rights and parties."""
    at = now()
    received_at = data.received_at or at
    if received_at.tzinfo is None:
        raise RuleViolation("received_at needs a time zone", field="body.received_at")
    if received_at > at:
        raise RuleViolation("received_at is in the future", field="body.received_at")
    agency_id = principal.tenant_id if principal.role is Role.AGENCY else data.requester_agency_id
    calendar = await load_calendar(session)
    received_date = china_date(received_at)
    acceptance = deadline([RULES.acceptance], received_date, calendar)
    case = Case(
        id=uuid.uuid4().hex,
        case_type=data.case_type.value,
        channel=data.channel.value,
        status=CaseStatus.RECEIVED.value,
        title=data.title,
        description=data.description,
        complex=data.complex,
        requester_agency_id=agency_id,
        related_case_id=related_case_id,
        created_by=actor_of(principal),
        received_at=received_at,
        received_date=received_date,
        acceptance_due_date=acceptance.due_date,
    )
    session.add(case)
    await session.flush()  # the case row first: parties and rights refer to it
    parties = [
        CaseParty(
            case_id=case.id,
            role=p.role.value,
            kind=p.kind.value,
            name=p.name,
            credit_code=p.credit_code,
            country=p.country,
        )
        for p in data.parties
    ]
    patents = list(dict.fromkeys(data.patent_numbers))
    trademarks = list(dict.fromkeys(data.trademark_numbers))
    rights = [CaseRight(case_id=case.id, kind=RightKind.PATENT.value, number=n, patent_type=_ptype(n)) for n in patents]
    rights += [CaseRight(case_id=case.id, kind=RightKind.TRADEMARK.value, number=n) for n in trademarks]
    session.add_all([*parties, *rights])
    actor = case.created_by
    session.add(CaseStateChange(case_id=case.id, to_status=case.status, actor=actor, at=at))
    record(
        session,
        case.id,
        actor,
        "case_received",
        f"{data.case_type.value} case received ({data.channel.value})",
        at,
        patents=patents,
        trademarks=trademarks,
        acceptance_due_date=acceptance.due_date.isoformat(),
        related_case_id=related_case_id,
    )
    add_to_outbox(
        session,
        CaseOpenedV1(
            case_id=case.id,
            case_type=case.case_type,
            channel=case.channel,
            patent_numbers=patents,
            trademark_numbers=trademarks,
            parties=[
                CasePartyPayload(role=p.role, name=p.name, credit_code=p.credit_code, kind=p.kind) for p in parties
            ],
            opened_at=received_at,
            requester_agency_id=agency_id,
            related_case_id=related_case_id,
            acceptance_due_date=acceptance.due_date,
        ),
        source=SOURCE,
        key=case.id,
    )
    return case


def _ptype(number: str) -> str | None:
    kind = patent_type(number)
    return kind.value if kind is not None else None


# --- reading -------------------------------------------------------------------------------------


def clocks_of(case: Case, calendar: WorkCalendar, as_of: date) -> list[ClockPublic]:
    """The acceptance and handling clocks of a case as of a day."""
    status = CaseStatus(case.status)
    acceptance_running = status is CaseStatus.RECEIVED
    handling_running = status in (CaseStatus.ACCEPTED, CaseStatus.UNDER_REVIEW)
    clocks = [
        ClockPublic(
            clock=Clock.ACCEPTANCE,
            running=acceptance_running,
            due_date=case.acceptance_due_date,
            overdue=acceptance_running and is_overdue(case.acceptance_due_date, as_of),
            remaining_working_days=remaining_working_days(case.acceptance_due_date, as_of, calendar)
            if acceptance_running
            else None,
        )
    ]
    due = case.handling_due_date
    clocks.append(
        ClockPublic(
            clock=Clock.HANDLING,
            running=handling_running,
            due_date=due,
            max_date=case.handling_max_date,
            overdue=handling_running and due is not None and is_overdue(due, as_of),
            remaining_working_days=remaining_working_days(due, as_of, calendar)
            if handling_running and due is not None
            else None,
        )
    )
    return clocks


async def describe(session: AsyncSession, cases: Sequence[Case]) -> list[CasePublic]:
    """Cases with their parties, rights, handlers and the moves allowed next."""
    ids = [c.id for c in cases]
    parties = await repository.parties_of(session, ids)
    rights = await repository.rights_of(session, ids)
    handlers = await repository.handlers_of(session, ids)
    result = []
    for case in cases:
        view = CasePublic.model_validate(case)
        view.parties = [PartyPublic.model_validate(p) for p in parties.get(case.id, [])]
        view.rights = [RightPublic.model_validate(r) for r in rights.get(case.id, [])]
        view.handlers = [HandlerPublic.model_validate(h) for h in handlers.get(case.id, [])]
        view.allowed_moves = workflow.allowed_moves(CaseType(case.case_type), CaseStatus(case.status))
        result.append(view)
    return result


def handling_deadline(
    case: Case,
    rights: Sequence[CaseRight],
    calendar: WorkCalendar,
    pauses: Sequence[Pause],
    extension: int,
    as_of: date,
) -> Deadline:
    """The handling deadline of an accepted case."""
    assert case.handling_started_date is not None
    rules = RULES.handling_rules(
        CaseType(case.case_type), Channel(case.channel), [r.patent_type for r in rights if r.patent_type]
    )
    return deadline(
        rules,
        case.handling_started_date,
        calendar,
        complex_case=case.complex,
        extension=extension,
        pauses=pauses,
        as_of=as_of,
    )
