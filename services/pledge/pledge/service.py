"""Pledge use cases: load via the repository, apply the domain rules, persist, add the events to
the outbox. Never commit: the route (or the consumer runner, or the daily job) owns the transaction.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.contracts.pledge import (
    BankRegisteredV1,
    BankSuspendedV1,
    ClaimPaidV1,
    ClaimRefusedV1,
    LoanApprovalUndoneV1,
    LoanApprovedV1,
    LoanClosedV1,
    LoanDefaultedV1,
    LoanDisbursedV1,
    LoanDisbursementUndoneV1,
    LoanSubmittedV1,
    PoolFundedV1,
    RecoveryRecordedV1,
)
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.identifiers import patent_type
from ipops.money import format_yuan, to_fen
from pledge import repository
from pledge.domain import compensation, ledger
from pledge.domain.loan import (
    BANK_MOVES,
    StateChange,
    allowed_moves,
    days_past_due,
    dpd_bucket,
    past_maturity_since,
    transition,
)
from pledge.enums import ClaimStatus, LoanStatus, Move, Party, RegistrationStatus, RightKind
from pledge.models import (
    Appraisal,
    Bank,
    Claim,
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
    Repayment,
)
from pledge.schemas import (
    AgreementCreate,
    AgreementTerms,
    AppraisalCreate,
    BankCreate,
    ClaimCreate,
    EnterpriseCreate,
    FundingCreate,
    InsurancePolicyCreate,
    InterestCreate,
    LoanCreate,
    LoanTransition,
    PatentCreate,
    PoolCreate,
    RecoveryCreate,
    RegistrationUpdate,
    RepaymentCreate,
    TrademarkCreate,
)

SOURCE = "/ipops/pledge"


@contextlib.contextmanager
def body_fields() -> Iterator[None]:
    """Name the domain's fields as the request body does (`terms.shares` -> `body.terms.shares`),
    the way schema validation errors name them."""
    try:
        yield
    except RuleViolation as exc:
        for error in exc.extensions.get("errors", []):
            if not error["field"].startswith("body."):
                error["field"] = f"body.{error['field']}"
        raise


def now() -> datetime:
    """The current instant, UTC."""
    return datetime.now(UTC)


async def _flush_or_conflict(session: AsyncSession, message: str) -> None:
    """Flush; a unique key taken by a concurrent request (with another Idempotency-Key) is a 409,
    not a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(message) from exc


# --- banks -------------------------------------------------------------------------------------------------


async def register_bank(session: AsyncSession, data: BankCreate) -> Bank:
    """Register a bank; its id must be new."""
    if await repository.get_bank(session, data.id) is not None:
        raise Conflict(f"bank {data.id} is already registered")
    bank = Bank(id=data.id, name=data.name, registered_at=now())
    session.add(bank)
    await _flush_or_conflict(session, f"bank {data.id} is already registered")
    add_to_outbox(
        session,
        BankRegisteredV1(bank_id=bank.id, name=bank.name, registered_at=bank.registered_at),
        source=SOURCE,
        key=bank.id,
    )
    return bank


async def reinstate_bank(session: AsyncSession, bank_id: str) -> Bank:
    """Lift a bank's suspension (operators decide, after review)."""
    bank = await repository.get_bank(session, bank_id, for_update=True)
    if bank is None:
        raise NotFound(f"no bank {bank_id}")
    if bank.suspended_at is None:
        raise Conflict("the bank is not suspended")
    bank.suspended_at = None
    bank.suspension_reason = None
    return bank


async def _bank_of(session: AsyncSession, principal: Principal) -> Bank:
    bank = await repository.get_bank(session, principal.tenant_id or "")
    if bank is None:
        raise Forbidden("the calling bank is not registered with the programme")
    return bank


# --- enterprises and rights -----------------------------------------------------------------------------------


async def create_enterprise(session: AsyncSession, data: EnterpriseCreate) -> Enterprise:
    """Record an enterprise; its credit code must be new."""
    if await repository.get_enterprise(session, data.credit_code) is not None:
        raise Conflict(f"enterprise {data.credit_code} already exists")
    enterprise = Enterprise(credit_code=data.credit_code, name=data.name, created_at=now())
    session.add(enterprise)
    await _flush_or_conflict(session, f"enterprise {data.credit_code} already exists")
    return enterprise


async def create_right(session: AsyncSession, data: PatentCreate | TrademarkCreate) -> PledgedRight:
    """Record a patent (type derived from its number) or a trademark."""
    kind = RightKind(data.kind)
    if await repository.get_enterprise(session, data.owner_credit_code) is None:
        raise RuleViolation("no such enterprise", field="body.owner_credit_code")
    if await repository.find_right(session, kind, data.number) is not None:
        raise Conflict(f"{kind.value} {data.number} is already recorded")
    ptype = patent_type(data.number) if kind is RightKind.PATENT else None
    right = PledgedRight(
        kind=kind.value,
        number=data.number,
        patent_type=ptype.value if ptype else None,
        trademark_class=data.trademark_class if isinstance(data, TrademarkCreate) else None,
        title=data.title,
        owner_credit_code=data.owner_credit_code,
        filing_date=data.filing_date,
        grant_date=data.grant_date,
        created_at=now(),
    )
    session.add(right)
    await _flush_or_conflict(session, f"{kind.value} {data.number} is already recorded")
    return right


async def appraise_right(session: AsyncSession, right_id: int, data: AppraisalCreate) -> Appraisal:
    """Add a valuation of a right (the latest is the one a new loan uses)."""
    if await repository.get_right(session, right_id) is None:
        raise NotFound(f"no right {right_id}")
    appraisal = Appraisal(
        right_id=right_id,
        value_fen=to_fen(data.value),
        valuer=data.valuer,
        appraised_date=data.appraised_date,
        created_at=now(),
    )
    session.add(appraisal)
    await session.flush()
    return appraisal


# --- loans: submission and moves ------------------------------------------------------------------------------


@dataclass
class LoanView:
    """A loan with what its public view needs."""

    loan: Loan
    collateral: Sequence[tuple[LoanCollateral, PledgedRight]]
    registration: PledgeRegistration | None
    alerts: Sequence[Any]

    @property
    def patent_numbers(self) -> list[str]:
        """Numbers of the pledged patents."""
        return [r.number for _, r in self.collateral if r.kind == RightKind.PATENT.value]

    @property
    def trademark_numbers(self) -> list[str]:
        """Numbers of the pledged trademarks."""
        return [r.number for _, r in self.collateral if r.kind == RightKind.TRADEMARK.value]

    @property
    def mixed_pledge(self) -> bool:
        """A patent and a trademark pledged together (derived, never stored)."""
        return bool(self.patent_numbers) and bool(self.trademark_numbers)

    @property
    def allowed_moves(self) -> list[str]:
        """Moves allowed from the loan's status."""
        return allowed_moves(LoanStatus(self.loan.status))


async def view_loan(session: AsyncSession, loan: Loan) -> LoanView:
    """Gather a loan's collateral, registration and alerts."""
    collateral = await repository.loan_collateral(session, loan.id)
    registration = await repository.get_registration(session, loan.id)
    rights = [(r.kind, r.number) for _, r in collateral]
    alerts = await repository.alerts_for_rights(session, rights) if loan.collateral_at_risk_at else []
    return LoanView(loan, collateral, registration, alerts)


async def read_loan(session: AsyncSession, principal: Principal, loan_id: str) -> LoanView:
    """A loan `principal` may see, or NotFound."""
    loan = await repository.get_loan(session, principal, loan_id)
    if loan is None:
        raise NotFound(f"no loan {loan_id}")
    return await view_loan(session, loan)


def _record(session: AsyncSession, loan: Loan, change: StateChange) -> None:
    loan.status = change.to_status.value
    loan.version += 1
    session.add(
        LoanStateChange(
            loan_id=loan.id,
            from_status=change.from_status.value,
            to_status=change.to_status.value,
            move=change.move.value,
            actor=change.actor,
            reason=change.reason,
            at=change.at,
        )
    )


async def submit_loan(session: AsyncSession, principal: Principal, data: LoanCreate) -> Loan:
    """A bank submits a loan on appraised rights, none of which may back another live loan."""
    bank = await _bank_of(session, principal)
    if await repository.get_enterprise(session, data.enterprise_credit_code) is None:
        raise RuleViolation("no such enterprise; record it first", field="body.enterprise_credit_code")
    if len(set(data.right_ids)) != len(data.right_ids):
        raise RuleViolation("a right is listed twice", field="body.right_ids")
    at = now()
    loan_id = str(uuid.uuid4())
    values: list[tuple[PledgedRight, int]] = []
    for i, right_id in enumerate(data.right_ids):
        right = await repository.get_right(session, right_id)
        if right is None:
            raise RuleViolation("no such right", field=f"body.right_ids.{i}")
        appraisal = await repository.latest_appraisal(session, right_id)
        if appraisal is None:
            raise RuleViolation("the right has no appraisal", field=f"body.right_ids.{i}")
        other = await repository.live_loan_of_right(session, right_id)
        if other is not None:
            message = f"{right.kind} {right.number} already backs a live loan"
            raise Conflict(message, errors=[{"field": f"body.right_ids.{i}", "message": message}])
        values.append((right, appraisal.value_fen))
    ip_value = sum(v for _, v in values)
    other_value = to_fen(data.other_collateral_value)
    ip_share_bp = ip_value * compensation.BASIS // (ip_value + other_value) if ip_value + other_value else 0
    loan = Loan(
        id=loan_id,
        bank_id=bank.id,
        enterprise_credit_code=data.enterprise_credit_code,
        principal_fen=to_fen(data.amount),
        outstanding_fen=to_fen(data.amount),
        ip_value_fen=ip_value,
        other_collateral_fen=other_value,
        ip_share_bp=ip_share_bp,
        term_months=data.term_months,
        guarantor=data.guarantor,
        insurer=data.insurer,
        valuer=data.valuer,
        status=LoanStatus.SUBMITTED.value,
        submitted_at=at,
    )
    session.add(loan)
    await session.flush()
    for right, value in values:
        session.add(LoanCollateral(loan_id=loan_id, right_id=right.id or 0, appraised_value_fen=value))
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent submission took one of the rights first
        message = "a pledged right already backs a live loan"
        raise Conflict(message, errors=[{"field": "body.right_ids", "message": message}]) from exc
    session.add(
        LoanStateChange(
            loan_id=loan_id,
            from_status="new",
            to_status=LoanStatus.SUBMITTED.value,
            move="submit",
            actor=principal.subject,
            at=at,
        )
    )
    patents = [r.number for r, _ in values if r.kind == RightKind.PATENT.value]
    trademarks = [r.number for r, _ in values if r.kind == RightKind.TRADEMARK.value]
    if await repository.alerts_for_rights(session, [(r.kind, r.number) for r, _ in values]):
        loan.collateral_at_risk_at = at
    add_to_outbox(
        session,
        LoanSubmittedV1(
            loan_id=loan_id,
            bank_id=bank.id,
            enterprise_credit_code=loan.enterprise_credit_code,
            amount=format_yuan(loan.principal_fen),
            mixed_pledge=bool(patents and trademarks),
            patent_numbers=patents,
            trademark_numbers=trademarks,
            submitted_at=at,
        ),
        source=SOURCE,
        key=loan_id,
    )
    return loan


async def _locked_loan(session: AsyncSession, principal: Principal, loan_id: str) -> Loan:
    loan = await repository.get_loan(session, principal, loan_id, for_update=True)
    if loan is None:
        raise NotFound(f"no loan {loan_id}")
    return loan


async def _release(session: AsyncSession, loan: Loan, at: datetime) -> None:
    """The loan ended: its rights are free again and its pledge registration is cancelled."""
    for link, _ in await repository.loan_collateral(session, loan.id):
        if link.released_at is None:
            link.released_at = at
    registration = await repository.get_registration(session, loan.id)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED.value:
        registration.status = RegistrationStatus.CANCELLED.value
        registration.cancelled_at = at
        registration.updated_at = at


def _terms(agreement: PoolAgreement) -> compensation.AgreementTerms:
    return terms_to_domain(AgreementTerms.model_validate(agreement.terms))


def terms_to_domain(terms: AgreementTerms) -> compensation.AgreementTerms:
    """The domain's view of an agreement's terms (yuan to fen)."""

    def fen(v: Decimal | None) -> int | None:
        return None if v is None else to_fen(v)

    return compensation.AgreementTerms(
        shares=dict(terms.shares),
        remainder_to=terms.remainder_to,
        bands=tuple(compensation.Band(to_fen(b.up_to), dict(b.shares)) for b in terms.bands),
        per_loan_cap_fen=fen(terms.per_loan_cap),
        per_enterprise_cap_fen=fen(terms.per_enterprise_cap),
        min_ip_share=terms.min_ip_share,
        leverage_limit=terms.leverage_limit,
        npl_suspension_threshold=terms.npl_suspension_threshold,
        max_loan_fen=fen(terms.max_loan),
        eligible_right_types=None if terms.eligible_right_types is None else frozenset(terms.eligible_right_types),
    )


async def _decide_coverage(session: AsyncSession, loan: Loan, at: datetime) -> None:
    """At approval, cover the loan under the bank's agreement version then in force, if eligible."""
    loan.covered, loan.agreement_id, loan.coverage_note = False, None, None
    agreement = await repository.agreement_in_force(session, loan.bank_id, at)
    if agreement is None:
        loan.coverage_note = "no pool agreement in force for the bank"
        return
    bank = await repository.get_bank(session, loan.bank_id)
    right_types = [r.patent_type or r.kind for _, r in await repository.loan_collateral(session, loan.id)]
    refusal = compensation.coverage_refusal(
        _terms(agreement),
        principal_fen=loan.principal_fen,
        ip_share_bp=loan.ip_share_bp,
        bank_suspended=bank is not None and bank.suspended_at is not None,
        covered_outstanding_fen=await repository.covered_outstanding(session, agreement.pool_id),
        pool_balance_fen=await repository.pool_balance(session, agreement.pool_id),
        right_types=right_types,
    )
    loan.agreement_id = agreement.id
    loan.covered = refusal is None
    loan.coverage_note = refusal


async def _set_dpd(session: AsyncSession, loan: Loan, as_of: date, at: datetime) -> bool:
    """Recompute days past due; a bucket change is written to the DPD history. True if it changed."""
    days = days_past_due(loan.overdue_since_date, as_of)
    bucket = dpd_bucket(days)
    changed = bucket != loan.dpd_bucket
    loan.days_past_due = days
    if changed:
        loan.dpd_bucket = bucket
        session.add(LoanDpdRecord(loan_id=loan.id, as_of_date=as_of, days_past_due=days, bucket=bucket, at=at))
    return changed


async def _maybe_suspend(session: AsyncSession, loan: Loan, at: datetime) -> None:
    """After a default: suspend the bank when its NPL ratio this year passes its agreement's line."""
    agreement = await repository.agreement_in_force(session, loan.bank_id, at)
    bank = await repository.get_bank(session, loan.bank_id, for_update=True)
    if agreement is None or bank is None or bank.suspended_at is not None:
        return
    disbursed, defaulted = await repository.bank_npl_figures(session, bank.id, at.year)
    if compensation.npl_ratio_exceeded(_terms(agreement), npl_fen=defaulted, disbursed_fen=disbursed):
        bank.suspended_at = at
        bank.suspension_reason = (
            f"non-performing principal {format_yuan(defaulted)} of {format_yuan(disbursed)} disbursed in {at.year} "
            f"passes the {_terms(agreement).npl_suspension_threshold}% threshold"
        )
        add_to_outbox(
            session,
            BankSuspendedV1(bank_id=bank.id, reason=bank.suspension_reason, suspended_at=at),
            source=SOURCE,
            key=bank.id,
        )


async def move_loan(session: AsyncSession, principal: Principal, loan_id: str, data: LoanTransition) -> Loan:
    """Apply one move of the state machine to a bank's loan; 409 with the allowed moves if illegal."""
    loan = await _locked_loan(session, principal, loan_id)
    if data.move not in BANK_MOVES:
        raise RuleViolation(
            f"{data.move.value} is not made directly: it follows a repayment, claim or recovery", field="body.move"
        )
    at = now()
    change = transition(LoanStatus(loan.status), data.move, actor=principal.subject, at=at, reason=data.reason)
    move = data.move
    if move is Move.APPROVE:
        await _decide_coverage(session, loan, at)
        loan.approved_at = at
    elif move is Move.UNDO_APPROVE:
        loan.approved_at, loan.covered, loan.agreement_id, loan.coverage_note = None, False, None, None
    elif move is Move.REJECT:
        loan.rejected_at = at
        await _release(session, loan, at)
    elif move is Move.WITHDRAW:
        loan.withdrawn_at = at
        await _release(session, loan, at)
    elif move is Move.REGISTER:
        if data.registration_number is None:
            raise RuleViolation("registering needs the registration number", field="body.registration_number")
        if data.registered_date is None:
            raise RuleViolation("registering needs the registration date", field="body.registered_date")
        registration = await repository.get_registration(session, loan.id)
        if registration is None:
            registration = PledgeRegistration(loan_id=loan.id, status="", updated_at=at)
            session.add(registration)
        registration.status = RegistrationStatus.REGISTERED.value
        registration.registration_number = data.registration_number
        registration.registered_date = data.registered_date
        registration.refused_reason = None
        registration.updated_at = at
        loan.registered_at = at
    elif move is Move.DISBURSE:
        loan.disbursed_at = at
    elif move is Move.UNDO_DISBURSE:
        if await repository.count_repayments(session, loan.id):
            raise RuleViolation("a disbursement with repayments cannot be undone", field="body.move")
        loan.disbursed_at = None
    elif move is Move.MARK_OVERDUE:
        if data.overdue_since is None:
            raise RuleViolation("marking overdue needs the first day past due", field="body.overdue_since")
        loan.overdue_since_date = data.overdue_since
        loan.overdue_at = loan.overdue_at if loan.status == LoanStatus.OVERDUE.value else at
        await _set_dpd(session, loan, data.as_of or at.date(), at)
    elif move is Move.DEFAULT:
        loan.defaulted_at = at
        loan.default_principal_fen = loan.outstanding_fen
    elif move is Move.CLOSE_REPAID:
        if loan.outstanding_fen != 0:
            raise RuleViolation("a loan with principal outstanding cannot close as repaid", field="body.move")
        loan.closed_at = at
        await _release(session, loan, at)
    elif move is Move.WRITE_OFF:
        loan.closed_at = at
        await _release(session, loan, at)
    _record(session, loan, change)
    await session.flush()
    await _announce(session, loan, change)
    if move is Move.DEFAULT:
        await _maybe_suspend(session, loan, at)
    return loan


async def _announce(session: AsyncSession, loan: Loan, change: StateChange) -> None:
    """The event of a listed state change, into the outbox."""
    move, at = change.move, change.at
    payload: Any = None
    if move is Move.APPROVE:
        view = await view_loan(session, loan)
        enterprise = await repository.get_enterprise(session, loan.enterprise_credit_code)
        payload = LoanApprovedV1(
            loan_id=loan.id,
            bank_id=loan.bank_id,
            enterprise_credit_code=loan.enterprise_credit_code,
            enterprise_name=enterprise.name if enterprise else "",
            amount=format_yuan(loan.principal_fen),
            mixed_pledge=view.mixed_pledge,
            patent_numbers=view.patent_numbers,
            trademark_numbers=view.trademark_numbers,
            approved_at=at,
            covered=loan.covered,
        )
    elif move is Move.UNDO_APPROVE:
        payload = LoanApprovalUndoneV1(
            loan_id=loan.id, bank_id=loan.bank_id, amount=format_yuan(loan.principal_fen), undone_at=at
        )
    elif move is Move.DISBURSE:
        view = await view_loan(session, loan)
        payload = LoanDisbursedV1(
            loan_id=loan.id,
            bank_id=loan.bank_id,
            enterprise_credit_code=loan.enterprise_credit_code,
            amount=format_yuan(loan.principal_fen),
            mixed_pledge=view.mixed_pledge,
            covered=loan.covered,
            disbursed_at=at,
        )
    elif move is Move.UNDO_DISBURSE:
        payload = LoanDisbursementUndoneV1(
            loan_id=loan.id, bank_id=loan.bank_id, amount=format_yuan(loan.principal_fen), undone_at=at
        )
    elif move is Move.DEFAULT:
        payload = LoanDefaultedV1(
            loan_id=loan.id,
            bank_id=loan.bank_id,
            enterprise_credit_code=loan.enterprise_credit_code,
            outstanding_principal=format_yuan(loan.outstanding_fen),
            days_past_due=loan.days_past_due,
            defaulted_at=at,
        )
    elif move in (Move.CLOSE_REPAID, Move.WRITE_OFF):
        outcome = "repaid" if move is Move.CLOSE_REPAID else "written_off"
        payload = LoanClosedV1(loan_id=loan.id, bank_id=loan.bank_id, outcome=outcome, closed_at=at)
    if payload is not None:
        add_to_outbox(session, payload, source=SOURCE, key=loan.id)


async def record_repayment(
    session: AsyncSession, principal: Principal, loan_id: str, data: RepaymentCreate
) -> tuple[Repayment, Loan]:
    """A repayment: outstanding falls, DPD is recomputed (arrears cleared cures an overdue loan)
    and a loan repaid in full closes."""
    loan = await _locked_loan(session, principal, loan_id)
    at = now()
    change = transition(LoanStatus(loan.status), Move.REPAY, actor=principal.subject, at=at)
    principal_fen = to_fen(data.principal)
    if principal_fen > loan.outstanding_fen:
        raise RuleViolation("the repayment exceeds the outstanding principal", field="body.principal")
    if principal_fen == 0 and to_fen(data.interest) == 0:
        raise RuleViolation("a repayment repays something", field="body.principal")
    repayment = Repayment(
        loan_id=loan.id,
        principal_fen=principal_fen,
        interest_fen=to_fen(data.interest),
        paid_date=data.paid_date,
        actor=principal.subject,
        recorded_at=at,
    )
    session.add(repayment)
    loan.outstanding_fen -= principal_fen
    _record(session, loan, change)
    if loan.status == LoanStatus.OVERDUE.value:
        if data.still_overdue_since is None or loan.outstanding_fen == 0:
            loan.overdue_since_date = None
            await _set_dpd(session, loan, data.paid_date, at)
            _record(
                session,
                loan,
                transition(
                    LoanStatus.OVERDUE, Move.CURE, actor=principal.subject, at=at, reason="arrears cleared by repayment"
                ),
            )
        else:
            loan.overdue_since_date = data.still_overdue_since
            await _set_dpd(session, loan, data.paid_date, at)
    if loan.outstanding_fen == 0 and loan.status == LoanStatus.DISBURSED.value:
        close = transition(
            LoanStatus.DISBURSED, Move.CLOSE_REPAID, actor=principal.subject, at=at, reason="repaid in full"
        )
        loan.closed_at = at
        await _release(session, loan, at)
        _record(session, loan, close)
        await _announce(session, loan, close)
    await session.flush()
    return repayment, loan


async def update_registration(
    session: AsyncSession, principal: Principal, loan_id: str, data: RegistrationUpdate
) -> PledgeRegistration:
    """Record the IP office's refusal of a registration, or a registered change."""
    loan = await _locked_loan(session, principal, loan_id)
    registration = await repository.get_registration(session, loan.id)
    at = now()
    if data.status == "refused":
        # A refusal comes while the loan is approved and waiting for its registration: the loan
        # stays approved, to be registered after a new application or withdrawn.
        if loan.status != LoanStatus.APPROVED.value:
            raise Conflict(
                "only the registration of an approved loan can be refused",
                allowed_moves=allowed_moves(LoanStatus(loan.status)),
            )
        if registration is None:
            registration = PledgeRegistration(loan_id=loan.id, status="", updated_at=at)
            session.add(registration)
        registration.status = RegistrationStatus.REFUSED.value
        registration.refused_reason = data.reason
    else:
        if registration is None or registration.status not in (
            RegistrationStatus.REGISTERED.value,
            RegistrationStatus.CHANGED.value,
        ):
            raise Conflict("only a registered pledge can be changed")
        registration.status = RegistrationStatus.CHANGED.value
        registration.changed_at = at
        if data.registration_number is not None:
            registration.registration_number = data.registration_number
        if data.registered_date is not None:
            registration.registered_date = data.registered_date
    registration.updated_at = at
    await session.flush()
    return registration


DAILY_ACTOR = "system:daily-dpd"


async def recompute_dpd(session: AsyncSession, as_of: date) -> tuple[int, int]:
    """The daily run: a performing loan still owing principal after maturity becomes overdue (from
    the day after maturity); then every overdue or defaulted loan's days past due as of `as_of`."""
    at = now()
    for loan in await repository.performing_loans(session):
        if loan.disbursed_at is None:
            continue
        since = past_maturity_since(loan.disbursed_at.date(), loan.term_months, loan.outstanding_fen, as_of)
        if since is not None:
            change = transition(
                LoanStatus.DISBURSED,
                Move.MARK_OVERDUE,
                actor=DAILY_ACTOR,
                at=at,
                reason="principal outstanding after maturity",
            )
            loan.overdue_since_date, loan.overdue_at = since, at
            _record(session, loan, change)
    await session.flush()
    loans = await repository.loans_past_due(session)
    changes = 0
    for loan in loans:
        if await _set_dpd(session, loan, as_of, at):
            changes += 1
    await session.flush()
    return len(loans), changes


# --- pools, agreements, ledger -----------------------------------------------------------------------------------


async def create_pool(session: AsyncSession, data: PoolCreate) -> Pool:
    """A new, empty pool."""
    if await repository.get_pool(session, data.id) is not None:
        raise Conflict(f"pool {data.id} already exists")
    pool = Pool(id=data.id, name=data.name, created_at=now())
    session.add(pool)
    await _flush_or_conflict(session, f"pool {data.id} already exists")
    return pool


def _post(
    session: AsyncSession, pool: Pool, postings: list[ledger.Posting], kind: str, reference: str | None, at: datetime
) -> None:
    assert ledger.is_balanced(postings)
    journal_id = str(uuid.uuid4())
    for p in postings:
        session.add(
            LedgerEntry(
                pool_id=pool.id,
                journal_id=journal_id,
                account=p.account,
                debit_fen=p.debit_fen,
                credit_fen=p.credit_fen,
                kind=kind,
                reference=reference,
                posted_at=at,
            )
        )
    pool.version += 1


async def _pool_for_update(session: AsyncSession, pool_id: str) -> Pool:
    pool = await repository.get_pool(session, pool_id, for_update=True)
    if pool is None:
        raise NotFound(f"no pool {pool_id}")
    return pool


async def fund_pool(session: AsyncSession, pool_id: str, data: FundingCreate | InterestCreate) -> Pool:
    """A contribution (by source) or interest into the pool."""
    pool = await _pool_for_update(session, pool_id)
    at = now()
    amount = to_fen(data.amount)
    if isinstance(data, FundingCreate):
        _post(session, pool, ledger.contribution(amount, data.source), "contribution", data.source.value, at)
        kind, source = "contribution", data.source.value
    else:
        _post(session, pool, ledger.interest(amount), "interest", None, at)
        kind, source = "interest", None
    await session.flush()
    balance = await repository.pool_balance(session, pool.id)
    add_to_outbox(
        session,
        PoolFundedV1(
            pool_id=pool.id,
            kind=kind,
            source=source,
            amount=format_yuan(amount),
            balance=format_yuan(balance),
            funded_at=at,
        ),
        source=SOURCE,
        key=pool.id,
    )
    return pool


@dataclass
class PoolSummary:
    """A pool with its ledger totals."""

    pool: Pool
    balances: dict[str, int]
    covered_outstanding_fen: int


async def pool_summary(session: AsyncSession, pool_id: str) -> PoolSummary:
    """A pool's balance and totals, all derived from its postings."""
    pool = await repository.get_pool(session, pool_id)
    if pool is None:
        raise NotFound(f"no pool {pool_id}")
    return PoolSummary(
        pool,
        await repository.account_balances(session, pool_id),
        await repository.covered_outstanding(session, pool_id),
    )


async def create_agreement(session: AsyncSession, principal: Principal, data: AgreementCreate) -> PoolAgreement:
    """A new version of a bank's agreement (validated: shares sum to 100, bands increase...)."""
    with body_fields():
        compensation.validate_terms(terms_to_domain(data.terms))
    if await repository.get_pool(session, data.pool_id) is None:
        raise RuleViolation("no such pool", field="body.pool_id")
    bank = await repository.get_bank(session, data.bank_id, for_update=True)  # serialises versions
    if bank is None:
        raise RuleViolation("no such bank", field="body.bank_id")
    at = now()
    agreement = PoolAgreement(
        pool_id=data.pool_id,
        bank_id=data.bank_id,
        version=await repository.next_agreement_version(session, bank.id),
        effective_from=data.effective_from or at,
        terms=data.terms.model_dump(mode="json"),
        created_by=principal.subject,
        created_at=at,
    )
    session.add(agreement)
    await session.flush()
    return agreement


# --- claims and recoveries -------------------------------------------------------------------------------------------


async def file_claim(session: AsyncSession, principal: Principal, loan_id: str, data: ClaimCreate) -> Claim:
    """A bank's claim on a defaulted loan: computed by the agreement version the loan was covered
    under, paid when eligible and the pool (locked) can cover it, refused with the reason otherwise."""
    loan = await _locked_loan(session, principal, loan_id)
    if loan.status != LoanStatus.DEFAULTED.value:
        raise Conflict(
            f"a claim needs a defaulted loan; this one is {loan.status}",
            allowed_moves=allowed_moves(LoanStatus(loan.status)),
        )
    loss = to_fen(data.loss)
    recovered = sum(r.amount_fen for r in await repository.recoveries_of(session, loan.id))
    if loss > (loan.default_principal_fen or 0) - recovered:
        raise RuleViolation("the loss exceeds the principal outstanding at default less recoveries", field="body.loss")
    at = now()
    claim = Claim(
        id=str(uuid.uuid4()),
        loan_id=loan.id,
        bank_id=loan.bank_id,
        agreement_id=loan.agreement_id,
        status=ClaimStatus.REFUSED.value,
        loss_fen=loss,
        pool_fen=0,
        shares={},
        filed_at=at,
    )
    agreement = await session.get(PoolAgreement, loan.agreement_id) if loan.agreement_id else None
    if not loan.covered or agreement is None:
        claim.reason = "the loan is not covered by the pool" + (f": {loan.coverage_note}" if loan.coverage_note else "")
    else:
        pool = await _pool_for_update(session, agreement.pool_id)  # one claim at a time per pool
        bank = await repository.get_bank(session, loan.bank_id)
        with body_fields():
            decision = compensation.decide_claim(
                _terms(agreement),
                loss_fen=loss,
                principal_fen=loan.principal_fen,
                ip_share_bp=loan.ip_share_bp,
                enterprise_paid_fen=await repository.enterprise_pool_paid(session, loan.enterprise_credit_code),
                pool_balance_fen=await repository.pool_balance(session, pool.id),
                bank_suspended=bank is not None and bank.suspended_at is not None,
            )
        if decision.split is None:
            claim.reason = decision.refusal
        else:
            split = decision.split
            claim.status = ClaimStatus.PAID.value
            claim.pool_fen = split.pool_fen
            claim.shares = {p.value: v for p, v in split.parts.items() if v}
            claim.capped_by = split.capped_by
            _post(session, pool, ledger.claim_payment(split.pool_fen), "claim", claim.id, at)
            change = transition(
                LoanStatus.DEFAULTED, Move.COMPENSATE, actor=principal.subject, at=at, reason=f"claim {claim.id} paid"
            )
            loan.compensated_at = at
            _record(session, loan, change)
    session.add(claim)
    await session.flush()
    if claim.status == ClaimStatus.PAID.value and agreement is not None:
        add_to_outbox(
            session,
            ClaimPaidV1(
                claim_id=claim.id,
                loan_id=loan.id,
                bank_id=loan.bank_id,
                agreement_id=agreement.id or 0,
                agreement_version=agreement.version,
                loss=format_yuan(loss),
                pool_amount=format_yuan(claim.pool_fen),
                shares={p: format_yuan(v) for p, v in claim.shares.items()},
                paid_at=at,
            ),
            source=SOURCE,
            key=loan.id,
        )
    else:
        add_to_outbox(
            session,
            ClaimRefusedV1(
                claim_id=claim.id,
                loan_id=loan.id,
                bank_id=loan.bank_id,
                loss=format_yuan(loss),
                reason=claim.reason or "",
                refused_at=at,
            ),
            source=SOURCE,
            key=loan.id,
        )
    return claim


async def read_claim(session: AsyncSession, principal: Principal, claim_id: str) -> Claim:
    """A claim `principal` may see, or NotFound."""
    claim = await repository.get_claim(session, principal, claim_id)
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


async def record_recovery(session: AsyncSession, principal: Principal, loan_id: str, data: RecoveryCreate) -> Recovery:
    """Money recovered after default flows back pro rata to what each party still bears: the pool's
    part is posted to the pool's ledger."""
    loan = await _locked_loan(session, principal, loan_id)
    at = now()
    change = transition(LoanStatus(loan.status), Move.RECOVER, actor=principal.subject, at=at)
    amount = to_fen(data.amount)
    claim = await repository.paid_claim(session, loan.id)
    borne: dict[Party, int] = (
        {Party(p): v for p, v in claim.shares.items()} if claim else {Party.BANK: loan.default_principal_fen or 0}
    )
    # Only the recoveries shared under the same basis count against it: those before the claim
    # were the bank's alone and already reduced the loss the claim was filed for.
    for earlier in await repository.recoveries_of(session, loan.id):
        if earlier.claim_id != (claim.id if claim else None):
            continue
        for p, v in earlier.shares.items():
            borne[Party(p)] = max(borne.get(Party(p), 0) - v, 0)
    with body_fields():
        parts = compensation.split_recovery(amount, borne)
    recovery = Recovery(
        loan_id=loan.id,
        claim_id=claim.id if claim else None,
        amount_fen=amount,
        shares={p.value: v for p, v in parts.items() if v},
        actor=principal.subject,
        recorded_at=at,
    )
    session.add(recovery)
    pool_part = parts.get(Party.POOL, 0)
    if pool_part and claim is not None and claim.agreement_id is not None:
        agreement = await session.get(PoolAgreement, claim.agreement_id)
        assert agreement is not None
        pool = await _pool_for_update(session, agreement.pool_id)
        _post(session, pool, ledger.recovery(pool_part), "recovery", claim.id, at)
    loan.outstanding_fen = max(loan.outstanding_fen - amount, 0)
    _record(session, loan, change)
    await session.flush()
    add_to_outbox(
        session,
        RecoveryRecordedV1(
            recovery_id=recovery.id or 0,
            loan_id=loan.id,
            bank_id=loan.bank_id,
            amount=format_yuan(amount),
            shares={p: format_yuan(v) for p, v in recovery.shares.items()},
            recorded_at=at,
        ),
        source=SOURCE,
        key=loan.id,
    )
    return recovery


# --- insurance -------------------------------------------------------------------------------------------------------


async def create_policy(session: AsyncSession, data: InsurancePolicyCreate) -> InsurancePolicy:
    """Record an IP insurance policy."""
    if data.end_date < data.start_date:
        raise RuleViolation("the policy ends before it starts", field="body.end_date")
    if data.subsidy > data.premium:
        raise RuleViolation("the subsidy exceeds the premium", field="body.subsidy")
    if await repository.get_enterprise(session, data.enterprise_credit_code) is None:
        raise RuleViolation("no such enterprise", field="body.enterprise_credit_code")
    policy = InsurancePolicy(
        policy_number=data.policy_number,
        insurer=data.insurer,
        product_type=data.product_type,
        enterprise_credit_code=data.enterprise_credit_code,
        insured_rights=data.insured_rights,
        sum_insured_fen=to_fen(data.sum_insured),
        premium_fen=to_fen(data.premium),
        subsidy_fen=to_fen(data.subsidy),
        start_date=data.start_date,
        end_date=data.end_date,
        created_at=now(),
    )
    session.add(policy)
    await _flush_or_conflict(session, "this insurer's policy number is already recorded")
    return policy


# --- statistics ------------------------------------------------------------------------------------------------------


@dataclass
class YearFigures:
    """One year's raw figures (fen and counts)."""

    pledge_fen: int = 0
    pledge_count: int = 0
    mixed_count: int = 0
    insured_fen: int = 0
    policy_count: int = 0
    claims_fen: int = 0
    recoveries_fen: int = 0


async def statistics(session: AsyncSession) -> tuple[dict[int, YearFigures], dict[int, dict[str, tuple[int, int]]]]:
    """Figures per year (a pledge counts in the year it was paid out; a policy in the year it
    starts) and, per year and bank, (principal disbursed, principal that defaulted)."""
    years: dict[int, YearFigures] = {}
    banks: dict[int, dict[str, tuple[int, int]]] = {}

    def year(y: int) -> YearFigures:
        return years.setdefault(y, YearFigures())

    for at, bank_id, principal_fen, patents, trademarks in await repository.disbursed_loans_with_kinds(session):
        figures = year(at.year)
        figures.pledge_fen += principal_fen
        figures.pledge_count += 1
        figures.mixed_count += 1 if patents and trademarks else 0
        d, n = banks.setdefault(at.year, {}).get(bank_id, (0, 0))
        banks[at.year][bank_id] = (d + principal_fen, n)
    for at, bank_id, principal_fen in await repository.defaulted_loans(session):
        d, n = banks.setdefault(at.year, {}).get(bank_id, (0, 0))
        banks[at.year][bank_id] = (d, n + principal_fen)
        year(at.year)
    for start, sum_insured in await repository.policy_amounts(session):
        figures = year(start.year)
        figures.insured_fen += sum_insured
        figures.policy_count += 1
    claims, recoveries = await repository.paid_claims_and_recoveries(session)
    for at, pool_fen in claims:
        year(at.year).claims_fen += pool_fen
    for at, amount in recoveries:
        year(at.year).recoveries_fen += amount
    return years, banks


def growth(current: int, previous: int | None) -> str | None:
    """Growth on the previous year in percent (one decimal), None without a base."""
    if not previous:
        return None
    return str((Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1")))
