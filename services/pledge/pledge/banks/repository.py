"""The banks' queries: banks, and the figures of their NPL stop line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.clock import district_date
from pledge.enums import LoanStatus
from pledge.models import Bank, Loan


async def get_bank(session: AsyncSession, bank_id: str, *, for_update: bool = False) -> Bank | None:
    """A bank by id."""
    return await session.get(Bank, bank_id, with_for_update=for_update)


async def list_banks(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[Bank], int]:
    """A page of the banks `principal` may see by name, and the total: an operator all, a bank
    only itself (another bank's suspension reason quotes that bank's figures)."""
    statement = select(Bank)
    if not principal.is_operator:
        statement = statement.where(col(Bank.id) == principal.tenant_id)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(statement.order_by(col(Bank.name)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


# Loans on the books: paid out and not yet closed. Of those, the non-performing ones.
ON_BOOKS = [s.value for s in (LoanStatus.DISBURSED, LoanStatus.OVERDUE, LoanStatus.DEFAULTED, LoanStatus.COMPENSATED)]
NON_PERFORMING = [s.value for s in (LoanStatus.DEFAULTED, LoanStatus.COMPENSATED)]


async def balance_npl(session: AsyncSession, bank_id: str) -> tuple[int, int]:
    """(non-performing principal, outstanding principal) of the bank's covered loans on the books now."""
    non_performing = case((col(Loan.status).in_(NON_PERFORMING), col(Loan.outstanding_fen)), else_=0)
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(non_performing), 0), func.coalesce(func.sum(col(Loan.outstanding_fen)), 0)
            ).where(col(Loan.bank_id) == bank_id, col(Loan.covered).is_(True), col(Loan.status).in_(ON_BOOKS))
        )
    ).one()
    return int(row[0]), int(row[1])


async def flow_npl(session: AsyncSession, bank_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    """(principal defaulted, principal paid out) of the bank's covered loans in [start, end): the
    instants of the district year (defaults by when they were declared, disbursements by date)."""
    mine = (col(Loan.bank_id) == bank_id, col(Loan.covered).is_(True))
    defaulted = await session.scalar(
        select(func.coalesce(func.sum(col(Loan.default_principal_fen)), 0)).where(
            *mine, col(Loan.defaulted_at) >= start, col(Loan.defaulted_at) < end
        )
    )
    # paid out in the year by the disbursement's business date (a loan reported late counts in
    # the year it was paid out, as in the plan's figures), not by when it was recorded
    disbursed = await session.scalar(
        select(func.coalesce(func.sum(col(Loan.principal_fen)), 0)).where(
            *mine, col(Loan.disbursed_date) >= district_date(start), col(Loan.disbursed_date) < district_date(end)
        )
    )
    return int(defaulted or 0), int(disbursed or 0)
