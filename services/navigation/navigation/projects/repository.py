"""Every query of navigation projects, their deliverables, milestones and history.

Tenancy lives here: an undertaking organisation reads only the projects it carries out (its token's
agency id); another organisation's project is simply not found. The public reads accepted projects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from navigation.enums import ProjectStatus
from navigation.models import Project, ProjectDeliverable, ProjectMilestone, ProjectStateChange


def readable_projects(principal: Principal) -> Any:
    """The projects `principal` may see: all for operators, its own for an organisation."""
    query = select(Project)
    if not principal.is_operator:
        query = query.where(col(Project.undertaking_org_id) == principal.tenant_id)
    return query


async def readable_project(
    session: AsyncSession, principal: Principal, project_id: str, *, for_update: bool = False
) -> Project | None:
    """One project if `principal` may see it (`for_update` serialises moves on it)."""
    query = readable_projects(principal).where(col(Project.id) == project_id)
    if for_update:
        query = query.with_for_update()
    result = await session.execute(query)
    return result.scalar_one_or_none()


async def list_projects(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str | None = None,
    status: str | None = None,
    industry: str | None = None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Project], int]:
    """A page of readable projects, newest first, and the total."""
    query = readable_projects(principal)
    if kind is not None:
        query = query.where(col(Project.kind) == kind)
    if status is not None:
        query = query.where(col(Project.status) == status)
    if industry is not None:
        query = query.where(col(Project.industry) == industry)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(
        query.order_by(col(Project.proposed_at).desc(), col(Project.id)).limit(limit).offset(offset)
    )
    return rows.scalars().all(), total


def _accepted() -> Any:
    return select(Project).where(col(Project.status) == ProjectStatus.ACCEPTED.value)


async def list_accepted_projects(
    session: AsyncSession, *, kind: str | None, industry: str | None, limit: int, offset: int
) -> tuple[Sequence[Project], int]:
    """Accepted projects (what the public sees), most recently accepted first."""
    query = _accepted()
    if kind is not None:
        query = query.where(col(Project.kind) == kind)
    if industry is not None:
        query = query.where(col(Project.industry) == industry)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(
        query.order_by(col(Project.accepted_at).desc(), col(Project.id)).limit(limit).offset(offset)
    )
    return rows.scalars().all(), total


async def accepted_project(session: AsyncSession, project_id: str) -> Project | None:
    """An accepted project by id (None for any other status: the public never learns it exists)."""
    result = await session.execute(_accepted().where(col(Project.id) == project_id))
    return result.scalar_one_or_none()


async def deliverables_of(session: AsyncSession, project_id: str) -> Sequence[ProjectDeliverable]:
    """A project's deliverables."""
    rows = await session.execute(
        select(ProjectDeliverable)
        .where(col(ProjectDeliverable.project_id) == project_id)
        .order_by(col(ProjectDeliverable.id))
    )
    return rows.scalars().all()


async def deliverable_kinds(session: AsyncSession, project_ids: Sequence[str]) -> dict[str, set[str]]:
    """The deliverable kinds present, per project (one query for a whole page)."""
    found: dict[str, set[str]] = {pid: set() for pid in project_ids}
    if not project_ids:
        return found
    rows = await session.execute(
        select(col(ProjectDeliverable.project_id), col(ProjectDeliverable.kind)).where(
            col(ProjectDeliverable.project_id).in_(project_ids)
        )
    )
    for project_id, kind in rows.all():
        found[project_id].add(kind)
    return found


async def get_deliverable(session: AsyncSession, project_id: str, kind: str) -> ProjectDeliverable | None:
    """A project's deliverable of one kind."""
    rows = await session.execute(
        select(ProjectDeliverable).where(
            col(ProjectDeliverable.project_id) == project_id, col(ProjectDeliverable.kind) == kind
        )
    )
    return rows.scalar_one_or_none()


async def milestones_of(session: AsyncSession, project_id: str) -> Sequence[ProjectMilestone]:
    """A project's milestones by due date."""
    rows = await session.execute(
        select(ProjectMilestone)
        .where(col(ProjectMilestone.project_id) == project_id)
        .order_by(col(ProjectMilestone.due_date), col(ProjectMilestone.created_at), col(ProjectMilestone.id))
    )
    return rows.scalars().all()


async def get_milestone(session: AsyncSession, project_id: str, milestone_id: str) -> ProjectMilestone | None:
    """One milestone of a project."""
    milestone = await session.get(ProjectMilestone, milestone_id)
    if milestone is None or milestone.project_id != project_id:
        return None
    return milestone


async def history_of(session: AsyncSession, project_id: str) -> Sequence[ProjectStateChange]:
    """A project's moves, oldest first."""
    rows = await session.execute(
        select(ProjectStateChange)
        .where(col(ProjectStateChange.project_id) == project_id)
        .order_by(col(ProjectStateChange.id))
    )
    return rows.scalars().all()


async def all_projects(session: AsyncSession) -> Sequence[Project]:
    """Every project of the district (every organisation's), for a recount of the figures."""
    return (await session.execute(select(Project).order_by(col(Project.id)))).scalars().all()
