"""The rights' queries: enterprises, rights and appraisals, and which loans a right backs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from pledge.common import LIVE_VALUES
from pledge.enums import RightKind
from pledge.models import Appraisal, CollateralAlert, Enterprise, Loan, LoanCollateral, PledgedRight


async def get_enterprise(session: AsyncSession, credit_code: str) -> Enterprise | None:
    """An enterprise by credit code."""
    return await session.get(Enterprise, credit_code)


def registrant(principal: Principal) -> str | None:
    """Who a new enterprise or right is recorded for: the calling bank (None for an operator)."""
    return None if principal.is_operator else principal.tenant_id


async def visible_enterprise(session: AsyncSession, principal: Principal, credit_code: str) -> Enterprise | None:
    """An enterprise `principal` may see: an operator any; a bank one it recorded, one that owns a
    right it recorded, or one that borrows on one of its loans."""
    statement = select(Enterprise).where(col(Enterprise.credit_code) == credit_code)
    if not principal.is_operator:
        bank_id = principal.tenant_id
        its_right = select(col(PledgedRight.id)).where(
            col(PledgedRight.owner_credit_code) == credit_code, col(PledgedRight.registered_by) == bank_id
        )
        its_loan = select(col(Loan.id)).where(
            col(Loan.enterprise_credit_code) == credit_code, col(Loan.bank_id) == bank_id
        )
        statement = statement.where(
            or_(col(Enterprise.registered_by) == bank_id, its_right.exists(), its_loan.exists())
        )
    return await session.scalar(statement)


async def visible_right(session: AsyncSession, principal: Principal, right_id: str) -> PledgedRight | None:
    """A right `principal` may see: an operator any; a bank one it recorded or one pledged (now or
    before) for one of its loans. Another bank's right is as absent as a missing one."""
    statement = select(PledgedRight).where(col(PledgedRight.id) == right_id)
    if not principal.is_operator:
        bank_id = principal.tenant_id
        backs_its_loan = (
            select(col(LoanCollateral.loan_id))
            .join(Loan, col(Loan.id) == col(LoanCollateral.loan_id))
            .where(col(LoanCollateral.right_id) == right_id, col(Loan.bank_id) == bank_id)
        )
        statement = statement.where(or_(col(PledgedRight.registered_by) == bank_id, backs_its_loan.exists()))
    return await session.scalar(statement)


async def find_right(session: AsyncSession, kind: RightKind, number: str) -> PledgedRight | None:
    """A right by kind and number."""
    return await session.scalar(
        select(PledgedRight).where(col(PledgedRight.kind) == kind.value, col(PledgedRight.number) == number)
    )


async def latest_appraisal(session: AsyncSession, right_id: str) -> Appraisal | None:
    """The most recent valuation of a right."""
    return await session.scalar(
        select(Appraisal)
        .where(col(Appraisal.right_id) == right_id)
        .order_by(col(Appraisal.appraised_date).desc(), col(Appraisal.created_at).desc())
        .limit(1)
    )


async def live_loan_of_right(session: AsyncSession, right_id: str) -> str | None:
    """The id of the live loan a right backs, if any."""
    return await session.scalar(
        select(col(LoanCollateral.loan_id)).where(
            col(LoanCollateral.right_id) == right_id, col(LoanCollateral.released_at).is_(None)
        )
    )


async def live_loans_pledging(session: AsyncSession, kind: RightKind, number: str) -> Sequence[Loan]:
    """Live loans whose unreleased collateral includes this right (locked: the handler flags them)."""
    rows = await session.scalars(
        select(Loan)
        .join(LoanCollateral, col(LoanCollateral.loan_id) == col(Loan.id))
        .join(PledgedRight, col(PledgedRight.id) == col(LoanCollateral.right_id))
        .where(
            col(PledgedRight.kind) == kind.value,
            col(PledgedRight.number) == number,
            col(LoanCollateral.released_at).is_(None),
            col(Loan.status).in_(LIVE_VALUES),
        )
        .with_for_update(of=Loan)
    )
    return rows.all()


async def list_alerts(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[CollateralAlert], int]:
    """Collateral alerts `principal` may see, newest first, and the total: an operator all, a bank
    those naming a right pledged (now or before) for one of its loans."""
    statement = select(CollateralAlert)
    if not principal.is_operator:
        on_my_loans = (
            select(col(LoanCollateral.loan_id))
            .join(PledgedRight, col(PledgedRight.id) == col(LoanCollateral.right_id))
            .join(Loan, col(Loan.id) == col(LoanCollateral.loan_id))
            .where(
                col(Loan.bank_id) == principal.tenant_id,
                col(PledgedRight.kind) == col(CollateralAlert.right_kind),
                col(PledgedRight.number) == col(CollateralAlert.patent_number),
            )
        )
        statement = statement.where(on_my_loans.exists())
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(statement.order_by(col(CollateralAlert.id).desc()).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def alerts_for_rights(session: AsyncSession, rights: Sequence[tuple[str, str]]) -> Sequence[CollateralAlert]:
    """Alerts naming any of `rights` ((kind, number) pairs), oldest first."""
    if not rights:
        return []
    rows = await session.scalars(
        select(CollateralAlert)
        .where(tuple_(col(CollateralAlert.right_kind), col(CollateralAlert.patent_number)).in_(list(rights)))
        .order_by(col(CollateralAlert.id))
    )
    return rows.all()
