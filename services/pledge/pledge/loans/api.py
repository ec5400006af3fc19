"""The loans' routes: submit (banks), read and list, move through the state machine, repay,
record the registration decision, read the history; and the operators' DPD run."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import BankOrOperator, BankPrincipal, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge.enums import LoanStatus
from pledge.loans import service
from pledge.loans.schemas import (
    DisbursementRestatement,
    DpdRecompute,
    DpdRecomputePublic,
    LoanCreate,
    LoanHistory,
    LoanPage,
    LoanPublic,
    LoanTransition,
    RegistrationPublic,
    RegistrationUpdate,
    RepaymentCreate,
    RepaymentPublic,
    dpd_recompute_public,
    history_public,
    loan_public,
    loan_summary,
    repayment_public,
)

router = APIRouter()


@router.post("/loans", status_code=201, response_model=LoanPublic)
async def submit_loan(
    body: LoanCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Submit an IP-pledged loan. A right that backs another live loan is a 409."""

    async def work(session: AsyncSession) -> tuple[int, LoanPublic]:
        return 201, loan_public(await service.submit_loan(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/loans", response_model=LoanPage)
async def list_loans(
    principal: BankOrOperator,
    runtime: Runtime,
    status: LoanStatus | None = None,
    at_risk: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> LoanPage:
    """Loans, newest first: a bank sees its own, an operator all. `at_risk=true` lists loans whose
    pledged patent is named in an enforcement case."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_loans(
            session, principal, status=status, at_risk=at_risk, limit=limit, offset=offset
        )
    return LoanPage(items=[loan_summary(r) for r in rows], total=total)


@router.get("/loans/{loan_id}", response_model=LoanPublic)
async def get_loan(loan_id: str, principal: BankOrOperator, runtime: Runtime) -> LoanPublic:
    """A loan with its collateral, registration, allowed moves, collateral alerts and the
    guidance-fund investments linked to it (投贷联动, announced by operations)."""
    async with runtime.sessionmaker() as session:
        return loan_public(await service.read_loan(session, principal, loan_id))


@router.get("/loans/{loan_id}/history", response_model=LoanHistory)
async def loan_history(loan_id: str, principal: BankOrOperator, runtime: Runtime) -> LoanHistory:
    """Every move (with actor and time) and every DPD bucket change, oldest first."""
    async with runtime.sessionmaker() as session:
        moves, dpd = await service.loan_history(session, principal, loan_id)
    return history_public(moves, dpd)


@router.post("/loans/{loan_id}/transitions", response_model=LoanPublic)
async def move_loan(
    loan_id: str,
    body: LoanTransition,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Apply one move (approve, reject, withdraw, register, disburse, mark_overdue, default,
    close_repaid, write_off, undo_approve, undo_disburse). An illegal move is 409 with `allowed_moves`."""

    async def work(session: AsyncSession) -> tuple[int, LoanPublic]:
        return 200, loan_public(await service.move_loan(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/loans/{loan_id}/repayments", status_code=201, response_model=RepaymentPublic)
async def record_repayment(
    loan_id: str,
    body: RepaymentCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Report a repayment; DPD is recomputed and a loan repaid in full closes."""

    async def work(session: AsyncSession) -> tuple[int, RepaymentPublic]:
        return 201, repayment_public(*await service.record_repayment(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/loans/{loan_id}/disbursement-restatements", response_model=LoanPublic)
async def restate_disbursement(
    loan_id: str,
    body: DisbursementRestatement,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Correct the disbursement a bank reported on its disbursed or overdue loan: the principal
    paid out (`amount`; the outstanding principal moves by the difference) and/or the date it was
    paid out (`disbursed_date`, not in the future). The plan's pledge figures count the loan again
    with the corrected figures. Another status is 409; an amount not above the principal already
    repaid is 422."""

    async def work(session: AsyncSession) -> tuple[int, LoanPublic]:
        return 200, loan_public(await service.restate_disbursement(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/loans/{loan_id}/registration", response_model=RegistrationPublic)
async def update_registration(
    loan_id: str,
    body: RegistrationUpdate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record the national IP office refusing the pledge registration, or a registered change."""

    async def work(session: AsyncSession) -> tuple[int, RegistrationPublic]:
        registration = await service.update_registration(session, principal, loan_id, body)
        return 200, RegistrationPublic.model_validate(registration)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/dpd-recomputations", response_model=DpdRecomputePublic)
async def recompute_dpd(
    body: DpdRecompute,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Recompute days past due now (the daily job does the same each night)."""

    async def work(session: AsyncSession) -> tuple[int, DpdRecomputePublic]:
        return 200, dpd_recompute_public(*await service.recompute_dpd(session, body.as_of))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
