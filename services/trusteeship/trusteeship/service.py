"""Trusteeship use cases: load, apply the rules, persist, add the events to the outbox. Never commit."""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops import identifiers
from ipops.auth import Principal
from ipops.contracts.trusteeship import (
    EnterpriseEnrolledV1,
    EnterpriseExitedV1,
    EnterpriseTransferredV1,
    FeeDueV1,
    FirstPatentV1,
    PatentLapsedV1,
    WorkLoggedV1,
    WorkUploadedV1,
)
from ipops.db import dialect_name
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from trusteeship import repository, upload
from trusteeship.domain import docket, enrolment, targets
from trusteeship.domain.worklog import NOT_HELD, check_work
from trusteeship.enums import DeadlineStatus, EnrolmentStatus, Milestone, PatentKind, PatentStatus, WorkSource
from trusteeship.models import (
    Agency,
    Enrolment,
    Enterprise,
    FeeDeadline,
    FeePayment,
    FeeReminder,
    FirstPatent,
    Patent,
    Trademark,
    WorkLog,
    WorkQueueItem,
    WorkUpload,
)
from trusteeship.schemas import (
    AgencyCoverage,
    AgencyCreate,
    AgencyUpdate,
    CertificationStatistics,
    CoverageStatistics,
    DocketRunResult,
    EnrolmentCreate,
    EnrolmentExit,
    EnrolmentTransfer,
    EnterpriseCreate,
    EnterpriseUpdate,
    FeePaymentCreate,
    PatentCreate,
    TrademarkCreate,
    ValidPatentStatistics,
    ValidPatentYear,
    WorkLogCreate,
    WorkMonthRow,
    WorkStatistics,
    WorkUploadAccepted,
)

SOURCE = "/ipops/trusteeship"


def _now() -> datetime:
    return datetime.now(UTC)


async def _flush_or_conflict(session: AsyncSession, message: str) -> None:
    """Flush; a unique index refusing the write (a concurrent twin) is a 409, never a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(message) from exc


def _contract(agency: Agency) -> enrolment.Contract:
    return enrolment.Contract(agency.id, agency.contract_start_date, agency.contract_end_date, agency.quota)


# --- agencies ----------------------------------------------------------------------------------


async def register_agency(session: AsyncSession, data: AgencyCreate) -> Agency:
    """Register an agency; its id and contract number must be new."""
    if await repository.get_agency(session, data.id) is not None:
        raise Conflict(f"agency {data.id} is already registered")
    if await repository.get_agency_by_contract(session, data.contract_number) is not None:
        raise Conflict(f"contract {data.contract_number} belongs to another agency")
    now = _now()
    agency = Agency(
        id=data.id,
        name=data.name,
        contract_number=data.contract_number,
        contract_start_date=data.contract_start_date,
        contract_end_date=data.contract_end_date,
        quota=data.quota,
        scope=[s.value for s in data.scope],
        created_at=now,
        updated_at=now,
    )
    session.add(agency)
    await _flush_or_conflict(session, f"agency {data.id} or contract {data.contract_number} is already registered")
    return agency


async def update_agency(session: AsyncSession, agency_id: str, data: AgencyUpdate) -> Agency:
    """Change an agency's contract terms; the period must stay ordered."""
    agency = await repository.get_agency(session, agency_id, for_update=True)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    changes = data.model_dump(exclude_unset=True)
    if "contract_number" in changes and changes["contract_number"] != agency.contract_number:
        other = await repository.get_agency_by_contract(session, changes["contract_number"])
        if other is not None:
            raise Conflict(f"contract {changes['contract_number']} belongs to another agency")
    for name, value in changes.items():
        if value is None:
            raise RuleViolation(f"{name} cannot be cleared", field=f"body.{name}")
        setattr(agency, name, [s.value for s in value] if name == "scope" else value)
    if agency.contract_end_date < agency.contract_start_date:
        raise RuleViolation("contract_end_date is before contract_start_date", field="body.contract_end_date")
    agency.updated_at = _now()
    await _flush_or_conflict(session, "that contract number belongs to another agency")
    return agency


# --- enrolments --------------------------------------------------------------------------------


async def enrol(
    session: AsyncSession, principal: Principal, data: EnrolmentCreate, today: date
) -> tuple[Enrolment, Enterprise]:
    """Take an enterprise into trusteeship with one agency (registering the enterprise if new)."""
    if principal.is_operator:
        if not data.agency_id:
            raise RuleViolation("operators name the enrolling agency", field="body.agency_id")
        agency_id = data.agency_id
    else:
        if data.agency_id and data.agency_id != principal.tenant_id:
            raise RuleViolation("an agency enrols enterprises for itself", field="body.agency_id")
        agency_id = str(principal.tenant_id)
    if data.start_date > today:
        raise RuleViolation(f"{data.start_date} is in the future", field="body.start_date")
    # Locking the agency row serialises its enrolments, so two at once cannot both take the last
    # place of the quota.
    agency = await repository.get_agency(session, agency_id, for_update=True)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    code = data.enterprise.credit_code
    enterprise = await repository.get_enterprise(session, code, for_update=True)
    if enterprise is None:
        enterprise = _new_enterprise(data.enterprise)
        session.add(enterprise)
        await _flush_or_conflict(session, f"enterprise {code} was registered at the same moment; retry")
    held = await repository.active_enrolment(session, code)
    history = await repository.enrolment_history(session, code)
    first = not history
    last_end = max((e.end_date for e in history if e.end_date is not None), default=None)
    if held is None and last_end is not None and data.start_date < last_end:
        # History has no overlaps: a new enrolment starts no earlier than the last one ended.
        raise RuleViolation(f"the last enrolment ended on {last_end}", field="body.start_date")
    enrolment.check_can_enrol(
        _contract(agency),
        data.start_date,
        await repository.count_active(session, agency.id),
        held_by=held.agency_id if held else None,
    )
    row = Enrolment(
        credit_code=code,
        agency_id=agency.id,
        status=EnrolmentStatus.ACTIVE,
        start_date=data.start_date,
        start_reason=data.reason,
        created_at=_now(),
    )
    session.add(row)
    await _flush_or_conflict(session, f"enterprise {code} was enrolled by another agency at the same moment")
    assert row.id is not None
    add_to_outbox(
        session,
        EnterpriseEnrolledV1(
            enrolment_id=row.id,
            agency_id=agency.id,
            credit_code=code,
            enterprise_name=enterprise.name,
            start_date=row.start_date,
            first_enrolment=first,
            enrolled_at=row.created_at,
        ),
        source=SOURCE,
        key=code,
    )
    return row, enterprise


def _new_enterprise(data: EnterpriseCreate) -> Enterprise:
    now = _now()
    return Enterprise(
        credit_code=data.credit_code,
        name=data.name,
        industry=data.industry,
        size=data.size.value,
        address=data.address,
        created_at=now,
        updated_at=now,
    )


async def transfer(
    session: AsyncSession, enrolment_id: int, data: EnrolmentTransfer, today: date
) -> tuple[Enrolment, Enrolment]:
    """Move an enterprise to another agency: end the old enrolment and start the new on one day."""
    old = await repository.get_enrolment(session, enrolment_id, for_update=True)
    if old is None:
        raise NotFound(f"no enrolment {enrolment_id}")
    new_status = enrolment.move(old.status, "transfer")
    if data.to_agency_id == old.agency_id:
        raise RuleViolation("the enterprise is already with this agency", field="body.to_agency_id")
    target = await repository.get_agency(session, data.to_agency_id, for_update=True)
    if target is None:
        raise RuleViolation(f"no agency {data.to_agency_id}", field="body.to_agency_id")
    if data.transfer_date > today:
        raise RuleViolation(f"{data.transfer_date} is in the future", field="body.transfer_date")
    enrolment.check_end(old.start_date, data.transfer_date, field="body.transfer_date")
    enrolment.check_within_contract(_contract(target), data.transfer_date, field="body.transfer_date")
    active = await repository.count_active(session, target.id)
    if active >= target.quota:
        raise RuleViolation(
            f"agency {target.id} holds {active}, its quota is {target.quota}", field="body.to_agency_id"
        )
    now = _now()
    old.status = new_status
    old.end_date = data.transfer_date
    old.end_reason = data.reason
    old.ended_at = now
    await session.flush()  # frees the one-active-enrolment index before the new row takes it
    new = Enrolment(
        credit_code=old.credit_code,
        agency_id=target.id,
        status=EnrolmentStatus.ACTIVE,
        start_date=data.transfer_date,
        start_reason=f"transferred from {old.agency_id}: {data.reason}",
        created_at=now,
    )
    session.add(new)
    await _flush_or_conflict(session, "the enterprise changed hands at the same moment; retry")
    assert old.id is not None and new.id is not None
    old.transferred_to_enrolment_id = new.id
    add_to_outbox(
        session,
        EnterpriseTransferredV1(
            credit_code=old.credit_code,
            from_agency_id=old.agency_id,
            to_agency_id=target.id,
            from_enrolment_id=old.id,
            to_enrolment_id=new.id,
            transfer_date=data.transfer_date,
            reason=data.reason,
            transferred_at=now,
        ),
        source=SOURCE,
        key=old.credit_code,
    )
    return old, new


async def exit_enrolment(
    session: AsyncSession, principal: Principal, enrolment_id: int, data: EnrolmentExit, today: date
) -> Enrolment:
    """End an enrolment (the holding agency or an operator)."""
    row = await repository.readable_enrolment(session, principal, enrolment_id)
    if row is None:
        raise NotFound(f"no enrolment {enrolment_id}")
    row = await repository.get_enrolment(session, enrolment_id, for_update=True)
    assert row is not None
    row.status = enrolment.move(row.status, "exit")
    if data.end_date > today:
        raise RuleViolation(f"{data.end_date} is in the future", field="body.end_date")
    enrolment.check_end(row.start_date, data.end_date, field="body.end_date")
    row.end_date = data.end_date
    row.end_reason = data.reason
    row.ended_at = _now()
    await session.flush()
    assert row.id is not None
    add_to_outbox(
        session,
        EnterpriseExitedV1(
            enrolment_id=row.id,
            agency_id=row.agency_id,
            credit_code=row.credit_code,
            end_date=data.end_date,
            reason=data.reason,
            exited_at=row.ended_at,
        ),
        source=SOURCE,
        key=row.credit_code,
    )
    return row


# --- enterprises, patents, trademarks ----------------------------------------------------------


async def _writable_enterprise(session: AsyncSession, principal: Principal, credit_code: str) -> Enterprise:
    """An enterprise the caller may change: operators any; an agency only one it holds now. One it
    held before is readable but no longer its to change (403); others do not exist for it (404)."""
    enterprise = await repository.readable_enterprise(session, principal, credit_code)
    if enterprise is None:
        raise NotFound(f"no enterprise {credit_code}")
    if not principal.is_operator:
        holder = await repository.holder_of(session, credit_code)
        if holder != principal.tenant_id:
            raise Forbidden("the agency no longer holds this enterprise")
    return enterprise


async def update_enterprise(
    session: AsyncSession, principal: Principal, credit_code: str, data: EnterpriseUpdate, today: date
) -> Enterprise:
    """Change an enterprise's details or record its GB/T 29490 certification."""
    enterprise = await _writable_enterprise(session, principal, credit_code)
    changes = data.model_dump(exclude_unset=True)
    certified = changes.get("gbt29490_certified_date")
    if certified is not None and certified > today:
        raise RuleViolation(f"{certified} is in the future", field="body.gbt29490_certified_date")
    for name, value in changes.items():
        if value is None and name != "gbt29490_certified_date":
            raise RuleViolation(f"{name} cannot be cleared", field=f"body.{name}")
        setattr(enterprise, name, value.value if name == "size" and value is not None else value)
    enterprise.updated_at = _now()
    await session.flush()
    return enterprise


def _patent_kind(number: str) -> PatentKind:
    kind = identifiers.patent_type(number)
    if kind in (identifiers.PatentType.INVENTION, identifiers.PatentType.PCT_INVENTION):
        return PatentKind.INVENTION
    if kind in (identifiers.PatentType.UTILITY_MODEL, identifiers.PatentType.PCT_UTILITY_MODEL):
        return PatentKind.UTILITY_MODEL
    return PatentKind.DESIGN


async def add_patent(
    session: AsyncSession, principal: Principal, credit_code: str, data: PatentCreate, today: date
) -> Patent:
    """Record a patent of the enterprise; a granted one gets its docket (and may be its first)."""
    await _writable_enterprise(session, principal, credit_code)
    if await repository.get_patent(session, data.number) is not None:
        raise Conflict(f"patent {data.number} is already recorded")
    kind_code = identifiers.patent_type(data.number)
    pct = kind_code in (identifiers.PatentType.PCT_INVENTION, identifiers.PatentType.PCT_UTILITY_MODEL)
    # The number encodes the filing year, except for PCT national-phase numbers (entry year).
    if not pct and identifiers.patent_filing_year(data.number) != data.filing_date.year:
        raise RuleViolation(
            f"application {data.number} was filed in {identifiers.patent_filing_year(data.number)}",
            field="body.filing_date",
        )
    if data.filing_date > today or (data.grant_date is not None and data.grant_date > today):
        raise RuleViolation(
            "dates cannot be in the future", field="body.grant_date" if data.grant_date else "body.filing_date"
        )
    kind = _patent_kind(data.number)
    now = _now()
    expiry = docket.expiry_date(kind, data.filing_date)
    if data.grant_date is None:
        status = PatentStatus.PENDING
    else:
        status = PatentStatus.VALID if expiry > today else PatentStatus.EXPIRED
    patent = Patent(
        number=data.number,
        credit_code=credit_code,
        title=data.title,
        kind=kind.value,
        filing_date=data.filing_date,
        grant_date=data.grant_date,
        expiry_date=expiry,
        status=status,
        docket_from_date=today,
        created_at=now,
        updated_at=now,
    )
    session.add(patent)
    await _flush_or_conflict(session, f"patent {data.number} is already recorded")
    if patent.status == PatentStatus.VALID:
        await regenerate_deadlines(session, [patent])
        await _count_first_patent(session, patent)
    return patent


async def grant_patent(
    session: AsyncSession, principal: Principal, credit_code: str, number: str, grant_date: date, today: date
) -> Patent:
    """Record the grant of a pending application: its docket starts, and it may be the first."""
    await _writable_enterprise(session, principal, credit_code)
    patent = await repository.get_patent(session, number, for_update=True)
    if patent is None or patent.credit_code != credit_code:
        raise NotFound(f"no patent {number} of enterprise {credit_code}")
    if patent.status != PatentStatus.PENDING:
        raise Conflict(f"patent {number} is {patent.status}, not pending", allowed_moves=[])
    if grant_date < patent.filing_date or grant_date > today:
        raise RuleViolation("the grant date must fall between filing and today", field="body.grant_date")
    patent.grant_date = grant_date
    patent.status = PatentStatus.VALID if patent.expiry_date > today else PatentStatus.EXPIRED
    patent.updated_at = _now()
    await session.flush()
    if patent.status == PatentStatus.VALID:
        await regenerate_deadlines(session, [patent])
        await _count_first_patent(session, patent)
    return patent


async def _count_first_patent(session: AsyncSession, patent: Patent) -> None:
    """Zeroing-out: a grant while enrolled, to an enterprise with no other valid patent that day."""
    assert patent.grant_date is not None
    held = await repository.active_enrolment(session, patent.credit_code)
    if held is None or patent.grant_date < held.start_date:
        return
    if await repository.first_patent_of(session, patent.credit_code) is not None:
        return
    others = await repository.count_valid_patents(
        session, patent.credit_code, patent.grant_date, excluding=patent.number
    )
    if others:
        return
    assert held.id is not None
    row = FirstPatent(
        credit_code=patent.credit_code,
        patent_number=patent.number,
        grant_date=patent.grant_date,
        agency_id=held.agency_id,
        enrolment_id=held.id,
        counted_at=_now(),
    )
    session.add(row)
    add_to_outbox(
        session,
        FirstPatentV1(
            credit_code=row.credit_code,
            patent_number=row.patent_number,
            grant_date=row.grant_date,
            agency_id=row.agency_id,
            enrolment_id=row.enrolment_id,
            counted_at=row.counted_at,
        ),
        source=SOURCE,
        key=row.patent_number,
    )


async def add_trademark(
    session: AsyncSession, principal: Principal, credit_code: str, data: TrademarkCreate, today: date
) -> Trademark:
    """Record a trademark of the enterprise."""
    await _writable_enterprise(session, principal, credit_code)
    if await repository.get_trademark(session, data.number) is not None:
        raise Conflict(f"trademark {data.number} is already recorded")
    if data.registration_date is not None and data.registration_date > today:
        raise RuleViolation(f"{data.registration_date} is in the future", field="body.registration_date")
    mark = Trademark(
        number=data.number,
        credit_code=credit_code,
        mark=data.mark,
        nice_class=data.nice_class,
        registration_date=data.registration_date,
        created_at=_now(),
    )
    session.add(mark)
    await _flush_or_conflict(session, f"trademark {data.number} is already recorded")
    return mark


# --- docket ------------------------------------------------------------------------------------


async def regenerate_deadlines(session: AsyncSession, patents: Sequence[Patent]) -> int:
    """Add the deadlines these patents lack (never a second one for a patent year); returns how many."""
    added = 0
    now = _now()
    for start in range(0, len(patents), 5000):
        chunk = patents[start : start + 5000]
        held = await repository.deadline_years(session, [p.number for p in chunk])
        for patent in chunk:
            expected = docket.expected_deadlines(
                PatentKind(patent.kind), patent.filing_date, patent.grant_date, docket_from=patent.docket_from_date
            )
            for d in docket.missing_deadlines(expected, held[patent.number]):
                session.add(
                    FeeDeadline(
                        patent_number=patent.number,
                        patent_year=d.patent_year,
                        due_date=d.due_date,
                        grace_end_date=d.grace_end_date,
                        fee_fen=d.fee_fen,
                        status=DeadlineStatus.OPEN,
                        rules_version=docket.RULES.version,
                        created_at=now,
                    )
                )
                added += 1
    await session.flush()
    return added


async def run_docket(session: AsyncSession, as_of: date) -> DocketRunResult:
    """The daily job for `as_of`: regenerate, expire, lapse, remind. Running it again for the same
    day changes nothing and sends nothing twice."""
    if dialect_name(session) == "postgresql":
        # One run at a time across instances (the daily job and the endpoint may overlap).
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('trusteeship.docket'))"))
    added = await regenerate_deadlines(session, await repository.granted_valid_patents(session))

    expired = 0
    for ended in await repository.patents_expiring(session, as_of):
        ended.status = PatentStatus.EXPIRED
        ended.updated_at = _now()
        expired += 1

    lapsed = 0
    by_patent: dict[str, list[FeeDeadline]] = defaultdict(list)
    for deadline in await repository.deadlines_past_grace(session, as_of):
        by_patent[deadline.patent_number].append(deadline)
    for number, overdue in by_patent.items():
        lapsing = await repository.get_patent(session, number, for_update=True)
        assert lapsing is not None
        patent = lapsing
        first = min(overdue, key=lambda d: d.due_date)
        for deadline in await repository.open_deadlines_of(session, number):
            deadline.status = DeadlineStatus.LAPSED
            deadline.lapse_detected_on = as_of
        if patent.status != PatentStatus.VALID:
            continue
        patent.status = PatentStatus.LAPSED
        patent.lapsed_date = first.due_date  # the right ends as of the unpaid fee's due date
        patent.updated_at = _now()
        lapsed += 1
        add_to_outbox(
            session,
            PatentLapsedV1(
                patent_number=number,
                credit_code=patent.credit_code,
                agency_id=await repository.holder_of(session, patent.credit_code),
                patent_year=first.patent_year,
                due_date=first.due_date,
                grace_end_date=first.grace_end_date,
                lapsed_date=first.due_date,
                detected_on=as_of,
            ),
            source=SOURCE,
            key=number,
        )
    await session.flush()

    sent = await _send_reminders(session, as_of)
    return DocketRunResult(
        as_of=as_of, deadlines_added=added, reminders_sent=sent, patents_lapsed=lapsed, patents_expired=expired
    )


async def _send_reminders(session: AsyncSession, as_of: date) -> int:
    from datetime import timedelta

    horizon = as_of + timedelta(days=max(docket.RULES.reminder_days_before_due))
    window = await repository.deadlines_in_reminder_window(session, as_of, horizon)
    already = await repository.sent_reminders(session, [d.id for d, _, _ in window if d.id is not None])
    count = 0
    now = _now()
    for deadline, credit_code, agency_id in window:
        assert deadline.id is not None
        sent = {(Milestone(m), k) for m, k in already[deadline.id]}
        reminder = docket.reminder_for(deadline.due_date, deadline.grace_end_date, as_of, sent)
        if reminder is None:
            continue
        session.add(
            FeeReminder(
                deadline_id=deadline.id,
                milestone=reminder.milestone.value,
                offset_days=reminder.offset_days,
                reminded_on=as_of,
                created_at=now,
            )
        )
        add_to_outbox(
            session,
            FeeDueV1(
                deadline_id=deadline.id,
                patent_number=deadline.patent_number,
                credit_code=credit_code,
                agency_id=agency_id,
                patent_year=deadline.patent_year,
                milestone=reminder.milestone.value,
                offset_days=reminder.offset_days,
                days_left=reminder.days_left,
                due_date=deadline.due_date,
                grace_end_date=deadline.grace_end_date,
                fee=format_yuan(deadline.fee_fen),
                surcharge_if_paid_at_grace_end=format_yuan(
                    docket.surcharge_fen(deadline.fee_fen, deadline.due_date, deadline.grace_end_date)
                ),
                reminded_on=as_of,
            ),
            source=SOURCE,
            key=deadline.patent_number,
        )
        count += 1
    await session.flush()
    return count


async def record_payment(
    session: AsyncSession, principal: Principal, deadline_id: int, data: FeePaymentCreate, today: date
) -> tuple[FeeDeadline, FeePayment]:
    """Record that an annual fee was paid; a payment in the grace period carries its surcharge."""
    deadline = await repository.get_deadline(session, deadline_id, for_update=True)
    patent = await repository.get_patent(session, deadline.patent_number) if deadline else None
    if deadline is None or patent is None:
        raise NotFound(f"no fee deadline {deadline_id}")
    await _writable_enterprise(session, principal, patent.credit_code)
    if deadline.status != DeadlineStatus.OPEN:
        raise Conflict(f"the fee of year {deadline.patent_year} is {deadline.status}", allowed_moves=[])
    if data.paid_date > today:
        raise RuleViolation(f"{data.paid_date} is in the future", field="body.paid_date")
    if data.paid_date > deadline.grace_end_date:
        raise RuleViolation(
            f"the grace period ended on {deadline.grace_end_date}; the patent has lapsed", field="body.paid_date"
        )
    surcharge = docket.surcharge_fen(deadline.fee_fen, deadline.due_date, data.paid_date)
    payment = FeePayment(
        deadline_id=deadline_id,
        paid_date=data.paid_date,
        amount_fen=to_fen(data.amount),
        surcharge_fen=surcharge,
        recorded_by=principal.owner_key,
        recorded_at=_now(),
    )
    deadline.status = DeadlineStatus.PAID
    session.add(payment)
    await _flush_or_conflict(session, "this fee was paid at the same moment")
    return deadline, payment


# --- work logs ---------------------------------------------------------------------------------


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


async def _agency_of(session: AsyncSession, principal: Principal) -> Agency:
    agency = await repository.get_agency(session, str(principal.tenant_id))
    if agency is None:
        raise Forbidden("this agency is not registered with the district office")
    return agency


async def log_work(session: AsyncSession, principal: Principal, data: WorkLogCreate, today: date) -> WorkLog:
    """Log one piece of work for an enterprise the agency holds."""
    agency = await _agency_of(session, principal)
    held = await repository.active_enrolment(session, data.credit_code)
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
    entry = WorkLog(**_work_values(agency.id, held, data, _now()), source=WorkSource.SINGLE)  # type: ignore[arg-type]
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
_JSON_COLUMNS = frozenset({"patent_numbers", "trademark_numbers", "document_refs"})


async def _insert_work_logs(session: AsyncSession, values: list[dict[str, object]]) -> None:
    """Insert many work logs inside the session's transaction, as fast as the database allows.

    PostgreSQL: COPY through the session's own asyncpg connection (same transaction, so a failure
    still rolls everything back); about 3x the rows/s of a batched INSERT (benchmarks/trusteeship_bulk.py).
    SQLite: one executemany, which SQLAlchemy batches into multi-row INSERTs."""
    if dialect_name(session) != "postgresql":
        await session.execute(insert(WorkLog), values)
        return
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    records = [tuple(json.dumps(v[c]) if c in _JSON_COLUMNS else v[c] for c in _COPY_COLUMNS) for v in values]
    await driver.copy_records_to_table("work_log", records=records, columns=list(_COPY_COLUMNS))


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
    agency = await _agency_of(session, principal)
    held = await repository.held_enrolments(session, agency.id)
    errors = list(parsed.errors)
    for line, row in parsed.rows:
        enrolled = held.get(row.credit_code)
        for field, message in check_work(
            service_type=row.service_type.value,
            work_date=row.work_date,
            scope=agency.scope,
            held_since=enrolled.start_date if enrolled else None,
            today=today,
        ):
            errors.append(upload.RowError(line, field, message))
    if errors:
        parsed.errors = errors
        raise upload.reject(parsed, max_reported=max_reported_errors)

    upload_id = uuid.uuid4().hex
    now = _now()
    session.add(
        WorkUpload(id=upload_id, agency_id=agency.id, format=parsed.format, row_count=len(parsed.rows), created_at=now)
    )
    await session.flush()
    values = [
        {
            **_work_values(agency.id, held[row.credit_code], row, now),
            "source": WorkSource.BULK.value,
            "upload_id": upload_id,
        }
        for _, row in parsed.rows
    ]
    await _insert_work_logs(session, values)
    counts = Counter(row.service_type.value for _, row in parsed.rows)
    dates = [row.work_date for _, row in parsed.rows]
    result = WorkUploadAccepted(
        upload_id=upload_id,
        row_count=len(values),
        enterprise_count=len({row.credit_code for _, row in parsed.rows}),
        counts_by_service_type=dict(sorted(counts.items())),
    )
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


async def close_queue_item(session: AsyncSession, principal: Principal, item_id: int) -> WorkQueueItem:
    """Mark a queue item done (the agency that owns it, or an operator)."""
    item = await repository.readable_queue_item(session, principal, item_id, for_update=True)
    if item is None:
        raise NotFound(f"no work-queue item {item_id}")
    if item.status != "open":
        raise Conflict(f"the item is {item.status}", allowed_moves=[])
    item.status = "done"
    await session.flush()
    return item


# --- statistics --------------------------------------------------------------------------------


async def coverage_statistics(session: AsyncSession, principal: Principal) -> CoverageStatistics:
    """Cumulative coverage against 1000, and each agency's enterprises against its quota."""
    covered, active = await repository.coverage(session)
    rows = await repository.coverage_by_agency(session, principal)
    return CoverageStatistics(
        covered=covered,
        active=active,
        target=targets.TARGETS.enterprises_covered,
        progress_percent=str(targets.progress_percent(covered, targets.TARGETS.enterprises_covered)),
        agencies=[
            AgencyCoverage(
                agency_id=a.id,
                name=a.name,
                quota=a.quota,
                active=n,
                covered_ever=m,
                quota_used_percent=str(targets.progress_percent(n, a.quota)),
            )
            for a, n, m in rows
        ],
    )


async def valid_patent_statistics(
    session: AsyncSession, principal: Principal, today: date, from_year: int | None, to_year: int | None
) -> ValidPatentStatistics:
    """Enterprises (ever enrolled) holding a valid patent at each year's end, growth vs +15 %."""
    last = min(to_year or today.year, today.year)
    first = from_year or await repository.first_grant_year(session) or last
    first = min(first, last)
    if last - first > 50:
        raise RuleViolation("ask for at most 50 years", field="query.from_year")
    counts: dict[int, int] = {}
    for year in range(first - 1, last + 1):
        on = min(date(year, 12, 31), today)
        counts[year] = await repository.enterprises_with_valid_patent(session, on)
    years = []
    for year in range(first, last + 1):
        growth = targets.growth_percent(counts[year - 1], counts[year])
        years.append(
            ValidPatentYear(
                year=year,
                on_date=min(date(year, 12, 31), today),
                enterprises=counts[year],
                growth_percent=str(growth) if growth is not None else None,
                target_growth_percent=str(targets.TARGETS.valid_patent_growth_percent),
                met=targets.growth_met(growth),
            )
        )
    return ValidPatentStatistics(
        years=years,
        first_patents=await repository.count_first_patents(session, principal),
        zero_patent_enterprises=await repository.count_zero_patent(session, principal, today),
    )


async def certification_statistics(session: AsyncSession) -> CertificationStatistics:
    """GB/T 29490 certified enterprises (ever enrolled) against 300, and by year of certification."""
    dates = await repository.certifications(session)
    by_year = Counter(str(d.year) for d in dates)
    return CertificationStatistics(
        certified=len(dates),
        target=targets.TARGETS.certifications,
        progress_percent=str(targets.progress_percent(len(dates), targets.TARGETS.certifications)),
        by_year=dict(sorted(by_year.items())),
    )


async def work_statistics(
    session: AsyncSession, principal: Principal, from_date: date, to_date: date
) -> WorkStatistics:
    """Work per type per month in a window (an agency: its own)."""
    rows = await repository.work_by_month(session, principal, from_date=from_date, to_date=to_date)
    return WorkStatistics(
        rows=[WorkMonthRow(month=m, service_type=t, count=n, hours=f"{Decimal(h or 0):.2f}") for m, t, n, h in rows]
    )
