"""Talent use cases: record a training session, register a commissioner. Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import district_today, utc_now
from ipops.errors import RuleViolation
from operations.common import new_id
from operations.models import Commissioner, TrainingSession
from operations.talent import repository
from operations.talent.schemas import CommissionerCreate, TrainingCreate


async def record_training(session: AsyncSession, data: TrainingCreate) -> TrainingSession:
    """A session that was held (not a future one: the programme counts what happened)."""
    if data.held_on > district_today():
        raise RuleViolation("a training session is recorded once held", field="body.held_on")
    row = TrainingSession(id=new_id(), held_on=data.held_on, topic=data.topic, organiser=data.organiser,
                          attendance=data.attendance, created_at=utc_now())  # fmt: skip
    session.add(row)
    await session.flush()
    return row


async def register_commissioner(session: AsyncSession, data: CommissionerCreate) -> Commissioner:
    """Register a commissioner (not with a future date)."""
    if data.registered_on > district_today():
        raise RuleViolation("a commissioner is registered on a past or present date", field="body.registered_on")
    row = Commissioner(id=new_id(), name=data.name, field=data.field, employer_credit_code=data.employer_credit_code,
                       registered_on=data.registered_on, created_at=utc_now())  # fmt: skip
    session.add(row)
    await session.flush()
    return row


async def list_training(session: AsyncSession, **filters: object) -> tuple[Sequence[TrainingSession], int]:
    """Training sessions, filtered."""
    return await repository.list_training(session, **filters)  # type: ignore[arg-type]


async def list_commissioners(session: AsyncSession, **filters: object) -> tuple[Sequence[Commissioner], int]:
    """Commissioners, filtered."""
    return await repository.list_commissioners(session, **filters)  # type: ignore[arg-type]
