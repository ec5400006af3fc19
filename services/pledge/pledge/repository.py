"""Every query of the pledge service. Queries that serve a bank take its `Principal` and filter in
SQL, so another bank's loan or claim is simply not found (404, never 403)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal, Role
from pledge.domain.ledger import POOL_CASH
from pledge.domain.loan import LIVE
from pledge.enums import ClaimStatus, LoanStatus, RightKind
from pledge.models import (
    Appraisal,
    Bank,
    Claim,
    CollateralAlert,
    Enterprise,
    InsurancePolicy,
    LedgerEntry,
    Loan,
    LoanCollateral,
    LoanDpdRecord,
    LoanStateChange,
    PledgedRight,
    PledgeRegistration,
    Pool,
    PoolAgreement,
    Recovery,
)

LIVE_VALUES = sorted(s.value for s in LIVE)


# --- banks, enterprises, rights ------------------------------------------------------------------------


async def get_bank(session: AsyncSession, bank_id: str, *, for_update: bool = False) -> Bank | None:
    """A bank by id."""
    return await session.get(Bank, bank_id, with_for_update=for_update)


async def list_banks(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[Bank], int]:
    """A page of banks by name, and the total."""
    total = await session.scalar(select(func.count()).select_from(Bank))
    rows = await session.scalars(select(Bank).order_by(col(Bank.name)).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def list_alerts(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[CollateralAlert], int]:
    """Collateral alerts, newest first, and the total."""
    total = await session.scalar(select(func.count()).select_from(CollateralAlert))
    rows = await session.scalars(
        select(CollateralAlert).order_by(col(CollateralAlert.id).desc()).limit(limit).offset(offset)
    )
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


# --- loans ---------------------------------------------------------------------------------------------------


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


async def loan_collateral(session: AsyncSession, loan_id: str) -> Sequence[tuple[LoanCollateral, PledgedRight]]:
    """The rights pledged for a loan."""
    rows = await session.execute(
        select(LoanCollateral, PledgedRight)
        .join(PledgedRight, col(PledgedRight.id) == col(LoanCollateral.right_id))
        .where(col(LoanCollateral.loan_id) == loan_id)
        .order_by(col(PledgedRight.kind), col(PledgedRight.number))
    )
    return [(c, r) for c, r in rows.all()]


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
    from pledge.models import Repayment

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


# --- pools, agreements, ledger ----------------------------------------------------------------------------------


async def get_pool(session: AsyncSession, pool_id: str, *, for_update: bool = False) -> Pool | None:
    """A pool; `for_update` serialises everyone who moves its money (claims above all)."""
    return await session.get(Pool, pool_id, with_for_update=for_update)


async def account_balances(session: AsyncSession, pool_id: str) -> dict[str, int]:
    """Debit-minus-credit per account of a pool's ledger."""
    rows = await session.execute(
        select(col(LedgerEntry.account), func.sum(col(LedgerEntry.debit_fen) - col(LedgerEntry.credit_fen)))
        .where(col(LedgerEntry.pool_id) == pool_id)
        .group_by(col(LedgerEntry.account))
    )
    return {account: int(total or 0) for account, total in rows.all()}


async def pool_balance(session: AsyncSession, pool_id: str) -> int:
    """The pool's cash: the sum of its `pool_cash` postings."""
    total = await session.scalar(
        select(func.coalesce(func.sum(col(LedgerEntry.debit_fen) - col(LedgerEntry.credit_fen)), 0)).where(
            col(LedgerEntry.pool_id) == pool_id, col(LedgerEntry.account) == POOL_CASH
        )
    )
    return int(total or 0)


async def list_ledger(
    session: AsyncSession, pool_id: str, *, limit: int, offset: int
) -> tuple[Sequence[LedgerEntry], int]:
    """A pool's postings, oldest first."""
    where = col(LedgerEntry.pool_id) == pool_id
    total = await session.scalar(select(func.count()).select_from(LedgerEntry).where(where))
    rows = await session.scalars(
        select(LedgerEntry).where(where).order_by(col(LedgerEntry.id)).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


async def covered_outstanding(session: AsyncSession, pool_id: str) -> int:
    """The IP-covered part of the outstanding principal of live covered loans on this pool."""
    total = await session.scalar(
        select(func.coalesce(func.sum(col(Loan.outstanding_fen) * col(Loan.ip_share_bp) // 10000), 0))
        .join(PoolAgreement, col(PoolAgreement.id) == col(Loan.agreement_id))
        .where(col(PoolAgreement.pool_id) == pool_id, col(Loan.covered).is_(True), col(Loan.status).in_(LIVE_VALUES))
    )
    return int(total or 0)


async def agreement_in_force(session: AsyncSession, bank_id: str, at: datetime) -> PoolAgreement | None:
    """The bank's agreement version in force at `at`: the newest already effective."""
    return await session.scalar(
        select(PoolAgreement)
        .where(col(PoolAgreement.bank_id) == bank_id, col(PoolAgreement.effective_from) <= at)
        .order_by(col(PoolAgreement.effective_from).desc(), col(PoolAgreement.version).desc())
        .limit(1)
    )


async def next_agreement_version(session: AsyncSession, bank_id: str) -> int:
    """The version number a new agreement of this bank gets."""
    current = await session.scalar(
        select(func.max(col(PoolAgreement.version))).where(col(PoolAgreement.bank_id) == bank_id)
    )
    return int(current or 0) + 1


async def list_agreements(
    session: AsyncSession, *, bank_id: str | None, limit: int, offset: int
) -> tuple[Sequence[PoolAgreement], int]:
    """Agreement versions, newest first."""
    statement = select(PoolAgreement)
    if bank_id is not None:
        statement = statement.where(col(PoolAgreement.bank_id) == bank_id)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(col(PoolAgreement.bank_id), col(PoolAgreement.version).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


# --- claims and recoveries ---------------------------------------------------------------------------------------


def readable_claims(principal: Principal) -> Select[Claim]:
    """The claims `principal` may see."""
    statement = select(Claim)
    if principal.role is not Role.OPERATOR:
        statement = statement.where(col(Claim.bank_id) == principal.tenant_id)
    return statement


async def get_claim(session: AsyncSession, principal: Principal, claim_id: str) -> Claim | None:
    """A claim `principal` may see."""
    return await session.scalar(readable_claims(principal).where(col(Claim.id) == claim_id))


async def list_claims(
    session: AsyncSession, principal: Principal, *, loan_id: str | None, limit: int, offset: int
) -> tuple[Sequence[Claim], int]:
    """A page of claims, newest first."""
    statement = readable_claims(principal)
    if loan_id is not None:
        statement = statement.where(col(Claim.loan_id) == loan_id)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(statement.order_by(col(Claim.filed_at).desc()).limit(limit).offset(offset))
    return rows.all(), int(total or 0)


async def paid_claim(session: AsyncSession, loan_id: str) -> Claim | None:
    """The paid claim of a loan, if any (there is at most one)."""
    return await session.scalar(
        select(Claim).where(col(Claim.loan_id) == loan_id, col(Claim.status) == ClaimStatus.PAID.value)
    )


async def enterprise_pool_paid(session: AsyncSession, credit_code: str) -> int:
    """What the pool has paid on all claims for one enterprise's loans."""
    total = await session.scalar(
        select(func.coalesce(func.sum(col(Claim.pool_fen)), 0))
        .join(Loan, col(Loan.id) == col(Claim.loan_id))
        .where(col(Loan.enterprise_credit_code) == credit_code, col(Claim.status) == ClaimStatus.PAID.value)
    )
    return int(total or 0)


async def recoveries_of(session: AsyncSession, loan_id: str) -> Sequence[Recovery]:
    """A loan's recoveries, oldest first."""
    rows = await session.scalars(select(Recovery).where(col(Recovery.loan_id) == loan_id).order_by(col(Recovery.id)))
    return rows.all()


# --- insurance and statistics ----------------------------------------------------------------------------------------


async def list_policies(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[InsurancePolicy], int]:
    """IP insurance policies, newest first."""
    total = await session.scalar(select(func.count()).select_from(InsurancePolicy))
    rows = await session.scalars(
        select(InsurancePolicy).order_by(col(InsurancePolicy.id).desc()).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


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


async def bank_npl_figures(session: AsyncSession, bank_id: str, year: int) -> tuple[int, int]:
    """(principal disbursed, principal defaulted) of one bank in one year."""
    disbursed = defaulted = 0
    for at, bank, principal, _p, _t in await disbursed_loans_with_kinds(session):
        if bank == bank_id and at.year == year:
            disbursed += principal
    for at, bank, principal in await defaulted_loans(session):
        if bank == bank_id and at.year == year:
            defaulted += principal
    return disbursed, defaulted


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
