"""Every query of the trusteeship service.

Tenancy lives here: an agency reads only enterprises it holds or held (any enrolment of its own),
and only its own work logs, queue and deadlines; another agency's object is simply not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.db import dialect_name
from trusteeship.enums import DeadlineStatus, EnrolmentStatus, PatentStatus
from trusteeship.models import (
    Agency,
    Enrolment,
    Enterprise,
    EnterpriseLoan,
    EnterpriseProject,
    FeeDeadline,
    FeePayment,
    FeeReminder,
    FirstPatent,
    Patent,
    Trademark,
    WorkLog,
    WorkQueueItem,
)

# --- agencies ----------------------------------------------------------------------------------


async def get_agency(session: AsyncSession, agency_id: str, *, for_update: bool = False) -> Agency | None:
    """An agency by id (`for_update` serialises enrolments against its quota)."""
    return await session.get(Agency, agency_id, with_for_update=for_update)


async def get_agency_by_contract(session: AsyncSession, contract_number: str) -> Agency | None:
    """The agency holding a contract number."""
    return (await session.scalars(select(Agency).where(col(Agency.contract_number) == contract_number))).first()


async def list_agencies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[Agency], int]:
    """Agencies by name: all for operators, its own for an agency."""
    query = select(Agency)
    if not principal.is_operator:
        query = query.where(col(Agency.id) == principal.tenant_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Agency.name), col(Agency.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def readable_agency(session: AsyncSession, principal: Principal, agency_id: str) -> Agency | None:
    """An agency the caller may read (an agency reads only itself)."""
    if not principal.is_operator and principal.tenant_id != agency_id:
        return None
    return await get_agency(session, agency_id)


# --- enterprises and enrolments ----------------------------------------------------------------


def _held_ever_by(agency_id: str | None) -> ColumnElement[bool]:
    return exists().where(
        col(Enrolment.credit_code) == col(Enterprise.credit_code), col(Enrolment.agency_id) == agency_id
    )


def readable_enterprises(principal: Principal) -> Any:
    """The enterprises the caller may read, as a select: an agency's are those it holds or held."""
    query = select(Enterprise)
    if not principal.is_operator:
        query = query.where(_held_ever_by(principal.tenant_id))
    return query


async def get_enterprise(session: AsyncSession, credit_code: str, *, for_update: bool = False) -> Enterprise | None:
    """An enterprise by credit code, whoever holds it (for use cases that check access themselves)."""
    return await session.get(Enterprise, credit_code, with_for_update=for_update)


async def readable_enterprise(session: AsyncSession, principal: Principal, credit_code: str) -> Enterprise | None:
    """An enterprise the caller may read, or None (also when it exists but belongs to others)."""
    query = readable_enterprises(principal).where(col(Enterprise.credit_code) == credit_code)
    result: Enterprise | None = (await session.scalars(query)).first()
    return result


async def list_enterprises(
    session: AsyncSession, principal: Principal, *, active_only: bool, limit: int, offset: int
) -> tuple[list[tuple[Enterprise, str | None]], int]:
    """Readable enterprises by name with their current agency, and the total."""
    current = (
        select(col(Enrolment.agency_id))
        .where(
            col(Enrolment.credit_code) == col(Enterprise.credit_code), col(Enrolment.status) == EnrolmentStatus.ACTIVE
        )
        .correlate(Enterprise)
        .scalar_subquery()
    )
    query = readable_enterprises(principal)
    if active_only:
        holder = principal.tenant_id if not principal.is_operator else None
        query = query.where(
            exists().where(
                col(Enrolment.credit_code) == col(Enterprise.credit_code),
                col(Enrolment.status) == EnrolmentStatus.ACTIVE,
                *([col(Enrolment.agency_id) == holder] if holder else []),
            )
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(
        query.add_columns(current)
        .order_by(col(Enterprise.name), col(Enterprise.credit_code))
        .limit(limit)
        .offset(offset)
    )
    return [(e, a) for e, a in rows.all()], int(total or 0)


async def active_enrolment(session: AsyncSession, credit_code: str, *, for_update: bool = False) -> Enrolment | None:
    """The enrolment holding an enterprise now, if any."""
    query = select(Enrolment).where(
        col(Enrolment.credit_code) == credit_code, col(Enrolment.status) == EnrolmentStatus.ACTIVE
    )
    if for_update:
        query = query.with_for_update()
    result: Enrolment | None = (await session.scalars(query)).first()
    return result


async def get_enrolment(session: AsyncSession, enrolment_id: int, *, for_update: bool = False) -> Enrolment | None:
    """An enrolment by id."""
    return await session.get(Enrolment, enrolment_id, with_for_update=for_update)


async def readable_enrolment(session: AsyncSession, principal: Principal, enrolment_id: int) -> Enrolment | None:
    """An enrolment the caller may read (an agency: its own enrolments)."""
    query = select(Enrolment).where(col(Enrolment.id) == enrolment_id)
    if not principal.is_operator:
        query = query.where(col(Enrolment.agency_id) == principal.tenant_id)
    result: Enrolment | None = (await session.scalars(query)).first()
    return result


async def count_active(session: AsyncSession, agency_id: str) -> int:
    """How many enterprises an agency holds now."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(col(Enrolment.agency_id) == agency_id, col(Enrolment.status) == EnrolmentStatus.ACTIVE)
        )
        or 0
    )


async def enrolment_history(session: AsyncSession, credit_code: str) -> Sequence[Enrolment]:
    """All enrolments of an enterprise, oldest first."""
    rows = await session.scalars(
        select(Enrolment)
        .where(col(Enrolment.credit_code) == credit_code)
        .order_by(col(Enrolment.start_date), col(Enrolment.id))
    )
    return rows.all()


async def list_enrolments(
    session: AsyncSession, principal: Principal, *, credit_code: str | None, status: str | None, limit: int, offset: int
) -> tuple[Sequence[Enrolment], int]:
    """Enrolments, newest first; an agency sees its own."""
    query = select(Enrolment)
    if not principal.is_operator:
        query = query.where(col(Enrolment.agency_id) == principal.tenant_id)
    if credit_code:
        query = query.where(col(Enrolment.credit_code) == credit_code)
    if status:
        query = query.where(col(Enrolment.status) == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Enrolment.id).desc()).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def held_enrolments(session: AsyncSession, agency_id: str) -> dict[str, Enrolment]:
    """The enterprises an agency holds now, by credit code (one query for a whole bulk upload)."""
    rows = await session.scalars(
        select(Enrolment).where(col(Enrolment.agency_id) == agency_id, col(Enrolment.status) == EnrolmentStatus.ACTIVE)
    )
    return {e.credit_code: e for e in rows.all()}


# --- patents, trademarks, profile copies -------------------------------------------------------


def valid_on(day: date) -> ColumnElement[bool]:
    """SQL twin of `domain.docket.is_valid_on`: granted by `day`, not expired, not lapsed."""
    return and_(
        col(Patent.grant_date).is_not(None),
        col(Patent.grant_date) <= day,
        col(Patent.expiry_date) > day,
        or_(col(Patent.lapsed_date).is_(None), col(Patent.lapsed_date) > day),
    )


async def get_patent(session: AsyncSession, number: str, *, for_update: bool = False) -> Patent | None:
    """A patent by normalised number."""
    return await session.get(Patent, number, with_for_update=for_update)


async def patents_of(session: AsyncSession, credit_code: str) -> Sequence[Patent]:
    """An enterprise's patents by filing date."""
    rows = await session.scalars(
        select(Patent)
        .where(col(Patent.credit_code) == credit_code)
        .order_by(col(Patent.filing_date), col(Patent.number))
    )
    return rows.all()


async def count_valid_patents(
    session: AsyncSession, credit_code: str, day: date, *, excluding: str | None = None
) -> int:
    """How many patents of an enterprise are valid on `day`."""
    query = select(func.count()).select_from(Patent).where(col(Patent.credit_code) == credit_code, valid_on(day))
    if excluding is not None:
        query = query.where(col(Patent.number) != excluding)
    return int(await session.scalar(query) or 0)


async def get_trademark(session: AsyncSession, number: str) -> Trademark | None:
    """A trademark by registration number."""
    return await session.get(Trademark, number)


async def trademarks_of(session: AsyncSession, credit_code: str) -> Sequence[Trademark]:
    """An enterprise's trademarks."""
    rows = await session.scalars(
        select(Trademark).where(col(Trademark.credit_code) == credit_code).order_by(col(Trademark.number))
    )
    return rows.all()


async def loans_of(session: AsyncSession, credit_code: str) -> Sequence[EnterpriseLoan]:
    """Pledge loans approved for an enterprise, newest first."""
    rows = await session.scalars(
        select(EnterpriseLoan)
        .where(col(EnterpriseLoan.credit_code) == credit_code)
        .order_by(col(EnterpriseLoan.approved_at).desc())
    )
    return rows.all()


async def projects_of(session: AsyncSession, credit_code: str) -> Sequence[EnterpriseProject]:
    """Navigation projects for an enterprise, newest first."""
    rows = await session.scalars(
        select(EnterpriseProject)
        .where(col(EnterpriseProject.credit_code) == credit_code)
        .order_by(col(EnterpriseProject.accepted_at).desc())
    )
    return rows.all()


async def first_patent_of(session: AsyncSession, credit_code: str) -> FirstPatent | None:
    """The zeroing-out record of an enterprise, if any."""
    return await session.get(FirstPatent, credit_code)


async def list_first_patents(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[FirstPatent], int]:
    """Zeroing-out conversions, newest first; an agency sees those it achieved."""
    query = select(FirstPatent)
    if not principal.is_operator:
        query = query.where(col(FirstPatent.agency_id) == principal.tenant_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(FirstPatent.grant_date).desc(), col(FirstPatent.credit_code)).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


def _zero_patent_query(principal: Principal, day: date) -> Any:
    holder = [col(Enrolment.agency_id) == principal.tenant_id] if not principal.is_operator else []
    return select(Enterprise).where(
        exists().where(
            col(Enrolment.credit_code) == col(Enterprise.credit_code),
            col(Enrolment.status) == EnrolmentStatus.ACTIVE,
            *holder,
        ),
        ~exists().where(col(Patent.credit_code) == col(Enterprise.credit_code), valid_on(day)),
    )


async def list_zero_patent(
    session: AsyncSession, principal: Principal, day: date, *, limit: int, offset: int
) -> tuple[Sequence[Enterprise], int]:
    """Enterprises held now without a valid patent on `day` (the zeroing-out candidates)."""
    query = _zero_patent_query(principal, day)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(Enterprise.name)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def count_zero_patent(session: AsyncSession, principal: Principal, day: date) -> int:
    """How many held enterprises have no valid patent on `day`."""
    query = _zero_patent_query(principal, day)
    return int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)


# --- docket ------------------------------------------------------------------------------------


async def deadline_years(session: AsyncSession, numbers: Sequence[str]) -> dict[str, set[int]]:
    """Patent years already docketed, per patent."""
    out: dict[str, set[int]] = {n: set() for n in numbers}
    if not numbers:
        return out
    rows = await session.execute(
        select(col(FeeDeadline.patent_number), col(FeeDeadline.patent_year)).where(
            col(FeeDeadline.patent_number).in_(list(numbers))
        )
    )
    for number, year in rows.all():
        out[number].add(year)
    return out


async def granted_valid_patents(session: AsyncSession) -> Sequence[Patent]:
    """Every granted patent still in force (what the daily regeneration walks)."""
    rows = await session.scalars(
        select(Patent).where(col(Patent.status) == PatentStatus.VALID, col(Patent.grant_date).is_not(None))
    )
    return rows.all()


async def patents_expiring(session: AsyncSession, as_of: date) -> Sequence[Patent]:
    """Patents still marked valid whose term has ended by `as_of`."""
    rows = await session.scalars(
        select(Patent).where(col(Patent.status) == PatentStatus.VALID, col(Patent.expiry_date) <= as_of)
    )
    return rows.all()


async def deadlines_past_grace(session: AsyncSession, as_of: date) -> Sequence[FeeDeadline]:
    """Open deadlines whose grace period ended before `as_of`, oldest first."""
    rows = await session.scalars(
        select(FeeDeadline)
        .where(col(FeeDeadline.status) == DeadlineStatus.OPEN, col(FeeDeadline.grace_end_date) < as_of)
        .order_by(col(FeeDeadline.patent_number), col(FeeDeadline.due_date))
        .with_for_update()
    )
    return rows.all()


async def open_deadlines_of(session: AsyncSession, patent_number: str) -> Sequence[FeeDeadline]:
    """A patent's open deadlines."""
    rows = await session.scalars(
        select(FeeDeadline).where(
            col(FeeDeadline.patent_number) == patent_number, col(FeeDeadline.status) == DeadlineStatus.OPEN
        )
    )
    return rows.all()


async def deadlines_in_reminder_window(
    session: AsyncSession, as_of: date, horizon: date
) -> list[tuple[FeeDeadline, str, str]]:
    """Open deadlines due by `horizon` whose grace period has not ended, for patents of enterprises
    held now: (deadline, credit code, holding agency)."""
    rows = await session.execute(
        select(FeeDeadline, col(Patent.credit_code), col(Enrolment.agency_id))
        .join(Patent, col(Patent.number) == col(FeeDeadline.patent_number))
        .join(
            Enrolment,
            and_(
                col(Enrolment.credit_code) == col(Patent.credit_code), col(Enrolment.status) == EnrolmentStatus.ACTIVE
            ),
        )
        .where(
            col(FeeDeadline.status) == DeadlineStatus.OPEN,
            col(FeeDeadline.due_date) <= horizon,
            col(FeeDeadline.grace_end_date) >= as_of,
        )
        .order_by(col(FeeDeadline.due_date), col(FeeDeadline.id))
    )
    return [(d, c, a) for d, c, a in rows.all()]


async def sent_reminders(session: AsyncSession, deadline_ids: Sequence[int]) -> dict[int, set[tuple[str, int]]]:
    """(milestone, offset) pairs already sent, per deadline."""
    out: dict[int, set[tuple[str, int]]] = {i: set() for i in deadline_ids}
    for start in range(0, len(deadline_ids), 5000):
        chunk = list(deadline_ids[start : start + 5000])
        rows = await session.execute(
            select(col(FeeReminder.deadline_id), col(FeeReminder.milestone), col(FeeReminder.offset_days)).where(
                col(FeeReminder.deadline_id).in_(chunk)
            )
        )
        for deadline_id, milestone, offset in rows.all():
            out[deadline_id].add((milestone, offset))
    return out


async def holder_of(session: AsyncSession, credit_code: str) -> str | None:
    """The agency holding an enterprise now."""
    enrolment = await active_enrolment(session, credit_code)
    return enrolment.agency_id if enrolment else None


async def get_deadline(session: AsyncSession, deadline_id: int, *, for_update: bool = False) -> FeeDeadline | None:
    """A deadline by id."""
    return await session.get(FeeDeadline, deadline_id, with_for_update=for_update)


async def payments_for(session: AsyncSession, deadline_ids: Sequence[int]) -> dict[int, FeePayment]:
    """Payments of the given deadlines."""
    if not deadline_ids:
        return {}
    rows = await session.scalars(select(FeePayment).where(col(FeePayment.deadline_id).in_(list(deadline_ids))))
    return {p.deadline_id: p for p in rows.all()}


async def docket_of(session: AsyncSession, credit_code: str) -> Sequence[tuple[FeeDeadline, str]]:
    """Every deadline of an enterprise's patents, by due date."""
    rows = await session.execute(
        select(FeeDeadline, col(Patent.credit_code))
        .join(Patent, col(Patent.number) == col(FeeDeadline.patent_number))
        .where(col(Patent.credit_code) == credit_code)
        .order_by(col(FeeDeadline.due_date), col(FeeDeadline.patent_number))
    )
    return [(d, c) for d, c in rows.all()]


async def list_docket(
    session: AsyncSession,
    principal: Principal,
    *,
    from_date: date,
    to_date: date,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[FeeDeadline, str]], int]:
    """Deadlines due in a window, by due date; an agency sees those of enterprises it holds now."""
    query = (
        select(FeeDeadline, col(Patent.credit_code))
        .join(Patent, col(Patent.number) == col(FeeDeadline.patent_number))
        .where(col(FeeDeadline.due_date) >= from_date, col(FeeDeadline.due_date) <= to_date)
    )
    if status:
        query = query.where(col(FeeDeadline.status) == status)
    if not principal.is_operator:
        query = query.where(
            exists().where(
                col(Enrolment.credit_code) == col(Patent.credit_code),
                col(Enrolment.status) == EnrolmentStatus.ACTIVE,
                col(Enrolment.agency_id) == principal.tenant_id,
            )
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(
        query.order_by(col(FeeDeadline.due_date), col(FeeDeadline.id)).limit(limit).offset(offset)
    )
    return [(d, c) for d, c in rows.all()], int(total or 0)


# --- work logs and queue -----------------------------------------------------------------------


async def list_work_logs(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    service_type: str | None,
    from_date: date | None,
    to_date: date | None,
    upload_id: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[WorkLog], int]:
    """Work logs, newest work first; an agency sees its own."""
    query = select(WorkLog)
    if not principal.is_operator:
        query = query.where(col(WorkLog.agency_id) == principal.tenant_id)
    if credit_code:
        query = query.where(col(WorkLog.credit_code) == credit_code)
    if service_type:
        query = query.where(col(WorkLog.service_type) == service_type)
    if from_date:
        query = query.where(col(WorkLog.work_date) >= from_date)
    if to_date:
        query = query.where(col(WorkLog.work_date) <= to_date)
    if upload_id:
        query = query.where(col(WorkLog.upload_id) == upload_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(WorkLog.work_date).desc(), col(WorkLog.id).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def queue_item_exists(
    session: AsyncSession, agency_id: str, source_kind: str, reference: str, credit_code: str
) -> bool:
    """Whether this item is already in the agency's queue."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    col(WorkQueueItem.agency_id) == agency_id,
                    col(WorkQueueItem.source_kind) == source_kind,
                    col(WorkQueueItem.reference) == reference,
                    col(WorkQueueItem.credit_code) == credit_code,
                )
            )
        )
    )


async def readable_queue_item(
    session: AsyncSession, principal: Principal, item_id: int, *, for_update: bool = False
) -> WorkQueueItem | None:
    """A queue item the caller may see (an agency: its own)."""
    query = select(WorkQueueItem).where(col(WorkQueueItem.id) == item_id)
    if not principal.is_operator:
        query = query.where(col(WorkQueueItem.agency_id) == principal.tenant_id)
    if for_update:
        query = query.with_for_update()
    result: WorkQueueItem | None = (await session.scalars(query)).first()
    return result


async def list_queue(
    session: AsyncSession, principal: Principal, *, status: str | None, limit: int, offset: int
) -> tuple[Sequence[WorkQueueItem], int]:
    """The work queue, newest first; an agency sees its own."""
    query = select(WorkQueueItem)
    if not principal.is_operator:
        query = query.where(col(WorkQueueItem.agency_id) == principal.tenant_id)
    if status:
        query = query.where(col(WorkQueueItem.status) == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(col(WorkQueueItem.id).desc()).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


# --- statistics --------------------------------------------------------------------------------


async def coverage(session: AsyncSession) -> tuple[int, int]:
    """(distinct enterprises ever enrolled, enterprises held now)."""
    covered = await session.scalar(select(func.count(func.distinct(col(Enrolment.credit_code)))))
    active = await session.scalar(
        select(func.count()).select_from(Enrolment).where(col(Enrolment.status) == EnrolmentStatus.ACTIVE)
    )
    return int(covered or 0), int(active or 0)


async def coverage_by_agency(session: AsyncSession, principal: Principal) -> list[tuple[Agency, int, int]]:
    """(agency, held now, distinct ever enrolled) per agency; an agency gets its own row."""
    active = func.count(func.distinct(col(Enrolment.credit_code))).filter(
        col(Enrolment.status) == EnrolmentStatus.ACTIVE
    )
    ever = func.count(func.distinct(col(Enrolment.credit_code)))
    query = (
        select(Agency, active, ever)
        .outerjoin(Enrolment, col(Enrolment.agency_id) == col(Agency.id))
        .group_by(col(Agency.id))
        .order_by(col(Agency.id))
    )
    if not principal.is_operator:
        query = query.where(col(Agency.id) == principal.tenant_id)
    rows = await session.execute(query)
    return [(a, int(n or 0), int(m or 0)) for a, n, m in rows.all()]


async def enterprises_with_valid_patent(session: AsyncSession, day: date) -> int:
    """Distinct enterprises ever enrolled holding at least one valid patent on `day`."""
    query = select(func.count(func.distinct(col(Patent.credit_code)))).where(
        valid_on(day), exists().where(col(Enrolment.credit_code) == col(Patent.credit_code))
    )
    return int(await session.scalar(query) or 0)


async def first_grant_year(session: AsyncSession) -> int | None:
    """The year of the earliest grant recorded."""
    first = await session.scalar(select(func.min(col(Patent.grant_date))))
    return first.year if first else None


async def count_first_patents(session: AsyncSession, principal: Principal) -> int:
    """Zeroing-out conversions (an agency: its own)."""
    query = select(func.count()).select_from(FirstPatent)
    if not principal.is_operator:
        query = query.where(col(FirstPatent.agency_id) == principal.tenant_id)
    return int(await session.scalar(query) or 0)


async def certifications(session: AsyncSession) -> list[date]:
    """Certification dates of enterprises ever enrolled."""
    rows = await session.scalars(
        select(col(Enterprise.gbt29490_certified_date)).where(
            col(Enterprise.gbt29490_certified_date).is_not(None),
            exists().where(col(Enrolment.credit_code) == col(Enterprise.credit_code)),
        )
    )
    return [d for d in rows.all() if d is not None]


async def work_by_month(
    session: AsyncSession, principal: Principal, *, from_date: date, to_date: date
) -> list[tuple[str, str, int, Any]]:
    """(month "YYYY-MM", service type, count, hours) over a window; an agency: its own."""
    if dialect_name(session) == "postgresql":
        month = func.to_char(col(WorkLog.work_date), "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", col(WorkLog.work_date))
    query = (
        select(
            month.label("month"),
            col(WorkLog.service_type),
            func.count(),
            func.coalesce(func.sum(col(WorkLog.hours)), 0),
        )
        .where(col(WorkLog.work_date) >= from_date, col(WorkLog.work_date) <= to_date)
        .group_by(month, col(WorkLog.service_type))
        .order_by(month, col(WorkLog.service_type))
    )
    if not principal.is_operator:
        query = query.where(col(WorkLog.agency_id) == principal.tenant_id)
    rows = await session.execute(query)
    return [(m, t, int(n), h) for m, t, n, h in rows.all()]
