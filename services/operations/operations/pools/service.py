"""Pool use cases: register a pool, members join and leave, patents enter, terms are published.
After each change the pool is judged again (rule in domain/indicators) and announced. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import district_today, utc_now
from ipops.contracts.operations import PoolChangedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from operations.common import SOURCE, count, counted, new_id
from operations.domain import indicators
from operations.models import Pool, PoolMember, PoolPatent, PoolTerm
from operations.pools import repository
from operations.pools.schemas import Departure, MemberCreate, PoolCreate, PoolPatentCreate, TermsCreate

INDICATOR = "patent_pools"


@dataclass(frozen=True)
class PoolView:
    """A pool with its parts and whether it counts."""

    pool: Pool
    members: Sequence[PoolMember]
    patents: Sequence[PoolPatent]
    terms: PoolTerm | None
    qualifies: bool


def _verdict(
    pool: Pool, members: Sequence[PoolMember], patents: Sequence[PoolPatent], terms: PoolTerm | None, on: date
) -> indicators.Counts | None:
    current = {m.credit_code for m in members if m.left_on is None}
    contributing = len({p.owner_credit_code for p in patents if p.owner_credit_code in current})
    return indicators.patent_pool(pool.industry, contributing, terms.published_on if terms else None, on)


async def view(session: AsyncSession, pool: Pool) -> PoolView:
    """A pool with its members, patents, latest terms and whether it qualifies today."""
    members = await repository.members(session, pool.id)
    patents = await repository.patents(session, pool.id)
    terms = await repository.latest_terms(session, pool.id)
    qualifies = _verdict(pool, members, patents, terms, district_today()) is not None
    return PoolView(pool, members, patents, terms, qualifies)


async def _changed(session: AsyncSession, pool: Pool, on: date) -> PoolView:
    """Judge the pool again after a change effective `on`, record the verdict, announce the pool."""
    await session.flush()
    current = await view(session, pool)
    previous = await counted(session, INDICATOR, pool.id)
    start = previous.start_on if previous is not None and previous.end_on is None else on
    verdict = _verdict(pool, current.members, current.patents, current.terms, start)
    await count(session, INDICATOR, pool.id, indicators.stopped(previous, verdict, on), "pool changed")
    payload = PoolChangedV1(
        pool_id=pool.id, name=pool.name, industry=pool.industry,
        member_count=sum(1 for m in current.members if m.left_on is None), patent_count=len(current.patents),
        terms_version=current.terms.version if current.terms else None, qualifies=verdict is not None,
        changed_at=utc_now(),
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=pool.id, subject=pool.id)
    return current


async def _pool(session: AsyncSession, pool_id: str) -> Pool:
    pool = await repository.get_pool(session, pool_id, for_update=True)
    if pool is None:
        raise NotFound(f"no pool {pool_id}")
    return pool


async def get(session: AsyncSession, pool_id: str) -> PoolView:
    """A pool and its parts."""
    pool = await repository.get_pool(session, pool_id)
    if pool is None:
        raise NotFound(f"no pool {pool_id}")
    return await view(session, pool)


async def create_pool(session: AsyncSession, data: PoolCreate) -> PoolView:
    """Register a pool; its name is unique."""
    if await repository.get_by_name(session, data.name) is not None:
        raise Conflict(f"a pool named {data.name} is registered")
    if data.alliance_id is not None and not await repository.alliance_exists(session, data.alliance_id):
        raise RuleViolation(f"no alliance {data.alliance_id}", field="body.alliance_id")
    pool = Pool(id=new_id(), name=data.name, industry=data.industry, alliance_id=data.alliance_id, created_at=utc_now())
    session.add(pool)
    await flush_or_conflict(session, f"a pool named {data.name} is registered")
    return await _changed(session, pool, district_today())


async def add_member(session: AsyncSession, pool_id: str, data: MemberCreate) -> PoolView:
    """A member joins; an enterprise is a current member once at a time."""
    pool = await _pool(session, pool_id)
    if any(m.credit_code == data.credit_code and m.left_on is None for m in await repository.members(session, pool.id)):
        raise Conflict(f"{data.credit_code} is already a member")
    session.add(PoolMember(id=new_id(), pool_id=pool.id, credit_code=data.credit_code, name=data.name,
                           joined_on=data.joined_on))  # fmt: skip
    return await _changed(session, pool, data.joined_on)


async def member_leaves(session: AsyncSession, pool_id: str, member_id: str, data: Departure) -> PoolView:
    """A member leaves; its patents no longer make the pool qualify."""
    pool = await _pool(session, pool_id)
    member = next((m for m in await repository.members(session, pool.id) if m.id == member_id), None)
    if member is None:
        raise NotFound(f"no member {member_id} in pool {pool_id}")
    if member.left_on is not None:
        raise Conflict(f"the member left on {member.left_on}", allowed_moves=[])
    if data.left_on < member.joined_on:
        raise RuleViolation("a member leaves after it joined", field="body.left_on")
    member.left_on = data.left_on
    return await _changed(session, pool, data.left_on)


async def add_patent(session: AsyncSession, pool_id: str, data: PoolPatentCreate) -> PoolView:
    """A current member contributes a patent; a patent is in a pool once."""
    pool = await _pool(session, pool_id)
    current = {m.credit_code for m in await repository.members(session, pool.id) if m.left_on is None}
    if data.owner_credit_code not in current:
        raise RuleViolation("the owner is not a current member of the pool", field="body.owner_credit_code")
    if any(p.patent_number == data.patent_number for p in await repository.patents(session, pool.id)):
        raise Conflict(f"{data.patent_number} is already in the pool")
    session.add(PoolPatent(pool_id=pool.id, patent_number=data.patent_number,
                           owner_credit_code=data.owner_credit_code, added_on=data.added_on))  # fmt: skip
    await flush_or_conflict(session, f"{data.patent_number} is already in the pool")
    return await _changed(session, pool, data.added_on)


async def publish_terms(session: AsyncSession, pool_id: str, data: TermsCreate) -> PoolView:
    """Publish a new version of the licensing terms."""
    pool = await _pool(session, pool_id)
    latest = await repository.latest_terms(session, pool.id)
    session.add(PoolTerm(pool_id=pool.id, version=(latest.version if latest else 0) + 1, summary=data.summary,
                         royalty_basis=data.royalty_basis, published_on=data.published_on))  # fmt: skip
    return await _changed(session, pool, data.published_on)


async def list_pools(
    session: AsyncSession, *, industry: str | None, limit: int, offset: int
) -> tuple[list[PoolView], int]:
    """Pools with their parts."""
    rows, total = await repository.list_pools(session, industry=industry, limit=limit, offset=offset)
    return [await view(session, p) for p in rows], total
