"""Queries of enterprises, their patents, trademarks, first patents and the local copies of loans
and projects. What an agency may read is the enrolments' rule (`enrolments.repository`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from trusteeship.enrolments.repository import readable_enterprises
from trusteeship.enums import EnrolmentStatus
from trusteeship.models import (
    Enrolment,
    Enterprise,
    EnterpriseLoan,
    EnterpriseProject,
    FirstPatent,
    Patent,
    Trademark,
)


def valid_on(day: date) -> ColumnElement[bool]:
    """SQL twin of `domain.docket.is_valid_on`: granted by `day`, not expired, not lapsed."""
    return and_(
        col(Patent.grant_date).is_not(None),
        col(Patent.grant_date) <= day,
        col(Patent.expiry_date) > day,
        or_(col(Patent.lapsed_date).is_(None), col(Patent.lapsed_date) > day),
    )


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


async def get_loan(session: AsyncSession, loan_id: str) -> EnterpriseLoan | None:
    """The local copy of a pledge loan."""
    return await session.get(EnterpriseLoan, loan_id)


async def loans_of(session: AsyncSession, credit_code: str) -> Sequence[EnterpriseLoan]:
    """Pledge loans approved for an enterprise, newest first."""
    rows = await session.scalars(
        select(EnterpriseLoan)
        .where(col(EnterpriseLoan.credit_code) == credit_code)
        .order_by(col(EnterpriseLoan.approved_at).desc())
    )
    return rows.all()


async def get_project(session: AsyncSession, project_id: str) -> EnterpriseProject | None:
    """The local copy of a navigation project."""
    return await session.get(EnterpriseProject, project_id)


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
