"""The pools' queries: pools, their ledger and balances, and the banks' agreement versions.
Agreements are filtered by tenant in SQL: a bank sees only its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal, Role
from pledge.common import LIVE_VALUES
from pledge.domain.compensation import Collateral
from pledge.domain.ledger import POOL_CASH
from pledge.models import Claim, LedgerEntry, Loan, Pool, PoolAgreement


async def get_pool(session: AsyncSession, pool_id: str, *, for_update: bool = False) -> Pool | None:
    """A pool; `for_update` serialises everyone who moves its money (claims above all)."""
    return await session.get(Pool, pool_id, with_for_update=for_update)


async def visible_pool(session: AsyncSession, principal: Principal, pool_id: str) -> Pool | None:
    """A pool `principal` may see: an operator any, a bank one it has an agreement with."""
    statement = select(Pool).where(col(Pool.id) == pool_id)
    if not principal.is_operator:
        mine = select(col(PoolAgreement.id)).where(
            col(PoolAgreement.pool_id) == pool_id, col(PoolAgreement.bank_id) == principal.tenant_id
        )
        statement = statement.where(mine.exists())
    return await session.scalar(statement)


async def account_balances(session: AsyncSession, pool_id: str) -> dict[str, int]:
    """Debit-minus-credit per account of a pool's ledger."""
    rows = await session.execute(
        select(col(LedgerEntry.account), func.sum(col(LedgerEntry.debit_fen) - col(LedgerEntry.credit_fen)))
        .where(col(LedgerEntry.pool_id) == pool_id)
        .group_by(col(LedgerEntry.account))
    )
    return {account: int(total or 0) for account, total in rows.all()}


async def pool_balance(session: AsyncSession, pool_id: str) -> int:
    """The pool's cash: the sum of its `pool_cash` postings."""
    total = await session.scalar(
        select(func.coalesce(func.sum(col(LedgerEntry.debit_fen) - col(LedgerEntry.credit_fen)), 0)).where(
            col(LedgerEntry.pool_id) == pool_id, col(LedgerEntry.account) == POOL_CASH
        )
    )
    return int(total or 0)


async def list_ledger(
    session: AsyncSession, principal: Principal, pool_id: str, *, limit: int, offset: int
) -> tuple[Sequence[LedgerEntry], int]:
    """A pool's postings `principal` may see, oldest first: an operator all, a bank those of its
    own claims (a claim's payment and its recoveries carry the claim's id as their reference)."""
    statement = select(LedgerEntry).where(col(LedgerEntry.pool_id) == pool_id)
    if not principal.is_operator:
        its_claims = select(col(Claim.id)).where(col(Claim.bank_id) == principal.tenant_id)
        statement = statement.where(col(LedgerEntry.reference).in_(its_claims))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(statement.order_by(col(LedgerEntry.id)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def covered_outstanding(session: AsyncSession, pool_id: str) -> int:
    """The IP-covered part of the outstanding principal of live covered loans on this pool, each
    loan's exact from its collateral amounts (summed here: the product of two amounts in fen
    would overflow a BIGINT in SQL)."""
    rows = await session.execute(
        select(col(Loan.outstanding_fen), col(Loan.ip_value_fen), col(Loan.other_collateral_fen))
        .join(PoolAgreement, col(PoolAgreement.id) == col(Loan.agreement_id))
        .where(col(PoolAgreement.pool_id) == pool_id, col(Loan.covered).is_(True), col(Loan.status).in_(LIVE_VALUES))
    )
    return sum(Collateral(ip, other).covered(outstanding) for outstanding, ip, other in rows.all())


async def get_agreement(session: AsyncSession, agreement_id: int) -> PoolAgreement | None:
    """An agreement version by id."""
    return await session.get(PoolAgreement, agreement_id)


async def agreement_in_force(session: AsyncSession, bank_id: str, at: datetime) -> PoolAgreement | None:
    """The bank's agreement version in force at `at`: the newest already effective."""
    return await session.scalar(
        select(PoolAgreement)
        .where(col(PoolAgreement.bank_id) == bank_id, col(PoolAgreement.effective_from) <= at)
        .order_by(col(PoolAgreement.effective_from).desc(), col(PoolAgreement.version).desc())
        .limit(1)
    )


async def next_agreement_version(session: AsyncSession, bank_id: str) -> int:
    """The version number a new agreement of this bank gets."""
    current = await session.scalar(
        select(func.max(col(PoolAgreement.version))).where(col(PoolAgreement.bank_id) == bank_id)
    )
    return int(current or 0) + 1


async def list_agreements(
    session: AsyncSession, principal: Principal, *, bank_id: str | None, limit: int, offset: int
) -> tuple[Sequence[PoolAgreement], int]:
    """Agreement versions `principal` may see, newest first: a bank its own (whatever `bank_id`
    asks for), an operator all or one bank's."""
    if principal.role is Role.BANK:
        bank_id = principal.tenant_id
    statement = select(PoolAgreement)
    if bank_id is not None:
        statement = statement.where(col(PoolAgreement.bank_id) == bank_id)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(col(PoolAgreement.bank_id), col(PoolAgreement.version).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)
