"""The loans' guidance-fund link (投贷联动, issue #13): the use cases behind operations' investment
events. The rules (what links, what is refused) are in `pledge.domain.investment`; a refusal
raises `LinkRefused`, which the consumer retries and then dead-letters. Idempotent by construction
as well as behind the inbox: the investment id is the row's key, a repeated `made` finds its row
and a repeated exit writes the same values. Never commit."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.operations import InvestmentExitedV1, InvestmentMadeV1
from ipops.money import to_fen
from pledge.domain.investment import LinkRefused, exit_refusal, link_refusal
from pledge.loans import repository
from pledge.models import LoanInvestment


async def record_investment(session: AsyncSession, payload: InvestmentMadeV1) -> LoanInvestment | None:
    """Keep an investment linked to a loan pledge holds, of the same enterprise; None when it
    names no loan (nothing of pledge's)."""
    if payload.pledge_loan_id is None:
        return None
    loan = await repository.find_loan(session, payload.pledge_loan_id)
    refusal = link_refusal(
        payload.pledge_loan_id, None if loan is None else loan.enterprise_credit_code, payload.credit_code
    )
    if refusal is not None or loan is None:
        raise LinkRefused(refusal)
    existing = await repository.get_investment(session, payload.investment_id)
    if existing is not None:
        return existing
    row = LoanInvestment(
        investment_id=payload.investment_id,
        loan_id=loan.id,
        fund_id=payload.fund_id,
        credit_code=loan.enterprise_credit_code,
        amount_fen=to_fen(payload.amount),
        invested_on=payload.invested_on,
        made_at=payload.made_at,
    )
    session.add(row)
    await session.flush()
    return row


async def record_exit(session: AsyncSession, payload: InvestmentExitedV1) -> LoanInvestment | None:
    """The fund's exit of a linked investment; None when the exit names no loan."""
    if payload.pledge_loan_id is None:
        return None
    row = await repository.get_investment(session, payload.investment_id, for_update=True)
    refusal = exit_refusal(payload.investment_id, None if row is None else row.loan_id, payload.pledge_loan_id)
    if refusal is not None or row is None:
        raise LinkRefused(refusal)
    row.exited_on = payload.exited_on
    row.exit_amount_fen = to_fen(payload.exit_amount)
    row.exited_at = payload.exited_at
    await session.flush()
    return row
