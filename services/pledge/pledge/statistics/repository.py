"""The statistics' queries: the facts the indicator rules read (a loan's pledged right kinds, every
loan and policy for a recount), and raw rows per loan, claim and recovery for the yearly figures
that are not indicators (per-bank NPL, claims paid, recoveries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from pledge.enums import ClaimStatus
from pledge.models import Claim, InsurancePolicy, Loan, LoanCollateral, PledgedRight, Recovery


def bank_row_filter(principal: Principal) -> Callable[[str], bool]:
    """Which banks' own rows `principal` may see: an operator every bank's, a bank its own."""
    if principal.is_operator:
        return lambda bank_id: True
    return lambda bank_id: bank_id == principal.tenant_id


async def right_kinds(session: AsyncSession, loan_ids: Sequence[str] | None = None) -> dict[str, frozenset[str]]:
    """The kinds of the rights pledged for each loan (all loans when `loan_ids` is None). A
    released right still counts: the loan was a pledge of it."""
    statement = select(col(LoanCollateral.loan_id), col(PledgedRight.kind)).join(
        PledgedRight, col(PledgedRight.id) == col(LoanCollateral.right_id)
    )
    if loan_ids is not None:
        statement = statement.where(col(LoanCollateral.loan_id).in_(list(loan_ids)))
    kinds: dict[str, set[str]] = defaultdict(set)
    for loan_id, kind in (await session.execute(statement)).all():
        kinds[loan_id].add(kind)
    return {loan_id: frozenset(k) for loan_id, k in kinds.items()}


async def all_loans(session: AsyncSession) -> Sequence[Loan]:
    """Every loan, locked (a recount decides on each as its moves do), in id order so two
    recounts lock in the same order."""
    return (await session.scalars(select(Loan).order_by(col(Loan.id)).with_for_update())).all()


async def all_policies(session: AsyncSession) -> Sequence[InsurancePolicy]:
    """Every insurance policy, locked, in id order."""
    statement = select(InsurancePolicy).order_by(col(InsurancePolicy.id)).with_for_update()
    return (await session.scalars(statement)).all()


async def disbursed_loans(session: AsyncSession) -> Sequence[Loan]:
    """Loans with a disbursement date (the indicator rule decides whether each still counts)."""
    return (await session.scalars(select(Loan).where(col(Loan.disbursed_date).is_not(None)))).all()


async def defaulted_loans(session: AsyncSession) -> Sequence[Any]:
    """(defaulted_at, bank_id, default_principal_fen) of loans that defaulted."""
    rows = await session.execute(
        select(col(Loan.defaulted_at), col(Loan.bank_id), col(Loan.default_principal_fen)).where(
            and_(col(Loan.defaulted_at).is_not(None), col(Loan.default_principal_fen).is_not(None))
        )
    )
    return rows.all()


async def paid_claims_and_recoveries(session: AsyncSession) -> tuple[Sequence[Any], Sequence[Any]]:
    """(filed_at, pool_fen) of paid claims and (recorded_at, amount_fen) of recoveries."""
    claims = await session.execute(
        select(col(Claim.filed_at), col(Claim.pool_fen)).where(col(Claim.status) == ClaimStatus.PAID.value)
    )
    recoveries = await session.execute(select(col(Recovery.recorded_at), col(Recovery.amount_fen)))
    return claims.all(), recoveries.all()
