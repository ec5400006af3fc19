"""The statistics' queries: raw rows per loan, claim, recovery and policy, summed by the use case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from pledge.enums import ClaimStatus, RightKind
from pledge.models import Claim, InsurancePolicy, Loan, LoanCollateral, PledgedRight, Recovery


def bank_row_filter(principal: Principal) -> Callable[[str], bool]:
    """Which banks' own rows `principal` may see: an operator every bank's, a bank its own."""
    if principal.is_operator:
        return lambda bank_id: True
    return lambda bank_id: bank_id == principal.tenant_id


async def disbursed_loans_with_kinds(session: AsyncSession) -> Sequence[Any]:
    """(disbursed_at, bank_id, principal_fen, patent count, trademark count) for every loan that
    was paid out (disbursement undone clears `disbursed_at`, so those do not count)."""
    patents = func.sum(case((col(PledgedRight.kind) == RightKind.PATENT.value, 1), else_=0))
    trademarks = func.sum(case((col(PledgedRight.kind) == RightKind.TRADEMARK.value, 1), else_=0))
    rows = await session.execute(
        select(col(Loan.disbursed_at), col(Loan.bank_id), col(Loan.principal_fen), patents, trademarks)
        .join(LoanCollateral, col(LoanCollateral.loan_id) == col(Loan.id))
        .join(PledgedRight, col(PledgedRight.id) == col(LoanCollateral.right_id))
        .where(col(Loan.disbursed_at).is_not(None))
        .group_by(col(Loan.id), col(Loan.disbursed_at), col(Loan.bank_id), col(Loan.principal_fen))
    )
    return rows.all()


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


async def policy_amounts(session: AsyncSession) -> Sequence[Any]:
    """(start_date, sum_insured_fen) of every policy."""
    rows = await session.execute(select(col(InsurancePolicy.start_date), col(InsurancePolicy.sum_insured_fen)))
    return rows.all()
