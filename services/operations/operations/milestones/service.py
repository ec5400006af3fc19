"""Milestone use cases: record one (announced, so the gateway's public read model lists it).
Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.contracts.operations import MilestoneRecordedV1
from ipops.errors import RuleViolation
from ipops.events import add_to_outbox
from operations.common import SOURCE, actor_of, new_id
from operations.milestones import repository
from operations.milestones.schemas import MilestoneCreate
from operations.models import Milestone


async def record(session: AsyncSession, principal: Principal, data: MilestoneCreate) -> Milestone:
    """Record a milestone that was achieved (not a future date)."""
    if data.achieved_on > district_today():
        raise RuleViolation("a milestone is recorded once achieved", field="body.achieved_on")
    row = Milestone(
        id=new_id(), goal=data.goal, title_zh=data.title_zh, title_en=data.title_en, achieved_on=data.achieved_on,
        evidence=data.evidence, recorded_by=actor_of(principal), recorded_at=utc_now(),
    )  # fmt: skip
    session.add(row)
    await session.flush()
    payload = MilestoneRecordedV1(
        milestone_id=row.id, goal=row.goal, title_zh=row.title_zh, title_en=row.title_en,
        achieved_on=row.achieved_on, evidence=row.evidence, recorded_at=row.recorded_at,
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=row.id)
    return row


async def list_milestones(session: AsyncSession, **filters: object) -> tuple[Sequence[Milestone], int]:
    """Milestones, filtered."""
    return await repository.list_milestones(session, **filters)  # type: ignore[arg-type]
