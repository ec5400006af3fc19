"""The pools' use cases: create and fund pools, read their ledger, version the banks'
agreements; and what other aggregates need to move pool money (lock the pool, post a balanced
journal entry) or read an agreement's terms. Never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.pledge import PoolFundedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from pledge.banks import repository as banks_repository
from pledge.common import SOURCE, body_fields
from pledge.domain import compensation, ledger
from pledge.domain.stopline import StopLine
from pledge.models import LedgerEntry, Pool, PoolAgreement
from pledge.pools import repository
from pledge.pools.schemas import (
    AgreementCreate,
    AgreementTerms,
    FundingCreate,
    InterestCreate,
    PoolCreate,
    PoolSummary,
)


async def create_pool(session: AsyncSession, data: PoolCreate) -> PoolSummary:
    """A new, empty pool."""
    if await repository.get_pool(session, data.id) is not None:
        raise Conflict(f"pool {data.id} already exists")
    pool = Pool(id=data.id, name=data.name, created_at=utc_now())
    session.add(pool)
    await flush_or_conflict(session, f"pool {data.id} already exists")
    return await pool_summary(session, pool.id)


async def read_pool(session: AsyncSession, principal: Principal, pool_id: str) -> PoolSummary:
    """A pool `principal` may see (a bank: one it has an agreement with), or NotFound."""
    if await repository.visible_pool(session, principal, pool_id) is None:
        raise NotFound(f"no pool {pool_id}")
    return await pool_summary(session, pool_id)


async def pool_summary(session: AsyncSession, pool_id: str) -> PoolSummary:
    """A pool's balance and totals, all derived from its postings."""
    pool = await repository.get_pool(session, pool_id)
    if pool is None:
        raise NotFound(f"no pool {pool_id}")
    return PoolSummary(
        pool,
        ledger.pool_totals(await repository.account_balances(session, pool_id)),
        await repository.covered_outstanding(session, pool_id),
    )


async def lock_pool(session: AsyncSession, pool_id: str) -> Pool:
    """The pool, locked until the transaction ends: everyone who moves its money queues here."""
    pool = await repository.get_pool(session, pool_id, for_update=True)
    if pool is None:
        raise NotFound(f"no pool {pool_id}")
    return pool


def post_journal(
    session: AsyncSession, pool: Pool, postings: list[ledger.Posting], kind: str, reference: str | None, at: datetime
) -> None:
    """One balanced journal entry on a (locked) pool's ledger."""
    assert ledger.is_balanced(postings)
    journal_id = str(uuid.uuid4())
    for p in postings:
        session.add(
            LedgerEntry(
                pool_id=pool.id,
                journal_id=journal_id,
                account=p.account,
                debit_fen=p.debit_fen,
                credit_fen=p.credit_fen,
                kind=kind,
                reference=reference,
                posted_at=at,
            )
        )
    pool.version += 1


async def fund_pool(session: AsyncSession, pool_id: str, data: FundingCreate | InterestCreate) -> PoolSummary:
    """A contribution (by source) or interest into the pool."""
    pool = await lock_pool(session, pool_id)
    at = utc_now()
    amount = to_fen(data.amount)
    if isinstance(data, FundingCreate):
        post_journal(session, pool, ledger.contribution(amount, data.source), "contribution", data.source.value, at)
        kind, source = "contribution", data.source.value
    else:
        post_journal(session, pool, ledger.interest(amount), "interest", None, at)
        kind, source = "interest", None
    await session.flush()
    balance = await repository.pool_balance(session, pool.id)
    add_to_outbox(
        session,
        PoolFundedV1(
            pool_id=pool.id,
            kind=kind,
            source=source,
            amount=format_yuan(amount),
            balance=format_yuan(balance),
            funded_at=at,
        ),
        source=SOURCE,
        key=pool.id,
    )
    return await pool_summary(session, pool_id)


async def pool_ledger(
    session: AsyncSession, principal: Principal, pool_id: str, *, limit: int, offset: int
) -> tuple[Sequence[LedgerEntry], int]:
    """A page of the postings of a pool `principal` may see (a bank: those of its own claims),
    oldest first, and the total; NotFound for a pool it may not see."""
    if await repository.visible_pool(session, principal, pool_id) is None:
        raise NotFound(f"no pool {pool_id}")
    return await repository.list_ledger(session, principal, pool_id, limit=limit, offset=offset)


def terms_to_domain(terms: AgreementTerms) -> compensation.AgreementTerms:
    """The domain's view of an agreement's terms (yuan to fen)."""

    def fen(v: Decimal | None) -> int | None:
        return None if v is None else to_fen(v)

    return compensation.AgreementTerms(
        shares=dict(terms.shares),
        remainder_to=terms.remainder_to,
        absent_share_to=terms.absent_share_to,
        bands=tuple(compensation.Band(to_fen(b.up_to), dict(b.shares)) for b in terms.bands),
        per_loan_cap_fen=fen(terms.per_loan_cap),
        per_enterprise_cap_fen=fen(terms.per_enterprise_cap),
        yearly_agreement_cap_fen=fen(terms.yearly_agreement_cap),
        yearly_pool_cap_fen=fen(terms.yearly_pool_cap),
        yearly_cap_excess=terms.yearly_cap_excess,
        min_ip_share=terms.min_ip_share,
        leverage_limit=terms.leverage_limit,
        stop_line=StopLine(
            threshold=terms.npl_suspension_threshold,
            basis=terms.npl_basis,
            empty_base=terms.npl_empty_base,
            refuses=terms.npl_stop_refuses,
            comeback=terms.npl_comeback,
        ),
        max_loan_fen=fen(terms.max_loan),
        eligible_right_types=None if terms.eligible_right_types is None else frozenset(terms.eligible_right_types),
    )


def agreement_terms(agreement: PoolAgreement) -> compensation.AgreementTerms:
    """The domain's view of a stored agreement version's terms."""
    return terms_to_domain(AgreementTerms.model_validate(agreement.terms))


async def create_agreement(session: AsyncSession, principal: Principal, data: AgreementCreate) -> PoolAgreement:
    """A new version of a bank's agreement (validated: shares sum to 100, bands increase...)."""
    with body_fields():
        compensation.validate_terms(terms_to_domain(data.terms))
    if await repository.get_pool(session, data.pool_id) is None:
        raise RuleViolation("no such pool", field="body.pool_id")
    bank = await banks_repository.get_bank(session, data.bank_id, for_update=True)  # serialises versions
    if bank is None:
        raise RuleViolation("no such bank", field="body.bank_id")
    at = utc_now()
    agreement = PoolAgreement(
        pool_id=data.pool_id,
        bank_id=data.bank_id,
        version=await repository.next_agreement_version(session, bank.id),
        effective_from=data.effective_from or at,
        terms=data.terms.model_dump(mode="json"),
        created_by=principal.subject,
        created_at=at,
    )
    session.add(agreement)
    await session.flush()
    return agreement


async def list_agreements(
    session: AsyncSession, principal: Principal, *, bank_id: str | None, limit: int, offset: int
) -> tuple[Sequence[PoolAgreement], int]:
    """A page of the agreement versions `principal` may see, newest first, and the total."""
    return await repository.list_agreements(session, principal, bank_id=bank_id, limit=limit, offset=offset)
