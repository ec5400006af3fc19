"""Alliance use cases: register, members join and leave; after each change the alliance is judged
again (rule in domain/indicators) and announced. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import utc_now
from ipops.contracts.operations import AllianceChangedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from operations.alliances import repository
from operations.alliances.schemas import AllianceCreate, AllianceDeparture, AllianceMemberCreate
from operations.common import SOURCE, count, counted, new_id
from operations.domain import indicators
from operations.models import Alliance, AllianceMember

INDICATOR = "alliances"


def qualifies(row: Alliance, members: Sequence[AllianceMember]) -> bool:
    """Whether the alliance counts now."""
    current = sum(1 for m in members if m.left_on is None)
    return indicators.alliance(row.industry, current, row.founded_on) is not None


async def _changed(session: AsyncSession, row: Alliance, on: date) -> Sequence[AllianceMember]:
    await session.flush()
    members = await repository.members(session, row.id)
    current = sum(1 for m in members if m.left_on is None)
    previous = await counted(session, INDICATOR, row.id)
    start = previous.start_on if previous is not None and previous.end_on is None else max(on, row.founded_on)
    verdict = indicators.alliance(row.industry, current, start)
    await count(session, INDICATOR, row.id, indicators.stopped(previous, verdict, on), "alliance changed")
    payload = AllianceChangedV1(
        alliance_id=row.id, name=row.name, industry=row.industry, member_count=current,
        qualifies=verdict is not None, changed_at=utc_now(),
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=row.id)
    return members


async def _alliance(session: AsyncSession, alliance_id: str, *, lock: bool = False) -> Alliance:
    row = await repository.get_alliance(session, alliance_id, for_update=lock)
    if row is None:
        raise NotFound(f"no alliance {alliance_id}")
    return row


async def create(session: AsyncSession, data: AllianceCreate) -> tuple[Alliance, Sequence[AllianceMember]]:
    """Register an alliance; its name is unique."""
    if await repository.get_by_name(session, data.name) is not None:
        raise Conflict(f"an alliance named {data.name} is registered")
    row = Alliance(
        id=new_id(), name=data.name, industry=data.industry, founded_on=data.founded_on, created_at=utc_now()
    )
    session.add(row)
    await flush_or_conflict(session, f"an alliance named {data.name} is registered")
    return row, await _changed(session, row, data.founded_on)


async def join(
    session: AsyncSession, alliance_id: str, data: AllianceMemberCreate
) -> tuple[Alliance, Sequence[AllianceMember]]:
    """A member joins (not before the alliance was founded; once at a time)."""
    row = await _alliance(session, alliance_id, lock=True)
    if data.joined_on < row.founded_on:
        raise RuleViolation("a member joins after the alliance was founded", field="body.joined_on")
    if any(m.credit_code == data.credit_code and m.left_on is None for m in await repository.members(session, row.id)):
        raise Conflict(f"{data.credit_code} is already a member")
    session.add(AllianceMember(id=new_id(), alliance_id=row.id, credit_code=data.credit_code, name=data.name,
                               joined_on=data.joined_on))  # fmt: skip
    return row, await _changed(session, row, data.joined_on)


async def leave(
    session: AsyncSession, alliance_id: str, member_id: str, data: AllianceDeparture
) -> tuple[Alliance, Sequence[AllianceMember]]:
    """A member leaves on a date."""
    row = await _alliance(session, alliance_id, lock=True)
    member = next((m for m in await repository.members(session, row.id) if m.id == member_id), None)
    if member is None:
        raise NotFound(f"no member {member_id} in alliance {alliance_id}")
    if member.left_on is not None:
        raise Conflict(f"the member left on {member.left_on}", allowed_moves=[])
    if data.left_on < member.joined_on:
        raise RuleViolation("a member leaves after it joined", field="body.left_on")
    member.left_on = data.left_on
    return row, await _changed(session, row, data.left_on)


async def get(session: AsyncSession, alliance_id: str) -> tuple[Alliance, Sequence[AllianceMember]]:
    """An alliance and its members."""
    row = await _alliance(session, alliance_id)
    return row, await repository.members(session, row.id)


async def list_alliances(
    session: AsyncSession, *, industry: str | None, limit: int, offset: int
) -> tuple[list[tuple[Alliance, Sequence[AllianceMember]]], int]:
    """Alliances with their members."""
    rows, total = await repository.list_alliances(session, industry=industry, limit=limit, offset=offset)
    return [(r, await repository.members(session, r.id)) for r in rows], total
