"""Every query of data sets. A data set is readable by whoever may read its project: the district
office, or the organisation undertaking the project."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.idempotency import IdempotencyRecord
from navigation.models import Dataset, Project


async def datasets_of(session: AsyncSession, project_id: str) -> Sequence[Dataset]:
    """A project's data sets, newest first (the landscape column is loaded too: callers drop it)."""
    rows = await session.execute(
        select(Dataset).where(col(Dataset.project_id) == project_id).order_by(col(Dataset.uploaded_at).desc())
    )
    return rows.scalars().all()


async def readable_dataset(session: AsyncSession, principal: Principal, dataset_id: str) -> Dataset | None:
    """A data set if its project is readable by `principal`."""
    query = (
        select(Dataset).join(Project, col(Project.id) == col(Dataset.project_id)).where(col(Dataset.id) == dataset_id)
    )
    if not principal.is_operator:
        query = query.where(col(Project.undertaking_org_id) == principal.tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def answered_before(session: AsyncSession, principal: Principal, idempotency_key: str) -> bool:
    """Whether this caller already sent a request under `idempotency_key` (its answer is stored)."""
    return await session.get(IdempotencyRecord, (principal.owner_key, idempotency_key)) is not None
