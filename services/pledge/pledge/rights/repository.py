"""The rights' queries: enterprises, rights and appraisals, and which loans a right backs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from pledge.common import LIVE_VALUES
from pledge.enums import RightKind
from pledge.models import Appraisal, CollateralAlert, Enterprise, Loan, LoanCollateral, PledgedRight


async def get_enterprise(session: AsyncSession, credit_code: str) -> Enterprise | None:
    """An enterprise by credit code."""
    return await session.get(Enterprise, credit_code)


async def get_right(session: AsyncSession, right_id: int) -> PledgedRight | None:
    """A right by id."""
    return await session.get(PledgedRight, right_id)


async def find_right(session: AsyncSession, kind: RightKind, number: str) -> PledgedRight | None:
    """A right by kind and number."""
    return await session.scalar(
        select(PledgedRight).where(col(PledgedRight.kind) == kind.value, col(PledgedRight.number) == number)
    )


async def latest_appraisal(session: AsyncSession, right_id: int) -> Appraisal | None:
    """The most recent valuation of a right."""
    return await session.scalar(
        select(Appraisal)
        .where(col(Appraisal.right_id) == right_id)
        .order_by(col(Appraisal.appraised_date).desc(), col(Appraisal.id).desc())
        .limit(1)
    )


async def live_loan_of_right(session: AsyncSession, right_id: int) -> str | None:
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
