"""Use cases of a case itself: intake (and the adjudication that follows a failed mediation),
reading, and correcting it. The workflow of moves is in `moves.py`; handlers, documents and notes
in `records.py`; pauses and extensions in `clocks.py`. Never commit: the route owns the
transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import indicators, repository
from enforcement.cases.repository import CaseRows
from enforcement.cases.schemas import AdjudicationFromMediation, CaseCreate, CaseUpdate, PartyIn
from enforcement.common import SOURCE, actor_of, record
from enforcement.deadlines import service as deadlines
from enforcement.deadlines.schemas import ClockState
from enforcement.domain import workflow
from enforcement.enums import CaseStatus, CaseType, Channel, PartyKind, PartyRole, RightKind
from enforcement.models import Case, CaseParty, CaseRight, CaseStateChange
from ipops.auth import Principal, Role
from ipops.clock import district_date, district_today, utc_now
from ipops.contracts.enforcement import CaseCorrectedV1, CaseOpenedV1
from ipops.contracts.enforcement import CaseParty as CasePartyPayload
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.identifiers import patent_type

# History is entered late (the plan's figures start in 2018); nothing the office did predates 2000.
EARLIEST = date(2000, 1, 1)


async def for_update(session: AsyncSession, case_id: str) -> Case:
    """A case locked for a change (operators and the system reach every case)."""
    case = await repository.get_case(session, case_id, for_update=True)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


async def readable(session: AsyncSession, case_id: str, principal: Principal) -> Case:
    """A case the caller may read; another agency's case is not found."""
    case = await repository.get_case(session, case_id, principal)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


async def rows_of(session: AsyncSession, case: Case) -> CaseRows:
    """One case with its parties, rights and handlers."""
    return (await repository.case_rows(session, [case]))[0]


# --- intake --------------------------------------------------------------------------------------


async def open_case(session: AsyncSession, data: CaseCreate, principal: Principal) -> CaseRows:
    """Receive a case. An agency files for its own enterprises and is recorded as the requester
    agency whatever the body says; an operator may record the agency that brought the case."""
    return await receive_case(session, data, principal)


def _received_at(data: CaseCreate) -> datetime:
    at = utc_now()
    received_at = data.received_at or at
    if received_at.tzinfo is None:
        raise RuleViolation("received_at needs a time zone", field="body.received_at")
    if received_at > at:
        raise RuleViolation("received_at is in the future", field="body.received_at")
    if district_date(received_at) < EARLIEST:  # a district date, like every date that counts
        raise RuleViolation("received_at is before 2000-01-01", field="body.received_at")
    return received_at


def _check_parties(parties: Sequence[PartyIn]) -> None:
    """The rules across a party's fields and across the parties, which the schema cannot state:
    refused as `rule-violation` naming the field (README, "Intake")."""
    for i, p in enumerate(parties):
        if p.kind is PartyKind.ENTERPRISE and p.credit_code is None:
            raise RuleViolation(
                "an enterprise party needs its unified social credit code", field=f"body.parties.{i}.credit_code"
            )
        if p.kind is PartyKind.FOREIGN and p.country is None:
            raise RuleViolation("a foreign party needs its country", field=f"body.parties.{i}.country")
    if not any(p.role is PartyRole.REQUESTER for p in parties):
        raise RuleViolation("a case needs a requester among its parties", field="body.parties")


def _requester_agency(data: CaseCreate, principal: Principal, agency_id: str | None) -> str | None:
    if principal.role is Role.AGENCY:
        return principal.tenant_id  # an agency files for its own enterprises, never for another
    return agency_id if agency_id is not None else data.requester_agency_id


def _ptype(number: str) -> str | None:
    kind = patent_type(number)
    return kind.value if kind is not None else None


def _parties(case_id: str, parties: Sequence[PartyIn]) -> list[CaseParty]:
    return [
        CaseParty(
            case_id=case_id,
            role=p.role.value,
            kind=p.kind.value,
            name=p.name,
            credit_code=p.credit_code,
            country=p.country,
        )
        for p in parties
    ]


def _rights(case_id: str, patents: Sequence[str], trademarks: Sequence[str]) -> list[CaseRight]:
    rights = [CaseRight(case_id=case_id, kind=RightKind.PATENT.value, number=n, patent_type=_ptype(n)) for n in patents]
    return rights + [CaseRight(case_id=case_id, kind=RightKind.TRADEMARK.value, number=n) for n in trademarks]


async def receive_case(
    session: AsyncSession,
    data: CaseCreate,
    principal: Principal,
    *,
    related_case_id: str | None = None,
    agency_id: str | None = None,
) -> CaseRows:
    """Receive a case: parties, rights, the acceptance deadline, the timeline entry, the
    `case.opened` event naming the rights and parties, and the case's indicator contributions. A
    receipt whose acceptance deadline needs a calendar year no source covers is saved all the
    same: its deadline waits for the year (`calendar_missing_year`), so a filing is never lost to
    a missing calendar. Returns the case with the parties and rights just written (a new case has
    no handler), so nothing is read back."""
    _check_parties(data.parties)
    received_at = _received_at(data)
    agency_id = _requester_agency(data, principal, agency_id)
    received_date = district_date(received_at)
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
    )
    deadlines.start_acceptance_clock(case, await deadlines.load_calendar(session))
    session.add(case)
    await session.flush()  # the case row first: parties and rights refer to it
    parties = _parties(case.id, data.parties)
    patents = list(dict.fromkeys(data.patent_numbers))
    trademarks = list(dict.fromkeys(data.trademark_numbers))
    rights = _rights(case.id, patents, trademarks)
    session.add_all([*parties, *rights])
    session.add(CaseStateChange(case_id=case.id, to_status=case.status, actor=case.created_by, at=received_at))
    record(
        session,
        case.id,
        case.created_by,
        "case_received",
        f"{data.case_type.value} case received ({data.channel.value})",
        received_at,
        patents=patents,
        trademarks=trademarks,
        acceptance_due_date=case.acceptance_due_date.isoformat() if case.acceptance_due_date else None,
        calendar_missing_year=case.calendar_missing_year,
        related_case_id=related_case_id,
    )
    add_to_outbox(session, _opened(case, parties, patents, trademarks), source=SOURCE, key=case.id)
    await indicators.count_case(session, case, repository.requester_codes_of(parties))
    return CaseRows(case, parties, rights, [])


def _opened(case: Case, parties: Sequence[CaseParty], patents: list[str], trademarks: list[str]) -> CaseOpenedV1:
    return CaseOpenedV1(
        case_id=case.id,
        case_type=case.case_type,
        channel=case.channel,
        patent_numbers=patents,
        trademark_numbers=trademarks,
        parties=[CasePartyPayload(role=p.role, name=p.name, credit_code=p.credit_code, kind=p.kind) for p in parties],
        opened_at=case.received_at,
        requester_agency_id=case.requester_agency_id,
        related_case_id=case.related_case_id,
        acceptance_due_date=case.acceptance_due_date,
    )


async def open_adjudication_after_mediation(
    session: AsyncSession, mediation_id: str, data: AdjudicationFromMediation, principal: Principal
) -> CaseRows:
    """A failed mediation opens the adjudication case that follows it, with the same parties and
    rights and a link back (Dispatch's case -> incident escalation)."""
    mediation = await for_update(session, mediation_id)
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
    source = await rows_of(session, mediation)
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
            for p in source.parties
        ],
        patent_numbers=[r.number for r in source.rights if r.kind == RightKind.PATENT.value],
        trademark_numbers=[r.number for r in source.rights if r.kind == RightKind.TRADEMARK.value],
        requester_agency_id=mediation.requester_agency_id,
    )
    follow_up = await receive_case(
        session, body, principal, related_case_id=mediation.id, agency_id=mediation.requester_agency_id
    )
    case = follow_up.case
    record(
        session,
        mediation.id,
        actor_of(principal),
        "follow_up_opened",
        f"adjudication case {case.id} opened",
        utc_now(),
        follow_up_case_id=case.id,
    )
    return follow_up


# --- reading and correcting ----------------------------------------------------------------------


async def list_cases(
    session: AsyncSession,
    principal: Principal,
    *,
    status: CaseStatus | None,
    case_type: CaseType | None,
    credit_code: str | None,
    year: int | None,
    limit: int,
    offset: int,
) -> tuple[list[CaseRows], int]:
    """A page of the cases the caller may read, newest first, and the total."""
    cases, total = await repository.list_cases(
        session,
        principal,
        status=status,
        case_type=case_type,
        credit_code=credit_code,
        year=year,
        limit=limit,
        offset=offset,
    )
    return await repository.case_rows(session, cases), total


async def read_case(session: AsyncSession, case_id: str, principal: Principal) -> tuple[CaseRows, list[ClockState]]:
    """One readable case with its clocks as of today in the district."""
    case = await readable(session, case_id, principal)
    rows = await rows_of(session, case)
    return rows, await deadlines.case_clocks(session, case, district_today())


async def update_case(session: AsyncSession, case_id: str, data: CaseUpdate, principal: Principal) -> CaseRows:
    """Change title, description, complexity or a mistaken case type; a complexity or type change
    moves the running deadline, and a type change counts the case again for the plan's figures
    and is announced (`case.corrected`)."""
    case = await for_update(session, case_id)
    if case.status == CaseStatus.CLOSED.value:
        raise Conflict("a closed case is not changed", current_status=case.status)
    changes = {
        name: value
        for name, value in data.model_dump(mode="json", exclude_unset=True, exclude={"reason"}).items()
        if value is not None and getattr(case, name) != value
    }
    if not changes:
        return await rows_of(session, case)
    previous_type = case.case_type
    if "case_type" in changes and not workflow.can_retype(CaseType(changes["case_type"]), CaseStatus(case.status)):
        raise Conflict(
            f"a {changes['case_type']} case cannot be {case.status}: correct the type before the case reaches it",
            current_status=case.status,
        )
    for name, value in changes.items():
        setattr(case, name, value)
    case.version += 1
    if "complex" in changes or "case_type" in changes:
        await deadlines.refresh_deadlines(session, case, await deadlines.load_calendar(session), district_today())
    at = utc_now()
    if "case_type" in changes:
        await _retyped(session, case, previous_type, data.reason, at)
    record(
        session,
        case.id,
        actor_of(principal),
        "case_updated",
        f"{', '.join(changes)} changed: {data.reason}",
        at,
        changed=sorted(changes),
        reason=data.reason,
    )
    return await rows_of(session, case)


async def _retyped(session: AsyncSession, case: Case, previous_type: str, reason: str, at: datetime) -> None:
    """A corrected type: the case counted again, and `case.corrected` for those who acted on its type."""
    await indicators.count_case(session, case)
    codes = (await repository.requester_codes(session, [case.id])).get(case.id, [])
    corrected = CaseCorrectedV1(
        case_id=case.id,
        previous_case_type=previous_type,
        case_type=case.case_type,
        requester_credit_codes=codes,
        corrected_at=at,
        reason=reason,
    )
    add_to_outbox(session, corrected, source=SOURCE, key=case.id)
