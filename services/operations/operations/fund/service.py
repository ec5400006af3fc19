"""Fund use cases: set up a fund, invest, exit. An investment linked to a pledge loan is announced
with the loan id, so the pledge side can show the link (投贷联动). Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import district_today, utc_now
from ipops.contracts.operations import InvestmentExitedV1, InvestmentMadeV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from operations.common import SOURCE, new_id
from operations.fund import repository
from operations.fund.schemas import ExitCreate, FundCreate, InvestmentCreate
from operations.models import Fund, Investment


async def create_fund(session: AsyncSession, data: FundCreate) -> Fund:
    """Set up a fund; its name is unique."""
    if await repository.get_by_name(session, data.name) is not None:
        raise Conflict(f"a fund named {data.name} exists")
    row = Fund(id=new_id(), name=data.name, size_fen=to_fen(data.size), established_on=data.established_on,
               created_at=utc_now())  # fmt: skip
    session.add(row)
    await flush_or_conflict(session, f"a fund named {data.name} exists")
    return row


async def get_fund(session: AsyncSession, fund_id: str, *, lock: bool = False) -> tuple[Fund, list[Investment]]:
    """A fund and its investments."""
    row = await repository.get_fund(session, fund_id, for_update=lock)
    if row is None:
        raise NotFound(f"no fund {fund_id}")
    return row, (await repository.investments_of(session, [row.id]))[row.id]


async def invest(session: AsyncSession, fund_id: str, data: InvestmentCreate) -> Investment:
    """Invest in an enterprise: not before the fund existed, not in the future, within its size."""
    fund, made = await get_fund(session, fund_id, lock=True)
    if not fund.established_on <= data.invested_on <= district_today():
        raise RuleViolation("an investment is dated between the fund's establishment and today",
                            field="body.invested_on")  # fmt: skip
    amount = to_fen(data.amount)
    outstanding = sum(i.amount_fen for i in made if i.exited_on is None)
    if outstanding + amount > fund.size_fen:
        raise RuleViolation(f"the fund has {format_yuan(fund.size_fen - outstanding)} yuan left", field="body.amount")
    row = Investment(
        id=new_id(), fund_id=fund.id, credit_code=data.credit_code, enterprise_name=data.enterprise_name,
        project=data.project, amount_fen=amount, equity_pct=data.equity_pct, invested_on=data.invested_on,
        pledge_loan_id=data.pledge_loan_id, created_at=utc_now(),
    )  # fmt: skip
    session.add(row)
    await session.flush()
    payload = InvestmentMadeV1(
        investment_id=row.id, fund_id=fund.id, credit_code=row.credit_code, amount=format_yuan(amount),
        invested_on=row.invested_on, pledge_loan_id=row.pledge_loan_id, made_at=row.created_at,
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=row.id)
    return row


async def exit_investment(session: AsyncSession, investment_id: str, data: ExitCreate) -> Investment:
    """Exit an investment once, after it was made."""
    row = await repository.get_investment(session, investment_id, for_update=True)
    if row is None:
        raise NotFound(f"no investment {investment_id}")
    if row.exited_on is not None:
        raise Conflict(f"the fund exited on {row.exited_on}", allowed_moves=[])
    if not row.invested_on <= data.exited_on <= district_today():
        raise RuleViolation("an exit is dated between the investment and today", field="body.exited_on")
    row.exited_on, row.exit_amount_fen = data.exited_on, to_fen(data.exit_amount)
    await session.flush()
    payload = InvestmentExitedV1(
        investment_id=row.id, fund_id=row.fund_id, credit_code=row.credit_code, exited_on=data.exited_on,
        exit_amount=format_yuan(row.exit_amount_fen), pledge_loan_id=row.pledge_loan_id, exited_at=utc_now(),
    )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=row.id, subject=row.id)
    return row


async def list_funds(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[tuple[Fund, list[Investment]]], int]:
    """Funds with their investments."""
    rows, total = await repository.list_funds(session, limit=limit, offset=offset)
    made = await repository.investments_of(session, [r.id for r in rows])
    return [(r, made[r.id]) for r in rows], total


async def list_investments(session: AsyncSession, **filters: object) -> tuple[Sequence[Investment], int]:
    """Investments, filtered."""
    return await repository.list_investments(session, **filters)  # type: ignore[arg-type]
