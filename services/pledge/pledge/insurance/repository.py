"""The insurance policies' queries. A bank sees a policy only when it insures a right pledged for
one of the bank's loans (the policy records the enterprise and the numbers of the rights it
insures, not a bank)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.identifiers import normalize_patent_number
from pledge.models import InsurancePolicy, Loan, LoanCollateral, PledgedRight


def _number_key(number: str) -> str:
    """A right's number as it compares: a patent's normalised (`ZL` and spacing away), else as
    written without surrounding blanks."""
    try:
        return normalize_patent_number(number)
    except ValueError:
        return number.strip().upper()


async def _policy_ids_of_bank(session: AsyncSession, bank_id: str | None) -> list[str]:
    """Ids of the policies insuring a right pledged (now or before) for one of the bank's loans:
    the candidates are the policies of those rights' owners, kept when a number matches."""
    pledged = (
        select(col(PledgedRight.number), col(PledgedRight.owner_credit_code))
        .join(LoanCollateral, col(LoanCollateral.right_id) == col(PledgedRight.id))
        .join(Loan, col(Loan.id) == col(LoanCollateral.loan_id))
        .where(col(Loan.bank_id) == bank_id)
    )
    rows = (await session.execute(pledged)).all()
    numbers = {_number_key(number) for number, _ in rows}
    owners = {owner for _, owner in rows}
    if not owners:
        return []
    candidates = await session.execute(
        select(col(InsurancePolicy.id), col(InsurancePolicy.insured_rights)).where(
            col(InsurancePolicy.enterprise_credit_code).in_(owners)
        )
    )
    return [pid for pid, insured in candidates.all() if numbers & {_number_key(n) for n in insured or []}]


async def list_policies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[InsurancePolicy], int]:
    """The IP insurance policies `principal` may see, newest first: an operator all, a bank those
    on its loans' rights."""
    statement = select(InsurancePolicy)
    if not principal.is_operator:
        statement = statement.where(
            col(InsurancePolicy.id).in_(await _policy_ids_of_bank(session, principal.tenant_id))
        )
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    newest_first = statement.order_by(col(InsurancePolicy.created_at).desc(), col(InsurancePolicy.id))
    rows = await session.scalars(newest_first.limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def get_policy(session: AsyncSession, policy_id: str, *, for_update: bool = False) -> InsurancePolicy | None:
    """A policy by id (operators' route: no tenant filter), locked when `for_update`."""
    statement = select(InsurancePolicy).where(col(InsurancePolicy.id) == policy_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)
