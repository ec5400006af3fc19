"""Queries of enrolments, and the tenancy they define: an agency reads the enterprises it holds or
held (any enrolment of its own) and only its own enrolments; another agency's are not found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from trusteeship.enums import EnrolmentStatus
from trusteeship.models import Enrolment, Enterprise


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


async def active_enrolment(session: AsyncSession, credit_code: str, *, for_update: bool = False) -> Enrolment | None:
    """The enrolment holding an enterprise now, if any."""
    query = select(Enrolment).where(
        col(Enrolment.credit_code) == credit_code, col(Enrolment.status) == EnrolmentStatus.ACTIVE
    )
    if for_update:
        query = query.with_for_update()
    result: Enrolment | None = (await session.scalars(query)).first()
    return result


async def holder_of(session: AsyncSession, credit_code: str) -> str | None:
    """The agency holding an enterprise now."""
    enrolment = await active_enrolment(session, credit_code)
    return enrolment.agency_id if enrolment else None


async def get_enrolment(session: AsyncSession, enrolment_id: str, *, for_update: bool = False) -> Enrolment | None:
    """An enrolment by id."""
    return await session.get(Enrolment, enrolment_id, with_for_update=for_update)


async def readable_enrolment(session: AsyncSession, principal: Principal, enrolment_id: str) -> Enrolment | None:
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
        .order_by(col(Enrolment.start_date), col(Enrolment.created_at), col(Enrolment.id))
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
    rows = await session.scalars(
        query.order_by(col(Enrolment.created_at).desc(), col(Enrolment.id).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def held_enrolments(session: AsyncSession, agency_id: str) -> dict[str, Enrolment]:
    """The enterprises an agency holds now, by credit code (one query for a whole bulk upload)."""
    rows = await session.scalars(
        select(Enrolment).where(col(Enrolment.agency_id) == agency_id, col(Enrolment.status) == EnrolmentStatus.ACTIVE)
    )
    return {e.credit_code: e for e in rows.all()}
