"""Queries of overseas marks (operators and agencies read them)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from operations.models import Designation, OverseasMark


async def get_mark(session: AsyncSession, mark_id: str, *, for_update: bool = False) -> OverseasMark | None:
    """A mark by id (`for_update` serialises changes to its designations)."""
    return await session.get(OverseasMark, mark_id, with_for_update=for_update)


async def get_by_ir_number(session: AsyncSession, ir_number: str) -> OverseasMark | None:
    """A mark by its international registration number."""
    return (await session.scalars(select(OverseasMark).where(col(OverseasMark.ir_number) == ir_number))).first()


async def designations(session: AsyncSession, mark_id: str) -> Sequence[Designation]:
    """A mark's designations by party."""
    rows = await session.scalars(
        select(Designation).where(col(Designation.mark_id) == mark_id).order_by(col(Designation.country))
    )
    return rows.all()


async def list_marks(
    session: AsyncSession, *, owner_credit_code: str | None, limit: int, offset: int
) -> tuple[Sequence[OverseasMark], int]:
    """Marks, newest registration first."""
    query = select(OverseasMark)
    if owner_credit_code is not None:
        query = query.where(col(OverseasMark.owner_credit_code) == owner_credit_code)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    order = (col(OverseasMark.ir_date).desc(), col(OverseasMark.id))
    rows = await session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return rows.all(), int(total or 0)
