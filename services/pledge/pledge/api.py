"""Pledge routes under /api/v1/pledge: parse, authorise, open the transaction, call a use case,
return a schema. Every write goes through `idempotent_write` (an `Idempotency-Key` is required)."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AnyPrincipal, BankOrOperator, BankPrincipal, OperatorPrincipal, Role
from ipops.errors import NotFound
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.money import format_yuan
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from pledge import repository, service
from pledge.domain.ledger import CLAIMS, INTEREST, POOL_CASH, RECOVERIES
from pledge.enums import LoanStatus, RightKind
from pledge.models import Claim, InsurancePolicy, LedgerEntry, Loan, PledgedRight, PoolAgreement, Recovery
from pledge.schemas import (
    AgreementCreate,
    AgreementPage,
    AgreementPublic,
    AgreementTerms,
    AppraisalCreate,
    AppraisalPublic,
    BankCreate,
    BankPage,
    BankPublic,
    BankYear,
    ClaimCreate,
    ClaimPage,
    ClaimPublic,
    CollateralAlertPage,
    CollateralAlertPublic,
    CollateralPublic,
    DpdRecompute,
    DpdRecomputePublic,
    DpdRecordPublic,
    EnterpriseCreate,
    EnterprisePublic,
    FundingCreate,
    InsurancePolicyCreate,
    InsurancePolicyPage,
    InsurancePolicyPublic,
    InterestCreate,
    LedgerEntryPublic,
    LedgerPage,
    LoanCreate,
    LoanHistory,
    LoanPage,
    LoanPublic,
    LoanSummary,
    LoanTransition,
    PoolCreate,
    PoolPublic,
    RecoveryCreate,
    RecoveryPublic,
    RegistrationPublic,
    RegistrationUpdate,
    RepaymentCreate,
    RepaymentPublic,
    RightCreate,
    RightPublic,
    StateChangePublic,
    StatisticsPublic,
    YearStatistics,
)

router = APIRouter(prefix="/api/v1/pledge", tags=["pledge"])


# --- presenters -----------------------------------------------------------------------------------------------


def _loan_public(view: service.LoanView) -> LoanPublic:
    loan = view.loan
    return LoanPublic(
        id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        amount=format_yuan(loan.principal_fen),
        outstanding=format_yuan(loan.outstanding_fen),
        term_months=loan.term_months,
        status=loan.status,
        allowed_moves=view.allowed_moves,
        version=loan.version,
        mixed_pledge=view.mixed_pledge,
        collateral=[
            CollateralPublic(
                right_id=r.id or 0,
                kind=RightKind(r.kind),
                number=r.number,
                appraised_value=format_yuan(c.appraised_value_fen),
                released_at=c.released_at,
            )
            for c, r in view.collateral
        ],
        ip_share=str((Decimal(loan.ip_share_bp) / 100).quantize(Decimal("0.01"))),
        guarantor=loan.guarantor,
        insurer=loan.insurer,
        valuer=loan.valuer,
        covered=loan.covered,
        agreement_id=loan.agreement_id,
        coverage_note=loan.coverage_note,
        overdue_since=loan.overdue_since_date,
        days_past_due=loan.days_past_due,
        dpd_bucket=loan.dpd_bucket,
        default_principal=None if loan.default_principal_fen is None else format_yuan(loan.default_principal_fen),
        collateral_at_risk=loan.collateral_at_risk_at is not None,
        collateral_alerts=[CollateralAlertPublic.model_validate(a) for a in view.alerts],
        registration=RegistrationPublic.model_validate(view.registration) if view.registration else None,
        submitted_at=loan.submitted_at,
        approved_at=loan.approved_at,
        registered_at=loan.registered_at,
        disbursed_at=loan.disbursed_at,
        overdue_at=loan.overdue_at,
        defaulted_at=loan.defaulted_at,
        compensated_at=loan.compensated_at,
        closed_at=loan.closed_at,
    )


def _loan_summary(loan: Loan) -> LoanSummary:
    return LoanSummary(
        id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        amount=format_yuan(loan.principal_fen),
        outstanding=format_yuan(loan.outstanding_fen),
        status=loan.status,
        covered=loan.covered,
        days_past_due=loan.days_past_due,
        dpd_bucket=loan.dpd_bucket,
        collateral_at_risk=loan.collateral_at_risk_at is not None,
        submitted_at=loan.submitted_at,
    )


async def _right_public(session: AsyncSession, right: PledgedRight) -> RightPublic:
    appraisal = await repository.latest_appraisal(session, right.id or 0)
    return RightPublic(
        id=right.id or 0,
        kind=RightKind(right.kind),
        number=right.number,
        patent_type=right.patent_type,
        trademark_class=right.trademark_class,
        title=right.title,
        owner_credit_code=right.owner_credit_code,
        filing_date=right.filing_date,
        grant_date=right.grant_date,
        appraisal=None
        if appraisal is None
        else AppraisalPublic(
            id=appraisal.id or 0,
            value=format_yuan(appraisal.value_fen),
            valuer=appraisal.valuer,
            appraised_date=appraisal.appraised_date,
        ),
    )


def _claim_public(claim: Claim) -> ClaimPublic:
    return ClaimPublic(
        id=claim.id,
        loan_id=claim.loan_id,
        bank_id=claim.bank_id,
        agreement_id=claim.agreement_id,
        status=claim.status,
        loss=format_yuan(claim.loss_fen),
        pool_amount=format_yuan(claim.pool_fen),
        shares={p: format_yuan(v) for p, v in claim.shares.items()},
        capped_by=claim.capped_by,
        reason=claim.reason,
        filed_at=claim.filed_at,
    )


def _recovery_public(recovery: Recovery) -> RecoveryPublic:
    return RecoveryPublic(
        id=recovery.id or 0,
        loan_id=recovery.loan_id,
        claim_id=recovery.claim_id,
        amount=format_yuan(recovery.amount_fen),
        shares={p: format_yuan(v) for p, v in recovery.shares.items()},
        recorded_at=recovery.recorded_at,
    )


def _agreement_public(a: PoolAgreement) -> AgreementPublic:
    return AgreementPublic(
        id=a.id or 0,
        pool_id=a.pool_id,
        bank_id=a.bank_id,
        version=a.version,
        effective_from=a.effective_from,
        terms=AgreementTerms.model_validate(a.terms),
        created_by=a.created_by,
        created_at=a.created_at,
    )


def _pool_public(summary: service.PoolSummary) -> PoolPublic:
    b = summary.balances
    return PoolPublic(
        id=summary.pool.id,
        name=summary.pool.name,
        balance=format_yuan(b.get(POOL_CASH, 0)),
        contributions={a.split(":", 1)[1]: format_yuan(-v) for a, v in sorted(b.items()) if a.startswith("contrib")},
        interest=format_yuan(-b.get(INTEREST, 0)),
        claims_paid=format_yuan(b.get(CLAIMS, 0)),
        recoveries=format_yuan(-b.get(RECOVERIES, 0)),
        covered_outstanding=format_yuan(summary.covered_outstanding_fen),
    )


def _ledger_public(e: LedgerEntry) -> LedgerEntryPublic:
    return LedgerEntryPublic(
        journal_id=e.journal_id,
        account=e.account,
        debit=format_yuan(e.debit_fen),
        credit=format_yuan(e.credit_fen),
        kind=e.kind,
        reference=e.reference,
        posted_at=e.posted_at,
    )


def _policy_public(p: InsurancePolicy) -> InsurancePolicyPublic:
    return InsurancePolicyPublic(
        id=p.id or 0,
        policy_number=p.policy_number,
        insurer=p.insurer,
        product_type=p.product_type,
        enterprise_credit_code=p.enterprise_credit_code,
        insured_rights=p.insured_rights,
        sum_insured=format_yuan(p.sum_insured_fen),
        premium=format_yuan(p.premium_fen),
        subsidy=format_yuan(p.subsidy_fen),
        start_date=p.start_date,
        end_date=p.end_date,
    )


# --- banks -------------------------------------------------------------------------------------------------------


@router.post("/banks", status_code=201, response_model=BankPublic)
async def register_bank(
    body: BankCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register a cooperating bank (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, BankPublic]:
        bank = await service.register_bank(session, body)
        return 201, BankPublic.model_validate(bank)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/banks", response_model=BankPage)
async def list_banks(principal: AnyPrincipal, runtime: Runtime, limit: Limit = 50, offset: Offset = 0) -> BankPage:
    """Cooperating banks, with their suspension state."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_banks(session, limit=limit, offset=offset)
    return BankPage(items=[BankPublic.model_validate(r) for r in rows], total=total)


@router.post("/banks/{bank_id}/reinstatement", response_model=BankPublic)
async def reinstate_bank(
    bank_id: str,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Lift a bank's suspension from the pool (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, BankPublic]:
        return 200, BankPublic.model_validate(await service.reinstate_bank(session, bank_id))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/collateral-alerts", response_model=CollateralAlertPage)
async def list_collateral_alerts(
    principal: AnyPrincipal, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> CollateralAlertPage:
    """Patents named in enforcement cases (fed by enforcement events)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_alerts(session, limit=limit, offset=offset)
    return CollateralAlertPage(items=[CollateralAlertPublic.model_validate(r) for r in rows], total=total)


# --- enterprises and rights ------------------------------------------------------------------------------------------


@router.post("/enterprises", status_code=201, response_model=EnterprisePublic)
async def create_enterprise(
    body: EnterpriseCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record a borrowing enterprise by its unified social credit code."""

    async def work(session: AsyncSession) -> tuple[int, EnterprisePublic]:
        return 201, EnterprisePublic.model_validate(await service.create_enterprise(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/enterprises/{credit_code}", response_model=EnterprisePublic)
async def get_enterprise(credit_code: str, principal: BankOrOperator, runtime: Runtime) -> EnterprisePublic:
    """An enterprise."""
    async with runtime.sessionmaker() as session:
        enterprise = await repository.get_enterprise(session, credit_code.upper())
    if enterprise is None:
        raise NotFound(f"no enterprise {credit_code}")
    return EnterprisePublic.model_validate(enterprise)


@router.post("/rights", status_code=201, response_model=RightPublic)
async def create_right(
    body: RightCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record a patent (check digit verified, type derived) or a trademark (with its class)."""

    async def work(session: AsyncSession) -> tuple[int, RightPublic]:
        right = await service.create_right(session, body)
        return 201, await _right_public(session, right)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/rights/{right_id}", response_model=RightPublic)
async def get_right(right_id: int, principal: BankOrOperator, runtime: Runtime) -> RightPublic:
    """A right with its latest appraisal."""
    async with runtime.sessionmaker() as session:
        right = await repository.get_right(session, right_id)
        if right is None:
            raise NotFound(f"no right {right_id}")
        return await _right_public(session, right)


@router.post("/rights/{right_id}/appraisals", status_code=201, response_model=AppraisalPublic)
async def appraise_right(
    right_id: int,
    body: AppraisalCreate,
    request: Request,
    principal: BankOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Add a valuation of a right (amount, valuer, date)."""

    async def work(session: AsyncSession) -> tuple[int, AppraisalPublic]:
        a = await service.appraise_right(session, right_id, body)
        return 201, AppraisalPublic(
            id=a.id or 0, value=format_yuan(a.value_fen), valuer=a.valuer, appraised_date=a.appraised_date
        )

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


# --- loans ---------------------------------------------------------------------------------------------------------


@router.post("/loans", status_code=201, response_model=LoanPublic)
async def submit_loan(
    body: LoanCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Submit an IP-pledged loan. A right that backs another live loan is a 409."""

    async def work(session: AsyncSession) -> tuple[int, LoanPublic]:
        loan = await service.submit_loan(session, principal, body)
        return 201, _loan_public(await service.view_loan(session, loan))

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
        rows, total = await repository.list_loans(
            session, principal, status=status, at_risk=at_risk, limit=limit, offset=offset
        )
    return LoanPage(items=[_loan_summary(r) for r in rows], total=total)


@router.get("/loans/{loan_id}", response_model=LoanPublic)
async def get_loan(loan_id: str, principal: BankOrOperator, runtime: Runtime) -> LoanPublic:
    """A loan with its collateral, registration, allowed moves and collateral alerts."""
    async with runtime.sessionmaker() as session:
        return _loan_public(await service.read_loan(session, principal, loan_id))


@router.get("/loans/{loan_id}/history", response_model=LoanHistory)
async def loan_history(loan_id: str, principal: BankOrOperator, runtime: Runtime) -> LoanHistory:
    """Every move (with actor and time) and every DPD bucket change, oldest first."""
    async with runtime.sessionmaker() as session:
        await service.read_loan(session, principal, loan_id)
        moves, dpd = await repository.history(session, loan_id)
    return LoanHistory(
        state_changes=[StateChangePublic.model_validate(m) for m in moves],
        dpd_records=[DpdRecordPublic.model_validate(d) for d in dpd],
    )


@router.post("/loans/{loan_id}/transitions", response_model=LoanPublic)
async def move_loan(
    loan_id: str,
    body: LoanTransition,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Apply one move (approve, reject, withdraw, register, disburse, mark_overdue, default,
    close_repaid, write_off, undo_approve, undo_disburse). An illegal move is 409 with `allowed_moves`."""

    async def work(session: AsyncSession) -> tuple[int, LoanPublic]:
        loan = await service.move_loan(session, principal, loan_id, body)
        return 200, _loan_public(await service.view_loan(session, loan))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/loans/{loan_id}/repayments", status_code=201, response_model=RepaymentPublic)
async def record_repayment(
    loan_id: str,
    body: RepaymentCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Report a repayment; DPD is recomputed and a loan repaid in full closes."""

    async def work(session: AsyncSession) -> tuple[int, RepaymentPublic]:
        r, loan = await service.record_repayment(session, principal, loan_id, body)
        return 201, RepaymentPublic(
            id=r.id or 0,
            principal=format_yuan(r.principal_fen),
            interest=format_yuan(r.interest_fen),
            paid_date=r.paid_date,
            outstanding=format_yuan(loan.outstanding_fen),
            status=loan.status,
        )

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/loans/{loan_id}/registration", response_model=RegistrationPublic)
async def update_registration(
    loan_id: str,
    body: RegistrationUpdate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record the national IP office refusing the pledge registration, or a registered change."""

    async def work(session: AsyncSession) -> tuple[int, RegistrationPublic]:
        registration = await service.update_registration(session, principal, loan_id, body)
        return 200, RegistrationPublic.model_validate(registration)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/loans/{loan_id}/claims", status_code=201, response_model=ClaimPublic)
async def file_claim(
    loan_id: str,
    body: ClaimCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """File a compensation claim on a defaulted loan: it is paid or refused at once, with the reason."""

    async def work(session: AsyncSession) -> tuple[int, ClaimPublic]:
        return 201, _claim_public(await service.file_claim(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/loans/{loan_id}/recoveries", status_code=201, response_model=RecoveryPublic)
async def record_recovery(
    loan_id: str,
    body: RecoveryCreate,
    request: Request,
    principal: BankPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Report money recovered after default; it flows back to the pool and the parties pro rata."""

    async def work(session: AsyncSession) -> tuple[int, RecoveryPublic]:
        return 201, _recovery_public(await service.record_recovery(session, principal, loan_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/claims", response_model=ClaimPage)
async def list_claims(
    principal: BankOrOperator,
    runtime: Runtime,
    loan_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ClaimPage:
    """Claims, newest first: a bank sees its own."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_claims(session, principal, loan_id=loan_id, limit=limit, offset=offset)
    return ClaimPage(items=[_claim_public(c) for c in rows], total=total)


@router.get("/claims/{claim_id}", response_model=ClaimPublic)
async def get_claim(claim_id: str, principal: BankOrOperator, runtime: Runtime) -> ClaimPublic:
    """A claim with its split."""
    async with runtime.sessionmaker() as session:
        return _claim_public(await service.read_claim(session, principal, claim_id))


@router.post("/dpd-recomputations", response_model=DpdRecomputePublic)
async def recompute_dpd(
    body: DpdRecompute,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Recompute days past due now (the daily job does the same each night)."""

    async def work(session: AsyncSession) -> tuple[int, DpdRecomputePublic]:
        loans, changes = await service.recompute_dpd(session, body.as_of)
        return 200, DpdRecomputePublic(loans=loans, bucket_changes=changes)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


# --- pools and agreements --------------------------------------------------------------------------------------------


@router.post("/pools", status_code=201, response_model=PoolPublic)
async def create_pool(
    body: PoolCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Create a risk-compensation pool (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        pool = await service.create_pool(session, body)
        return 201, _pool_public(await service.pool_summary(session, pool.id))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pools/{pool_id}", response_model=PoolPublic)
async def get_pool(pool_id: str, principal: BankOrOperator, runtime: Runtime) -> PoolPublic:
    """A pool's balance and totals, derived from its ledger."""
    async with runtime.sessionmaker() as session:
        return _pool_public(await service.pool_summary(session, pool_id))


@router.post("/pools/{pool_id}/contributions", status_code=201, response_model=PoolPublic)
async def contribute(
    pool_id: str,
    body: FundingCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Pay money into the pool from a source: central, municipal or district (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        await service.fund_pool(session, pool_id, body)
        return 201, _pool_public(await service.pool_summary(session, pool_id))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/pools/{pool_id}/interest", status_code=201, response_model=PoolPublic)
async def credit_interest(
    pool_id: str,
    body: InterestCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Credit interest earned on the pool's account; it rolls into the pool (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, PoolPublic]:
        await service.fund_pool(session, pool_id, body)
        return 201, _pool_public(await service.pool_summary(session, pool_id))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pools/{pool_id}/ledger", response_model=LedgerPage)
async def pool_ledger(
    pool_id: str, principal: OperatorPrincipal, runtime: Runtime, limit: Limit = 100, offset: Offset = 0
) -> LedgerPage:
    """The pool's postings, oldest first (operators only)."""
    async with runtime.sessionmaker() as session:
        if await repository.get_pool(session, pool_id) is None:
            raise NotFound(f"no pool {pool_id}")
        rows, total = await repository.list_ledger(session, pool_id, limit=limit, offset=offset)
    return LedgerPage(items=[_ledger_public(e) for e in rows], total=total)


@router.post("/pool-agreements", status_code=201, response_model=AgreementPublic)
async def create_agreement(
    body: AgreementCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Add a version of a bank's pool agreement (operators only). Loans approved from its
    `effective_from` on are covered under it; earlier loans keep their version."""

    async def work(session: AsyncSession) -> tuple[int, AgreementPublic]:
        return 201, _agreement_public(await service.create_agreement(session, principal, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/pool-agreements", response_model=AgreementPage)
async def list_agreements(
    principal: BankOrOperator,
    runtime: Runtime,
    bank_id: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AgreementPage:
    """Agreement versions: a bank sees its own."""
    if principal.role is Role.BANK:
        bank_id = principal.tenant_id
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_agreements(session, bank_id=bank_id, limit=limit, offset=offset)
    return AgreementPage(items=[_agreement_public(a) for a in rows], total=total)


# --- insurance and statistics ----------------------------------------------------------------------------------------


@router.post("/insurance-policies", status_code=201, response_model=InsurancePolicyPublic)
async def create_policy(
    body: InsurancePolicyCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Record an IP insurance policy (operators only)."""

    async def work(session: AsyncSession) -> tuple[int, InsurancePolicyPublic]:
        return 201, _policy_public(await service.create_policy(session, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/insurance-policies", response_model=InsurancePolicyPage)
async def list_policies(
    principal: AnyPrincipal, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> InsurancePolicyPage:
    """IP insurance policies, newest first."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_policies(session, limit=limit, offset=offset)
    return InsurancePolicyPage(items=[_policy_public(p) for p in rows], total=total)


@router.get("/statistics", response_model=StatisticsPublic)
async def statistics(principal: AnyPrincipal, runtime: Runtime) -> StatisticsPublic:
    """The plan's figures per year: pledge amount and count (by year paid out), mixed pledges,
    insured amount, claims paid, recoveries, each bank's NPL ratio, and growth on the year before."""
    async with runtime.sessionmaker() as session:
        years, banks = await service.statistics(session)
    out: list[YearStatistics] = []
    for y in sorted(years):
        f, prev = years[y], years.get(y - 1)
        bank_rows = [
            BankYear(
                bank_id=b,
                disbursed=format_yuan(d),
                non_performing=format_yuan(n),
                npl_ratio=None if not d else str((Decimal(n) * 100 / d).quantize(Decimal("0.01"))),
            )
            for b, (d, n) in sorted(banks.get(y, {}).items())
        ]
        out.append(
            YearStatistics(
                year=y,
                pledge_amount=format_yuan(f.pledge_fen),
                pledge_count=f.pledge_count,
                mixed_pledge_count=f.mixed_count,
                insured_amount=format_yuan(f.insured_fen),
                policy_count=f.policy_count,
                claims_paid=format_yuan(f.claims_fen),
                recoveries=format_yuan(f.recoveries_fen),
                growth={
                    "pledge_amount": service.growth(f.pledge_fen, prev.pledge_fen if prev else None),
                    "pledge_count": service.growth(f.pledge_count, prev.pledge_count if prev else None),
                    "insured_amount": service.growth(f.insured_fen, prev.insured_fen if prev else None),
                },
                banks=bank_rows,
            )
        )
    return StatisticsPublic(years=out)
