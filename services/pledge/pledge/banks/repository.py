"""The banks' queries: banks, and the figures of their NPL stop line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.clock import district_date
from pledge.enums import LoanStatus
from pledge.models import Bank, Loan


async def get_bank(session: AsyncSession, bank_id: str, *, for_update: bool = False) -> Bank | None:
    """A bank by id."""
    return await session.get(Bank, bank_id, with_for_update=for_update)


# A page of banks and the number of all the caller may see, in one statement: the window count
# is taken over the filtered rows before LIMIT/OFFSET apply. The statements are built once, so
# SQLAlchemy neither rebuilds them nor recomputes their cache keys per request (both were hot in
# py-spy's profile of the list read, #17); the tenant, limit and offset are bound parameters.
_PAGE_COLUMNS = (
    col(Bank.id),
    col(Bank.name),
    col(Bank.registered_at),
    col(Bank.suspended_at),
    col(Bank.suspension_reason),
    func.count().over().label("total"),
)
# id, name, registered_at, suspended_at, suspension_reason, total
BankRow = Row[str, str, datetime, datetime | None, str | None, int]
_ALL_BANKS_PAGE = (
    select(*_PAGE_COLUMNS).order_by(col(Bank.name), col(Bank.id)).limit(bindparam("limit")).offset(bindparam("offset"))
)
_OWN_BANK_PAGE = _ALL_BANKS_PAGE.where(col(Bank.id) == bindparam("tenant"))
_ALL_BANKS_COUNT = select(func.count()).select_from(Bank)
_OWN_BANK_COUNT = _ALL_BANKS_COUNT.where(col(Bank.id) == bindparam("tenant"))


async def list_banks(
    connection: AsyncConnection, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[BankRow], int]:
    """A page of the banks `principal` may see by name, and the total: an operator all, a bank
    only itself (another bank's suspension reason quotes that bank's figures). Rows carry the
    columns of `BankPublic`. One statement, unless the page is empty past the first row (the
    window count then has no row to ride on, and is asked for alone)."""
    own = not principal.is_operator
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if own:
        params["tenant"] = principal.tenant_id
    rows = (await connection.execute(_OWN_BANK_PAGE if own else _ALL_BANKS_PAGE, params)).all()
    if rows:
        return rows, int(rows[0].total)
    if offset == 0:
        return rows, 0
    total = (
        await connection.scalar(_OWN_BANK_COUNT, {"tenant": principal.tenant_id})
        if own
        else await connection.scalar(_ALL_BANKS_COUNT)
    )
    return rows, int(total or 0)


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
