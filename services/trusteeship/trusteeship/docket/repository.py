"""Queries of the docket: patents as the docket walks them, deadlines, payments and reminders.
An agency's window holds only the deadlines of enterprises it holds now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, exists, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.db import dialect_name
from trusteeship.enums import DeadlineStatus, EnrolmentStatus, PatentStatus
from trusteeship.models import Enrolment, FeeDeadline, FeePayment, FeeReminder, Patent


async def lock_docket_run(session: AsyncSession) -> None:
    """One run at a time across instances (the daily job and the endpoint may overlap); PostgreSQL
    only, since SQLite has a single writer anyway. Held until the transaction ends."""
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('trusteeship.docket'))"))


async def get_patent(session: AsyncSession, number: str, *, for_update: bool = False) -> Patent | None:
    """A patent by normalised number."""
    return await session.get(Patent, number, with_for_update=for_update)


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


async def lapsed_deadlines_of(session: AsyncSession, patent_number: str) -> Sequence[FeeDeadline]:
    """A patent's deadlines closed by its lapse, earliest first (locked: a restoration reopens them)."""
    rows = await session.scalars(
        select(FeeDeadline)
        .where(col(FeeDeadline.patent_number) == patent_number, col(FeeDeadline.status) == DeadlineStatus.LAPSED)
        .order_by(col(FeeDeadline.due_date))
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
        .order_by(col(FeeDeadline.due_date), col(FeeDeadline.patent_number), col(FeeDeadline.id))
    )
    return [(d, c, a) for d, c, a in rows.all()]


async def sent_reminders(session: AsyncSession, deadline_ids: Sequence[str]) -> dict[str, set[tuple[str, int]]]:
    """(milestone, offset) pairs already sent, per deadline."""
    out: dict[str, set[tuple[str, int]]] = {i: set() for i in deadline_ids}
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


async def get_deadline(session: AsyncSession, deadline_id: str, *, for_update: bool = False) -> FeeDeadline | None:
    """A deadline by id."""
    return await session.get(FeeDeadline, deadline_id, with_for_update=for_update)


async def payments_for(session: AsyncSession, deadline_ids: Sequence[str]) -> dict[str, FeePayment]:
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
        query.order_by(col(FeeDeadline.due_date), col(FeeDeadline.patent_number), col(FeeDeadline.id))
        .limit(limit)
        .offset(offset)
    )
    return [(d, c) for d, c in rows.all()], int(total or 0)
