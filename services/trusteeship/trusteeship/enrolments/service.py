"""Enrolment use cases: enrol, transfer, exit, read; and who may change an enterprise. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.trusteeship import EnterpriseEnrolledV1, EnterpriseExitedV1, EnterpriseTransferredV1
from ipops.db import flush_or_conflict
from ipops.errors import Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import to_fen
from trusteeship.agencies import repository as agencies
from trusteeship.agencies.service import contract
from trusteeship.common import SOURCE
from trusteeship.domain import enrolment, indicators
from trusteeship.enrolments import repository
from trusteeship.enrolments.schemas import EnrolmentCreate, EnrolmentExit, EnrolmentTransfer, EnterpriseCreate
from trusteeship.enums import EnrolmentStatus
from trusteeship.models import Enrolment, Enterprise
from trusteeship.statistics.service import recount_enterprise


async def enrol(
    session: AsyncSession, principal: Principal, data: EnrolmentCreate, today: date
) -> tuple[Enrolment, Enterprise]:
    """Take an enterprise into trusteeship with one agency (registering the enterprise if new)."""
    agency_id = _enrolling_agency(principal, data)
    indicators.check_business_date(data.start_date, today, field="body.start_date")
    # Locking the agency row serialises its enrolments, so two at once cannot both take the last
    # place of the quota.
    agency = await agencies.get_agency(session, agency_id, for_update=True)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    enterprise = await _registered(session, data.enterprise)
    code = enterprise.credit_code
    # the enterprise is locked: its history (the enrolment holding it now included) cannot change
    history = await repository.enrolment_history(session, code)
    held = next((e for e in history if e.status == EnrolmentStatus.ACTIVE), None)
    if held is None:
        last_end = max((e.end_date for e in history if e.end_date is not None), default=None)
        enrolment.check_starts_after(last_end, data.start_date)
    enrolment.check_can_enrol(
        contract(agency),
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
        created_at=utc_now(),
    )
    session.add(row)
    await flush_or_conflict(session, f"enterprise {code} was enrolled by another agency at the same moment")
    add_to_outbox(
        session,
        EnterpriseEnrolledV1(
            enrolment_id=row.id,
            agency_id=agency.id,
            credit_code=code,
            enterprise_name=enterprise.name,
            start_date=row.start_date,
            first_enrolment=not history,
            enrolled_at=row.created_at,
        ),
        source=SOURCE,
        key=code,
    )
    await recount_enterprise(session, code, "enrolled", locked=enterprise)
    return row, enterprise


def _enrolling_agency(principal: Principal, data: EnrolmentCreate) -> str:
    """An agency enrols for itself; an operator names the agency."""
    if principal.is_operator:
        if not data.agency_id:
            raise RuleViolation("operators name the enrolling agency", field="body.agency_id")
        return data.agency_id
    if data.agency_id and data.agency_id != principal.tenant_id:
        raise RuleViolation("an agency enrols enterprises for itself", field="body.agency_id")
    return str(principal.tenant_id)


async def _registered(session: AsyncSession, data: EnterpriseCreate) -> Enterprise:
    """The enterprise (locked), registered now if this is its first enrolment."""
    enterprise = await repository.get_enterprise(session, data.credit_code, for_update=True)
    if enterprise is not None:
        return enterprise
    now = utc_now()
    enterprise = Enterprise(
        credit_code=data.credit_code,
        name=data.name,
        industry=data.industry,
        size=data.size.value,
        employees=data.employees,
        yearly_revenue_fen=None if data.yearly_revenue is None else to_fen(data.yearly_revenue),
        address=data.address,
        created_at=now,
        updated_at=now,
    )
    session.add(enterprise)
    await flush_or_conflict(session, f"enterprise {data.credit_code} was registered at the same moment; retry")
    return enterprise


async def transfer(
    session: AsyncSession, enrolment_id: str, data: EnrolmentTransfer, today: date
) -> tuple[Enrolment, Enrolment]:
    """Move an enterprise to another agency: end the old enrolment and start the new on one day."""
    old = await repository.get_enrolment(session, enrolment_id, for_update=True)
    if old is None:
        raise NotFound(f"no enrolment {enrolment_id}")
    new_status = enrolment.move(old.status, "transfer")
    if data.to_agency_id == old.agency_id:
        raise RuleViolation("the enterprise is already with this agency", field="body.to_agency_id")
    target = await agencies.get_agency(session, data.to_agency_id, for_update=True)
    if target is None:
        raise RuleViolation(f"no agency {data.to_agency_id}", field="body.to_agency_id")
    indicators.check_business_date(data.transfer_date, today, field="body.transfer_date")
    enrolment.check_end(old.start_date, data.transfer_date, field="body.transfer_date")
    enrolment.check_within_contract(contract(target), data.transfer_date, field="body.transfer_date")
    active = await repository.count_active(session, target.id)
    if active >= target.quota:
        raise RuleViolation(
            f"agency {target.id} holds {active}, its quota is {target.quota}", field="body.to_agency_id"
        )
    now = utc_now()
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
    await flush_or_conflict(session, "the enterprise changed hands at the same moment; retry")
    old.transferred_to_enrolment_id = new.id
    add_to_outbox(session, _transferred(old, new, data), source=SOURCE, key=old.credit_code)
    # A transfer is not an end: the span goes on (re-counted so the ledger agrees with the rows).
    await recount_enterprise(session, old.credit_code, "transferred")
    return old, new


def _transferred(old: Enrolment, new: Enrolment, data: EnrolmentTransfer) -> EnterpriseTransferredV1:
    return EnterpriseTransferredV1(
        credit_code=old.credit_code,
        from_agency_id=old.agency_id,
        to_agency_id=new.agency_id,
        from_enrolment_id=old.id,
        to_enrolment_id=new.id,
        transfer_date=data.transfer_date,
        reason=data.reason,
        transferred_at=new.created_at,
    )


async def exit_enrolment(
    session: AsyncSession, principal: Principal, enrolment_id: str, data: EnrolmentExit, today: date
) -> Enrolment:
    """End an enrolment (the holding agency or an operator)."""
    row = await repository.readable_enrolment(session, principal, enrolment_id)
    if row is None:
        raise NotFound(f"no enrolment {enrolment_id}")
    row = await repository.get_enrolment(session, enrolment_id, for_update=True)
    assert row is not None
    row.status = enrolment.move(row.status, "exit")
    indicators.check_business_date(data.end_date, today, field="body.end_date")
    enrolment.check_end(row.start_date, data.end_date, field="body.end_date")
    row.end_date = data.end_date
    row.end_reason = data.reason
    row.ended_at = utc_now()
    await session.flush()
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
    await recount_enterprise(session, row.credit_code, "exited")
    return row


async def list_enrolments(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Enrolment], int]:
    """Enrolments the caller may read, newest first, and their total."""
    return await repository.list_enrolments(
        session, principal, credit_code=credit_code, status=status, limit=limit, offset=offset
    )


async def readable_enterprise(session: AsyncSession, principal: Principal, credit_code: str) -> Enterprise:
    """An enterprise the caller may read (an agency: one it holds or held); others are not found.
    Codes are stored in upper case; the error names the code as asked for."""
    enterprise = await repository.readable_enterprise(session, principal, credit_code.upper())
    if enterprise is None:
        raise NotFound(f"no enterprise {credit_code}")
    return enterprise


async def writable_enterprise(session: AsyncSession, principal: Principal, credit_code: str) -> Enterprise:
    """An enterprise the caller may change: operators any; an agency only one it holds now. One it
    held before is readable but no longer its to change (403); others do not exist for it (404)."""
    enterprise = await readable_enterprise(session, principal, credit_code)
    if not principal.is_operator:
        holder = await repository.holder_of(session, enterprise.credit_code)
        if holder != principal.tenant_id:
            raise Forbidden("the agency no longer holds this enterprise")
    return enterprise
