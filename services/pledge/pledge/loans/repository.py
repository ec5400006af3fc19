"""The loans' queries. Those that serve a bank take its `Principal` and filter in SQL, so another
bank's loan is simply not found (404, never 403)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal, Role
from pledge.enums import LoanStatus
from pledge.models import (
    Loan,
    LoanCollateral,
    LoanDpdRecord,
    LoanInvestment,
    LoanStateChange,
    PledgedRight,
    PledgeRegistration,
    Repayment,
)


def readable_loans(principal: Principal) -> Select[Loan]:
    """The loans `principal` may see: a bank its own, an operator all."""
    statement = select(Loan)
    if principal.role is not Role.OPERATOR:
        statement = statement.where(col(Loan.bank_id) == principal.tenant_id)
    return statement


async def get_loan(
    session: AsyncSession, principal: Principal, loan_id: str, *, for_update: bool = False
) -> Loan | None:
    """A loan `principal` may see; locked for the rest of the transaction when `for_update`."""
    statement = readable_loans(principal).where(col(Loan.id) == loan_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def list_loans(
    session: AsyncSession,
    principal: Principal,
    *,
    status: LoanStatus | None,
    at_risk: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Loan], int]:
    """A page of the loans `principal` may see, newest first."""
    statement = readable_loans(principal)
    if status is not None:
        statement = statement.where(col(Loan.status) == status.value)
    if at_risk is not None:
        column = col(Loan.collateral_at_risk_at)
        statement = statement.where(column.is_not(None) if at_risk else column.is_(None))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(col(Loan.submitted_at).desc(), col(Loan.id)).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def find_loan(session: AsyncSession, loan_id: str) -> Loan | None:
    """Any bank's loan, for an event another service announced about it (no tenant: the event
    comes from the platform, not from a bank)."""
    return await session.get(Loan, loan_id)


async def get_investment(
    session: AsyncSession, investment_id: str, *, for_update: bool = False
) -> LoanInvestment | None:
    """A linked guidance-fund investment; locked for the rest of the transaction when `for_update`."""
    return await session.get(LoanInvestment, investment_id, with_for_update=for_update)


async def loan_investments(session: AsyncSession, loan_id: str) -> Sequence[LoanInvestment]:
    """The guidance-fund investments linked to a loan, oldest first."""
    rows = await session.scalars(
        select(LoanInvestment)
        .where(col(LoanInvestment.loan_id) == loan_id)
        .order_by(col(LoanInvestment.invested_on), col(LoanInvestment.investment_id))
    )
    return rows.all()


async def loan_collateral(session: AsyncSession, loan_id: str) -> Sequence[tuple[LoanCollateral, PledgedRight]]:
    """The rights pledged for a loan."""
    rows = await session.execute(
        select(LoanCollateral, PledgedRight)
        .join(PledgedRight, col(PledgedRight.id) == col(LoanCollateral.right_id))
        .where(col(LoanCollateral.loan_id) == loan_id)
        .order_by(col(PledgedRight.kind), col(PledgedRight.number))
    )
    return [(c, r) for c, r in rows.all()]


async def get_registration(session: AsyncSession, loan_id: str) -> PledgeRegistration | None:
    """The pledge registration of a loan."""
    return await session.get(PledgeRegistration, loan_id)


async def history(session: AsyncSession, loan_id: str) -> tuple[Sequence[LoanStateChange], Sequence[LoanDpdRecord]]:
    """A loan's moves and DPD records, oldest first."""
    moves = await session.scalars(
        select(LoanStateChange).where(col(LoanStateChange.loan_id) == loan_id).order_by(col(LoanStateChange.id))
    )
    dpd = await session.scalars(
        select(LoanDpdRecord).where(col(LoanDpdRecord.loan_id) == loan_id).order_by(col(LoanDpdRecord.id))
    )
    return moves.all(), dpd.all()


async def count_repayments(session: AsyncSession, loan_id: str) -> int:
    """How many repayments a loan has."""
    return int(
        await session.scalar(select(func.count()).select_from(Repayment).where(col(Repayment.loan_id) == loan_id)) or 0
    )


async def performing_loans(session: AsyncSession) -> Sequence[Loan]:
    """Disbursed loans still owing principal (the daily run checks their maturity), locked."""
    rows = await session.scalars(
        select(Loan)
        .where(col(Loan.status) == LoanStatus.DISBURSED.value, col(Loan.outstanding_fen) > 0)
        .order_by(col(Loan.id))
        .with_for_update(skip_locked=True)
    )
    return rows.all()


async def loans_past_due(session: AsyncSession) -> Sequence[Loan]:
    """Loans whose days past due keep counting (overdue or defaulted), locked for the update."""
    rows = await session.scalars(
        select(Loan)
        .where(
            col(Loan.status).in_([LoanStatus.OVERDUE.value, LoanStatus.DEFAULTED.value]),
            col(Loan.overdue_since_date).is_not(None),
        )
        .order_by(col(Loan.id))
        .with_for_update(skip_locked=True)
    )
    return rows.all()
