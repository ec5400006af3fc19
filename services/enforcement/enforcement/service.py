"""Enforcement use cases: load, apply the domain rules, persist, add the events to the outbox.
Never commit: the route (or the job) owns the transaction."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement import repository
from enforcement.domain import workflow
from enforcement.domain.calendar import CHINA_TZ, WorkCalendar, china_date
from enforcement.domain.deadline import (
    Deadline,
    Pause,
    RuleBook,
    check_extension,
    deadline,
    is_overdue,
    load_rules,
    remaining_working_days,
)
from enforcement.domain.statistics import CaseFacts, RatingFacts, YearFigures, figures
from enforcement.enums import CaseStatus, CaseType, Channel, Clock, Move, PartyKind, PartyRole, RightKind
from enforcement.models import (
    CalendarDay,
    Case,
    CaseDocument,
    CaseEvent,
    CaseExtension,
    CaseHandler,
    CaseParty,
    CasePause,
    CaseRating,
    CaseRight,
    CaseStateChange,
    RatingToken,
)
from enforcement.schemas import (
    AdjudicationFromMediation,
    CalendarDayPut,
    CaseCreate,
    CasePublic,
    CaseTransition,
    CaseUpdate,
    ClockPublic,
    DocumentCreate,
    ExtensionCreate,
    HandlerAssign,
    HandlerPublic,
    NoteCreate,
    PartyIn,
    PartyPublic,
    PauseCreate,
    PauseEnd,
    RatingCreate,
    RightPublic,
)
from ipops.auth import Principal, Role
from ipops.contracts.enforcement import (
    CaseAcceptedV1,
    CaseClosedV1,
    CaseDecidedV1,
    CaseMediatedV1,
    CaseOpenedV1,
    CaseOverdueV1,
    CaseRatedV1,
)
from ipops.contracts.enforcement import CaseParty as CasePartyPayload
from ipops.errors import Conflict, NotFound, RuleViolation
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
    """Append one entry to the case timeline, at the time it happened; an entry recorded later than
    that (a move made on paper) also keeps when it was recorded."""
    session.add(
        CaseEvent(
            case_id=case_id,
            at=at,
            actor=actor,
            kind=kind,
            summary=summary[:500],
            details=_with_recorded_at(at, details),
        )
    )


def _with_recorded_at(at: datetime, details: dict[str, Any]) -> dict[str, Any]:
    recorded = now()
    if abs((recorded - at).total_seconds()) > 60:
        return {**details, "recorded_at": recorded.isoformat()}
    return details


# --- intake --------------------------------------------------------------------------------------


async def open_case(
    session: AsyncSession,
    data: CaseCreate,
    principal: Principal,
    *,
    related_case_id: str | None = None,
    agency_id: str | None = None,
) -> Case:
    """Receive a case: parties, rights, the acceptance deadline, the timeline entry and the
    `case.opened` event naming the rights and parties."""
    at = now()
    received_at = data.received_at or at
    if received_at.tzinfo is None:
        raise RuleViolation("received_at needs a time zone", field="body.received_at")
    if received_at > at:
        raise RuleViolation("received_at is in the future", field="body.received_at")
    if received_at.year < 2000:
        raise RuleViolation("received_at is before 2000", field="body.received_at")
    if principal.role is Role.AGENCY:
        agency_id = principal.tenant_id  # an agency files for its own enterprises, never for another
    elif agency_id is None:
        agency_id = data.requester_agency_id
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
    session.add(CaseStateChange(case_id=case.id, to_status=case.status, actor=actor, at=received_at))
    record(
        session,
        case.id,
        actor,
        "case_received",
        f"{data.case_type.value} case received ({data.channel.value})",
        received_at,
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


# --- deadlines -----------------------------------------------------------------------------------


def _pauses(rows: Sequence[CasePause], clock: Clock) -> list[Pause]:
    return [Pause(p.started_on, p.ended_on) for p in rows if p.clock == clock.value]


async def refresh_deadlines(session: AsyncSession, case: Case, calendar: WorkCalendar, as_of: date) -> None:
    """Recompute the running clock(s) of a case after a pause, an extension or a calendar edit."""
    status = CaseStatus(case.status)
    pauses = (await repository.pauses_of(session, [case.id])).get(case.id, [])
    if status is CaseStatus.RECEIVED:
        result = deadline(
            [RULES.acceptance], case.received_date, calendar, pauses=_pauses(pauses, Clock.ACCEPTANCE), as_of=as_of
        )
        case.acceptance_due_date = result.due_date
    if case.handling_started_date is not None and status in HANDLING_RUNNING:
        rights = (await repository.rights_of(session, [case.id])).get(case.id, [])
        extensions = (await repository.extensions_of(session, [case.id])).get(case.id, [])
        result = handling_deadline(
            case, rights, calendar, _pauses(pauses, Clock.HANDLING), sum(e.amount for e in extensions), as_of
        )
        case.handling_due_date, case.handling_max_date = result.due_date, result.max_date


HANDLING_RUNNING = frozenset({CaseStatus.ACCEPTED, CaseStatus.UNDER_REVIEW})


def running_clock(case: Case) -> Clock | None:
    """The clock that runs in the case's status (None once an outcome is reached)."""
    return _clock_in(CaseStatus(case.status))


def today() -> date:
    """Today in Beijing."""
    return china_date(now())


# --- moves ---------------------------------------------------------------------------------------


async def _for_update(session: AsyncSession, case_id: str) -> Case:
    case = await repository.get_case(session, case_id, for_update=True)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def _latest_status_time(case: Case) -> datetime:
    stamps = [getattr(case, f"{s.value}_at") for s in CaseStatus]
    return max(s for s in stamps if s is not None)


async def transition_case(
    session: AsyncSession, case_id: str, data: CaseTransition, principal: Principal
) -> tuple[Case, str | None]:
    """Apply a move: status, its timestamp, history, timeline, deadlines and the event; closing
    issues the single-use rating token (returned once, only its hash is kept)."""
    case = await _for_update(session, case_id)
    if data.expected_version is not None and data.expected_version != case.version:
        raise Conflict(f"case {case_id} changed (version {case.version})", version=case.version)
    step = workflow.transition(CaseType(case.case_type), CaseStatus(case.status), data.move)
    current = now()
    at = data.occurred_at or current
    if at.tzinfo is None:
        raise RuleViolation("occurred_at needs a time zone", field="body.occurred_at")
    if at > current:
        raise RuleViolation("occurred_at is in the future", field="body.occurred_at")
    if at < _latest_status_time(case):
        raise RuleViolation("occurred_at is before the case's previous status", field="body.occurred_at")
    actor = actor_of(principal)
    calendar = await load_calendar(session)
    await _stop_paused_clock(session, case, step.to_status, at, actor, calendar)
    case.status = step.to_status.value
    setattr(case, step.timestamp_field, at)
    case.version += 1
    if data.resolution_reason is not None:
        case.resolution_reason = data.resolution_reason
    if data.resolution is not None:
        case.resolution = data.resolution
    session.add(
        CaseStateChange(
            case_id=case.id,
            from_status=step.from_status.value,
            to_status=step.to_status.value,
            move=step.move.value,
            actor=actor,
            reason=data.reason,
            at=at,
        )
    )
    record(
        session,
        case.id,
        actor,
        "status_changed",
        f"{step.from_status.value} -> {step.to_status.value}",
        at,
        move=step.move.value,
        reason=data.reason,
        resolution_reason=data.resolution_reason,
    )
    rights = (await repository.rights_of(session, [case.id])).get(case.id, [])
    patents = [r.number for r in rights if r.kind == RightKind.PATENT.value]
    trademarks = [r.number for r in rights if r.kind == RightKind.TRADEMARK.value]
    codes = (await repository.requester_codes(session, [case.id])).get(case.id, [])
    token: str | None = None
    if step.move is Move.ACCEPT:
        case.handling_started_date = china_date(at)
        await refresh_deadlines(session, case, calendar, china_date(at))
        add_to_outbox(
            session,
            CaseAcceptedV1(
                case_id=case.id,
                case_type=case.case_type,
                channel=case.channel,
                requester_credit_codes=codes,
                accepted_at=at,
                handling_due_date=case.handling_due_date,
            ),
            source=SOURCE,
            key=case.id,
        )
    elif step.move is Move.DECIDE:
        add_to_outbox(
            session,
            CaseDecidedV1(
                case_id=case.id,
                case_type=case.case_type,
                requester_credit_codes=codes,
                patent_numbers=patents,
                trademark_numbers=trademarks,
                decided_at=at,
                resolution_reason=case.resolution_reason,
            ),
            source=SOURCE,
            key=case.id,
        )
    elif step.move is Move.MEDIATE:
        add_to_outbox(
            session,
            CaseMediatedV1(
                case_id=case.id,
                case_type=case.case_type,
                requester_credit_codes=codes,
                patent_numbers=patents,
                trademark_numbers=trademarks,
                mediated_at=at,
                resolution_reason=case.resolution_reason,
            ),
            source=SOURCE,
            key=case.id,
        )
    elif step.move is Move.CLOSE:
        case.closed_within_deadline = _within_deadline(case, step.from_status, at)
        token = secrets.token_urlsafe(32)
        session.add(RatingToken(case_id=case.id, token_sha256=_digest(token), issued_at=at))
        record(session, case.id, actor, "rating_token_issued", "satisfaction rating invited", at)
        add_to_outbox(
            session,
            CaseClosedV1(
                case_id=case.id,
                case_type=case.case_type,
                channel=case.channel,
                outcome=step.from_status.value,
                resolution_reason=case.resolution_reason,
                requester_credit_codes=codes,
                patent_numbers=patents,
                trademark_numbers=trademarks,
                closed_at=at,
                within_deadline=case.closed_within_deadline,
            ),
            source=SOURCE,
            key=case.id,
        )
    return case, token


async def _stop_paused_clock(
    session: AsyncSession, case: Case, target: CaseStatus, at: datetime, actor: str, calendar: WorkCalendar
) -> None:
    """A move that ends the running clock while it is paused ends the pause on the move's day
    first, so the deadline the outcome is judged against counts the whole pause and no more."""
    clock = running_clock(case)
    if clock is None or _clock_in(target) is clock:
        return
    day = china_date(at)
    pauses = (await repository.pauses_of(session, [case.id])).get(case.id, [])
    open_pauses = [p for p in pauses if p.clock == clock.value and p.ended_on is None]
    if not open_pauses:
        return
    for pause in open_pauses:
        pause.ended_on = max(day, pause.started_on + timedelta(days=1))
        record(
            session,
            case.id,
            actor,
            "clock_resumed",
            f"{clock.value} clock resumed by the move",
            at,
            clock=clock.value,
            ended_on=pause.ended_on.isoformat(),
            pause_id=pause.id,
        )
    await session.flush()
    await refresh_deadlines(session, case, calendar, day)


def _clock_in(status: CaseStatus) -> Clock | None:
    if status is CaseStatus.RECEIVED:
        return Clock.ACCEPTANCE
    return Clock.HANDLING if status in HANDLING_RUNNING else None


def _within_deadline(case: Case, closed_from: CaseStatus, closed_at: datetime) -> bool:
    """Whether the outcome came in time: the date the outcome was reached (the status the case is
    closed from, or the closure itself when assistance closes straight from review) against the
    clock that was running then."""
    outcome_at = closed_at if closed_from is CaseStatus.UNDER_REVIEW else getattr(case, f"{closed_from.value}_at")
    outcome_date = china_date(outcome_at)
    if case.handling_started_date is not None and case.handling_due_date is not None:
        return outcome_date <= case.handling_due_date
    return outcome_date <= case.acceptance_due_date


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_adjudication_after_mediation(
    session: AsyncSession, mediation_id: str, data: AdjudicationFromMediation, principal: Principal
) -> Case:
    """A failed mediation opens the adjudication case that follows it, with the same parties and
    rights and a link back (Dispatch's case -> incident escalation)."""
    mediation = await _for_update(session, mediation_id)
    closed_from = None
    if mediation.status == CaseStatus.CLOSED.value and mediation.mediation_failed_at is not None:
        closed_from = CaseStatus.MEDIATION_FAILED
    if not workflow.can_open_adjudication_from(
        CaseType(mediation.case_type), CaseStatus(mediation.status), closed_from
    ):
        raise Conflict("only a failed mediation can open an adjudication case", current_status=mediation.status)
    existing = await repository.follow_up_of(session, mediation.id)
    if existing is not None:
        raise Conflict(f"adjudication case {existing.id} already follows this mediation", case_id=existing.id)
    parties = (await repository.parties_of(session, [mediation.id])).get(mediation.id, [])
    rights = (await repository.rights_of(session, [mediation.id])).get(mediation.id, [])
    body = CaseCreate(
        case_type=CaseType.PATENT_INFRINGEMENT_ADJUDICATION,
        channel=data.channel or Channel(mediation.channel),
        title=data.title or mediation.title,
        description=mediation.description,
        parties=[
            PartyIn(
                role=PartyRole(p.role),
                kind=PartyKind(p.kind),
                name=p.name,
                credit_code=p.credit_code,
                country=p.country,
            )
            for p in parties
        ],
        patent_numbers=[r.number for r in rights if r.kind == RightKind.PATENT.value],
        trademark_numbers=[r.number for r in rights if r.kind == RightKind.TRADEMARK.value],
        requester_agency_id=mediation.requester_agency_id,
    )
    case = await open_case(
        session, body, principal, related_case_id=mediation.id, agency_id=mediation.requester_agency_id
    )
    record(
        session,
        mediation.id,
        actor_of(principal),
        "follow_up_opened",
        f"adjudication case {case.id} opened",
        now(),
        follow_up_case_id=case.id,
    )
    return case


async def update_case(session: AsyncSession, case_id: str, data: CaseUpdate, principal: Principal) -> Case:
    """Change title, description or complexity; a complexity change moves the running deadline."""
    case = await _for_update(session, case_id)
    if case.status == CaseStatus.CLOSED.value:
        raise Conflict("a closed case is not changed", current_status=case.status)
    changes = {
        name: value
        for name, value in data.model_dump(exclude_unset=True, exclude={"reason"}).items()
        if value is not None and getattr(case, name) != value
    }
    if not changes:
        return case
    for name, value in changes.items():
        setattr(case, name, value)
    case.version += 1
    if "complex" in changes:
        await refresh_deadlines(session, case, await load_calendar(session), today())
    record(
        session,
        case.id,
        actor_of(principal),
        "case_updated",
        f"{', '.join(changes)} changed: {data.reason}",
        now(),
        changed=sorted(changes),
        reason=data.reason,
    )
    return case


async def add_note(session: AsyncSession, case_id: str, data: NoteCreate, principal: Principal) -> CaseEvent:
    """Append a hearing, evidence exchange, inspection or note to the timeline."""
    case = await _for_update(session, case_id)
    current = now()
    at = data.occurred_at or current
    if at.tzinfo is None or at > current or at < case.received_at:
        raise RuleViolation("occurred_at needs a time zone and lies between receipt and now", field="body.occurred_at")
    entry = CaseEvent(
        case_id=case.id,
        at=at,
        actor=actor_of(principal),
        kind=data.kind.value,
        summary=data.summary,
        details=_with_recorded_at(at, {}),
    )
    session.add(entry)
    await session.flush()
    return entry


# --- handlers, documents -------------------------------------------------------------------------


async def assign_handler(session: AsyncSession, case_id: str, data: HandlerAssign, principal: Principal) -> CaseHandler:
    """Assign a case officer (re-assigning a released one brings them back)."""
    case = await _for_update(session, case_id)
    if case.status == CaseStatus.CLOSED.value:
        raise Conflict("a closed case takes no new handler", current_status=case.status)
    at = now()
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
    case = await _for_update(session, case_id)
    handler = await repository.get_handler(session, case.id, handler_id)
    if handler is None or handler.released_at is not None:
        raise NotFound(f"{handler_id} does not handle case {case_id}")
    at = now()
    handler.released_at = at
    record(
        session, case.id, actor_of(principal), "handler_released", f"{handler.name} released", at, handler_id=handler_id
    )
    return handler


async def add_document(session: AsyncSession, case_id: str, data: DocumentCreate, principal: Principal) -> CaseDocument:
    """Reference evidence or a document by hash, size and media type; the same content twice on
    one case is a conflict. An agency reaches only the cases it brought."""
    if principal.role is not Role.OPERATOR and await repository.get_case(session, case_id, principal) is None:
        raise NotFound(f"case {case_id} not found")
    case = await _for_update(session, case_id)
    sha = data.sha256.lower()
    if await repository.document_by_hash(session, case.id, sha) is not None:
        raise Conflict("this content (same sha256) is already on the case")
    at = now()
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


# --- pauses and extensions -----------------------------------------------------------------------


async def pause_clock(session: AsyncSession, case_id: str, data: PauseCreate, principal: Principal) -> CasePause:
    """Stop the running clock from `started_on`, with the reason."""
    case = await _for_update(session, case_id)
    if running_clock(case) is not data.clock:
        raise Conflict(
            f"the {data.clock.value} clock is not running in status {case.status}", current_status=case.status
        )
    start = case.received_date if data.clock is Clock.ACCEPTANCE else case.handling_started_date
    assert start is not None
    as_of = today()
    if not start < data.started_on <= as_of:
        raise RuleViolation(f"a pause starts after {start} and not after today ({as_of})", field="body.started_on")
    pauses = (await repository.pauses_of(session, [case.id])).get(case.id, [])
    if any(p.clock == data.clock.value and p.ended_on is None for p in pauses):
        raise Conflict(f"the {data.clock.value} clock is already paused")
    if any(p.clock == data.clock.value and p.ended_on is not None and data.started_on < p.ended_on for p in pauses):
        raise RuleViolation("a pause cannot overlap an earlier one", field="body.started_on")
    at = now()
    pause = CasePause(
        case_id=case.id,
        clock=data.clock.value,
        started_on=data.started_on,
        reason=data.reason,
        recorded_by=actor_of(principal),
        recorded_at=at,
    )
    session.add(pause)
    await session.flush()
    await refresh_deadlines(session, case, await load_calendar(session), as_of)
    case.version += 1
    record(
        session,
        case.id,
        actor_of(principal),
        "clock_paused",
        f"{data.clock.value} clock paused: {data.reason}",
        at,
        clock=data.clock.value,
        started_on=data.started_on.isoformat(),
    )
    return pause


async def resume_clock(
    session: AsyncSession, case_id: str, pause_id: int, data: PauseEnd, principal: Principal
) -> CasePause:
    """Restart a paused clock on `ended_on`; the deadline moves by the time stopped."""
    case = await _for_update(session, case_id)
    pause = await repository.get_pause(session, case.id, pause_id)
    if pause is None:
        raise NotFound(f"pause {pause_id} not found on case {case_id}")
    if pause.ended_on is not None:
        raise Conflict("this pause has already ended")
    as_of = today()
    if not pause.started_on < data.ended_on <= as_of + timedelta(days=1):
        raise RuleViolation(f"a pause ends after it starts ({pause.started_on}) and by tomorrow", field="body.ended_on")
    pause.ended_on = data.ended_on
    await session.flush()
    await refresh_deadlines(session, case, await load_calendar(session), as_of)
    case.version += 1
    at = now()
    record(
        session,
        case.id,
        actor_of(principal),
        "clock_resumed",
        f"{pause.clock} clock resumed",
        at,
        clock=pause.clock,
        ended_on=data.ended_on.isoformat(),
        pause_id=pause.id,
    )
    return pause


async def grant_extension(
    session: AsyncSession, case_id: str, data: ExtensionCreate, principal: Principal
) -> CaseExtension:
    """Extend the handling deadline within the rule's maximum."""
    case = await _for_update(session, case_id)
    if running_clock(case) is not Clock.HANDLING:
        raise Conflict(f"the handling clock is not running in status {case.status}", current_status=case.status)
    calendar = await load_calendar(session)
    rights = (await repository.rights_of(session, [case.id])).get(case.id, [])
    extensions = (await repository.extensions_of(session, [case.id])).get(case.id, [])
    pauses = (await repository.pauses_of(session, [case.id])).get(case.id, [])
    as_of = today()
    current = handling_deadline(
        case, rights, calendar, _pauses(pauses, Clock.HANDLING), sum(e.amount for e in extensions), as_of
    )
    check_extension(
        current.rule, complex_case=case.complex, granted=sum(e.amount for e in extensions), requested=data.amount
    )
    at = now()
    extension = CaseExtension(
        case_id=case.id,
        amount=data.amount,
        unit=current.rule.unit.value,
        reason=data.reason,
        granted_by=actor_of(principal),
        granted_at=at,
    )
    session.add(extension)
    await session.flush()
    await refresh_deadlines(session, case, calendar, as_of)
    case.version += 1
    record(
        session,
        case.id,
        actor_of(principal),
        "deadline_extended",
        f"handling deadline extended by {data.amount} {current.rule.unit.value}: {data.reason}",
        at,
        amount=data.amount,
        unit=current.rule.unit.value,
        handling_due_date=str(case.handling_due_date),
    )
    return extension


# --- calendar ------------------------------------------------------------------------------------


async def put_calendar_day(session: AsyncSession, day: date, data: CalendarDayPut, principal: Principal) -> CalendarDay:
    """Declare a holiday or make-up day; the running deadlines of open cases follow."""
    at = now()
    row = await session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day, kind=data.kind.value, name=data.name, updated_by=actor_of(principal), updated_at=at)
        session.add(row)
    else:
        row.kind, row.name, row.updated_by, row.updated_at = data.kind.value, data.name, actor_of(principal), at
    await session.flush()
    await _refresh_open_cases(session)
    return row


async def delete_calendar_day(session: AsyncSession, day: date) -> None:
    """Make a day an ordinary day again."""
    row = await session.get(CalendarDay, day)
    if row is None:
        raise NotFound(f"{day} is not in the calendar")
    await session.delete(row)
    await session.flush()
    await _refresh_open_cases(session)


async def _refresh_open_cases(session: AsyncSession) -> None:
    calendar = await load_calendar(session)
    as_of = today()
    for case in await repository.open_cases(session):
        if running_clock(case) is not None:
            await refresh_deadlines(session, case, calendar, as_of)


# --- satisfaction --------------------------------------------------------------------------------


async def rate_case(session: AsyncSession, data: RatingCreate) -> CaseRating:
    """Record the served party's rating through the token issued at closure: once per case."""
    token = await repository.rating_token_by_hash(session, _digest(data.token), for_update=True)
    if token is None:
        raise NotFound("unknown rating token")
    if token.used_at is not None or await repository.get_rating(session, token.case_id) is not None:
        raise Conflict("this case has already been rated")
    case = await repository.get_case(session, token.case_id)
    assert case is not None
    at = now()
    token.used_at = at
    rating = CaseRating(case_id=case.id, score=data.score, comment=data.comment, rated_at=at)
    session.add(rating)
    record(session, case.id, "public:rating-token", "rated", f"rated {data.score}/100", at, score=data.score)
    add_to_outbox(
        session,
        CaseRatedV1(case_id=case.id, case_type=case.case_type, score=data.score, rated_at=at),
        source=SOURCE,
        key=case.id,
    )
    await session.flush()
    return rating


# --- overdue and at-risk -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineState:
    """Where one open case stands against its running clock on a day."""

    case: Case
    clock: Clock
    due_date: date
    paused: bool
    overdue: bool
    days_overdue: int
    remaining_working_days: int


async def deadline_states(session: AsyncSession, as_of: date) -> list[DeadlineState]:
    """Every open case with a running clock, against that clock on `as_of`. A paused clock is
    neither overdue nor at risk: it is stopped."""
    calendar = await load_calendar(session)
    cases = [c for c in await repository.open_cases(session) if running_clock(c) is not None]
    pauses = await repository.pauses_of(session, [c.id for c in cases])
    states = []
    for case in cases:
        clock = running_clock(case)
        assert clock is not None
        due = case.acceptance_due_date if clock is Clock.ACCEPTANCE else case.handling_due_date
        if due is None:
            continue
        paused = any(
            p.clock == clock.value and p.started_on <= as_of and (p.ended_on is None or p.ended_on > as_of)
            for p in pauses.get(case.id, [])
        )
        overdue = not paused and is_overdue(due, as_of)
        states.append(
            DeadlineState(
                case=case,
                clock=clock,
                due_date=due,
                paused=paused,
                overdue=overdue,
                days_overdue=(as_of - due).days if overdue else 0,
                remaining_working_days=remaining_working_days(due, as_of, calendar),
            )
        )
    return states


async def scan_overdue(session: AsyncSession, as_of: date) -> list[DeadlineState]:
    """Flag every case whose running clock passed its due date on `as_of` and publish
    `case.overdue` for it, once per case and clock whatever the number of scans."""
    states = [
        s
        for s in await deadline_states(session, as_of)
        if s.overdue and getattr(s.case, f"{s.clock.value}_overdue_at") is None  # flagged ones cost nothing
    ]
    if not states:
        return []
    ids = [s.case.id for s in states]
    # One statement locks them all (in id order, so two scans never deadlock) and re-reads them:
    # a scan running at the same time has either flagged a case already, or waits for us.
    locked = {c.id: c for c in await repository.lock_cases(session, ids)}
    codes = await repository.requester_codes(session, ids)
    handlers = await repository.handlers_of(session, ids)
    at = now()
    flagged = []
    for state in states:
        case = locked[state.case.id]
        field_name = f"{state.clock.value}_overdue_at"
        if getattr(case, field_name) is not None or running_clock(case) is not state.clock:
            continue
        setattr(case, field_name, at)
        record(
            session,
            case.id,
            "system:overdue-scan",
            "overdue",
            f"{state.clock.value} deadline {state.due_date} passed",
            at,
            clock=state.clock.value,
            due_date=state.due_date.isoformat(),
            as_of=as_of.isoformat(),
        )
        add_to_outbox(
            session,
            CaseOverdueV1(
                case_id=case.id,
                case_type=case.case_type,
                channel=case.channel,
                clock=state.clock.value,
                due_date=state.due_date,
                as_of=as_of,
                requester_credit_codes=codes.get(case.id, []),
                handler_ids=[h.handler_id for h in handlers.get(case.id, []) if h.released_at is None],
            ),
            source=SOURCE,
            key=case.id,
        )
        flagged.append(state)
    return flagged


# --- statistics ----------------------------------------------------------------------------------


async def year_figures(session: AsyncSession, year: int) -> YearFigures:
    """The plan's figures of a year."""
    cases = await repository.cases_between(session, date(year - 1, 1, 1), date(year, 12, 31))
    closed = await repository.cases_closed_between(
        session, datetime(year, 1, 1, tzinfo=CHINA_TZ), datetime(year + 1, 1, 1, tzinfo=CHINA_TZ)
    )
    every = {c.id: c for c in [*cases, *closed]}
    codes = await repository.requester_codes(session, list(every))
    facts = [
        CaseFacts(
            case_type=CaseType(c.case_type),
            received_date=c.received_date,
            requester_codes=tuple(codes.get(c.id, [])),
            closed_date=china_date(c.closed_at) if c.closed_at else None,
            within_deadline=c.closed_within_deadline,
            went_overdue=c.acceptance_overdue_at is not None or c.handling_overdue_at is not None,
        )
        for c in every.values()
    ]
    ratings = await repository.ratings_between(
        session, datetime(year, 1, 1, tzinfo=CHINA_TZ), datetime(year + 1, 1, 1, tzinfo=CHINA_TZ)
    )
    return figures(year, facts, [RatingFacts(china_date(r.rated_at), r.score) for r in ratings])


async def years_with_cases(session: AsyncSession) -> list[int]:
    """From the first year with a case to this year."""
    first = await repository.first_received_date(session)
    this_year = today().year
    return list(range(first.year, this_year + 1)) if first is not None else []


async def clocks(session: AsyncSession, case: Case, as_of: date) -> list[ClockPublic]:
    """The clocks of one case as of a day, with whether the running one is paused."""
    calendar = await load_calendar(session)
    result = clocks_of(case, calendar, as_of)
    pauses = (await repository.pauses_of(session, [case.id])).get(case.id, [])
    for clock in result:
        clock.paused = any(
            p.clock == clock.clock.value and p.started_on <= as_of and (p.ended_on is None or p.ended_on > as_of)
            for p in pauses
        )
        if clock.paused:
            clock.overdue = False
    return result
