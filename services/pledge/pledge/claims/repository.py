"""The claims' and recoveries' queries. A bank's claims are filtered in SQL: another bank's claim
is not found (404, never 403)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal, Role
from pledge.enums import ClaimStatus
from pledge.models import Claim, Loan, PoolAgreement, Recovery


def readable_claims(principal: Principal) -> Select[Claim]:
    """The claims `principal` may see."""
    statement = select(Claim)
    if principal.role is not Role.OPERATOR:
        statement = statement.where(col(Claim.bank_id) == principal.tenant_id)
    return statement


async def get_claim(session: AsyncSession, principal: Principal, claim_id: str) -> Claim | None:
    """A claim `principal` may see."""
    return await session.scalar(readable_claims(principal).where(col(Claim.id) == claim_id))


async def list_claims(
    session: AsyncSession, principal: Principal, *, loan_id: str | None, limit: int, offset: int
) -> tuple[Sequence[Claim], int]:
    """A page of claims, newest first."""
    statement = readable_claims(principal)
    if loan_id is not None:
        statement = statement.where(col(Claim.loan_id) == loan_id)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(statement.order_by(col(Claim.filed_at).desc()).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def paid_claim(session: AsyncSession, loan_id: str) -> Claim | None:
    """The paid claim of a loan, if any (there is at most one)."""
    return await session.scalar(
        select(Claim).where(col(Claim.loan_id) == loan_id, col(Claim.status) == ClaimStatus.PAID.value)
    )


async def recoveries_of(session: AsyncSession, loan_id: str) -> Sequence[Recovery]:
    """A loan's recoveries, oldest first."""
    rows = await session.scalars(select(Recovery).where(col(Recovery.loan_id) == loan_id).order_by(col(Recovery.id)))
    return rows.all()


async def pool_paid(
    session: AsyncSession, *, credit_code: str, pool_id: str, bank_id: str, start: datetime, end: datetime
) -> tuple[int, int, int]:
    """What the pool has paid, in one statement (a claim's caps read all three under the pool's
    lock): on every claim for one enterprise's loans; on claims filed in [start, end) to `bank_id`
    under any version of its agreement with this pool; and to every bank in that span."""
    paid = col(Claim.pool_fen)
    in_span = and_(col(PoolAgreement.pool_id) == pool_id, col(Claim.filed_at) >= start, col(Claim.filed_at) < end)
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(paid).filter(col(Loan.enterprise_credit_code) == credit_code), 0),
                func.coalesce(func.sum(paid).filter(in_span, col(Claim.bank_id) == bank_id), 0),
                func.coalesce(func.sum(paid).filter(in_span), 0),
            )
            .select_from(Claim)
            .join(Loan, col(Loan.id) == col(Claim.loan_id))
            .outerjoin(PoolAgreement, col(PoolAgreement.id) == col(Claim.agreement_id))
            .where(col(Claim.status) == ClaimStatus.PAID.value)
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
