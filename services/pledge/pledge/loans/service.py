"""The loans' use cases: submit, read and list loans, apply a move of the state machine (the table
in `moves.py`), record repayments and registration decisions, and the daily days-past-due run.
Never commit: the route (or the daily job) owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_date, utc_now
from ipops.contracts.pledge import LoanDisbursementRestatedV1, LoanSubmittedV1
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from pledge.banks import service as banks_service
from pledge.common import SOURCE
from pledge.domain.indicators import business_date
from pledge.domain.loan import BANK_MOVES, allowed_moves, past_maturity_since, pledged_numbers, transition
from pledge.enums import LoanStatus, Move, RegistrationStatus
from pledge.loans import moves, repository
from pledge.loans.schemas import (
    DisbursementRestatement,
    LoanCreate,
    LoanTransition,
    LoanView,
    RegistrationUpdate,
    RepaymentCreate,
)
from pledge.models import (
    Loan,
    LoanCollateral,
    LoanDpdRecord,
    LoanStateChange,
    PledgedRight,
    PledgeRegistration,
    Repayment,
)
from pledge.rights import repository as rights_repository
from pledge.statistics import service as statistics_service

DAILY_ACTOR = "system:daily-dpd"


async def view_loan(session: AsyncSession, loan: Loan) -> LoanView:
    """Gather a loan's collateral, registration, alerts and linked guidance-fund investments."""
    collateral = await repository.loan_collateral(session, loan.id)
    registration = await repository.get_registration(session, loan.id)
    rights = [(r.kind, r.number) for _, r in collateral]
    alerts = await rights_repository.alerts_for_rights(session, rights) if loan.collateral_at_risk_at else []
    return LoanView(loan, collateral, registration, alerts, await repository.loan_investments(session, loan.id))


async def read_loan(session: AsyncSession, principal: Principal, loan_id: str) -> LoanView:
    """A loan `principal` may see, or NotFound."""
    loan = await repository.get_loan(session, principal, loan_id)
    if loan is None:
        raise NotFound(f"no loan {loan_id}")
    return await view_loan(session, loan)


async def list_loans(
    session: AsyncSession,
    principal: Principal,
    *,
    status: LoanStatus | None,
    at_risk: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Loan], int]:
    """A page of the loans `principal` may see, newest first, and the total."""
    return await repository.list_loans(session, principal, status=status, at_risk=at_risk, limit=limit, offset=offset)


async def loan_history(
    session: AsyncSession, principal: Principal, loan_id: str
) -> tuple[Sequence[LoanStateChange], Sequence[LoanDpdRecord]]:
    """The moves and DPD records of a loan `principal` may see, oldest first, or NotFound."""
    await read_loan(session, principal, loan_id)
    return await repository.history(session, loan_id)


async def locked_loan(session: AsyncSession, principal: Principal, loan_id: str) -> Loan:
    """A loan `principal` may see, locked until the transaction ends, or NotFound."""
    loan = await repository.get_loan(session, principal, loan_id, for_update=True)
    if loan is None:
        raise NotFound(f"no loan {loan_id}")
    return loan


# --- submission ----------------------------------------------------------------------------------------------


async def _pledgeable(
    session: AsyncSession, principal: Principal, right_ids: list[str]
) -> list[tuple[PledgedRight, int]]:
    """Each right (one the bank may see) with its latest appraised value; none may back another
    live loan."""
    values: list[tuple[PledgedRight, int]] = []
    for i, right_id in enumerate(right_ids):
        right = await rights_repository.visible_right(session, principal, right_id)
        if right is None:
            raise RuleViolation("no such right", field=f"body.right_ids.{i}")
        appraisal = await rights_repository.latest_appraisal(session, right_id)
        if appraisal is None:
            raise RuleViolation("the right has no appraisal", field=f"body.right_ids.{i}")
        other = await rights_repository.live_loan_of_right(session, right_id)
        if other is not None:
            message = f"{right.kind} {right.number} already backs a live loan"
            raise Conflict(message, errors=[{"field": f"body.right_ids.{i}", "message": message}])
        values.append((right, appraisal.value_fen))
    return values


async def _pledge(session: AsyncSession, loan_id: str, values: list[tuple[PledgedRight, int]]) -> None:
    """Link the rights to the loan; the unique index on live collateral settles a race."""
    for right, value in values:
        session.add(LoanCollateral(loan_id=loan_id, right_id=right.id, appraised_value_fen=value))
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent submission took one of the rights first
        message = "a pledged right already backs a live loan"
        raise Conflict(message, errors=[{"field": "body.right_ids", "message": message}]) from exc


async def submit_loan(session: AsyncSession, principal: Principal, data: LoanCreate) -> LoanView:
    """A bank submits a loan on appraised rights, none of which may back another live loan."""
    bank = await banks_service.calling_bank(session, principal)
    if await rights_repository.get_enterprise(session, data.enterprise_credit_code) is None:
        raise RuleViolation("no such enterprise; record it first", field="body.enterprise_credit_code")
    if len(set(data.right_ids)) != len(data.right_ids):
        raise RuleViolation("a right is listed twice", field="body.right_ids")
    at = utc_now()
    loan_id = str(uuid.uuid4())
    values = await _pledgeable(session, principal, data.right_ids)
    ip_value = sum(v for _, v in values)
    other_value = to_fen(data.other_collateral_value)
    loan = Loan(
        id=loan_id,
        bank_id=bank.id,
        enterprise_credit_code=data.enterprise_credit_code,
        principal_fen=to_fen(data.amount),
        outstanding_fen=to_fen(data.amount),
        ip_value_fen=ip_value,
        other_collateral_fen=other_value,
        term_months=data.term_months,
        guarantor=data.guarantor,
        insurer=data.insurer,
        valuer=data.valuer,
        status=LoanStatus.SUBMITTED.value,
        submitted_at=at,
    )
    session.add(loan)
    await session.flush()
    await _pledge(session, loan_id, values)
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
    rights = [(r.kind, r.number) for r, _ in values]
    if await rights_repository.alerts_for_rights(session, rights):
        loan.collateral_at_risk_at = at
    add_to_outbox(session, _submitted(loan, rights), source=SOURCE, key=loan_id)
    return await view_loan(session, loan)


def _submitted(loan: Loan, rights: list[tuple[str, str]]) -> LoanSubmittedV1:
    """The event of a submission, naming the pledged rights."""
    patents, trademarks = pledged_numbers(rights)
    return LoanSubmittedV1(
        loan_id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        amount=format_yuan(loan.principal_fen),
        mixed_pledge=bool(patents and trademarks),
        patent_numbers=patents,
        trademark_numbers=trademarks,
        submitted_at=loan.submitted_at,
    )


# --- moves, repayments, registration -----------------------------------------------------------------------


async def move_loan(session: AsyncSession, principal: Principal, loan_id: str, data: LoanTransition) -> LoanView:
    """Apply one move of the state machine to a bank's loan; 409 with the allowed moves if illegal.
    What the move does and announces is its row in `moves.MOVES`."""
    loan = await locked_loan(session, principal, loan_id)
    if data.move not in BANK_MOVES:
        raise RuleViolation(
            f"{data.move.value} is not made directly: it follows a repayment, claim or recovery", field="body.move"
        )
    rule = moves.MOVES[data.move]
    at = utc_now()
    change = transition(LoanStatus(loan.status), data.move, actor=principal.subject, at=at, reason=data.reason)
    await rule.apply(session, loan, data, at)
    moves.record_change(session, loan, change)
    await session.flush()
    await moves.announce(session, loan, change)
    # every move goes past the indicator rules: a disbursement counts, an undone one (or a
    # withdrawal) takes the loan back out, the others change nothing and announce nothing
    await statistics_service.count_loan(session, loan, f"loan {data.move.value}")
    if rule.then is not None:
        await rule.then(session, loan, at)
    return await view_loan(session, loan)


def _settle_arrears(
    session: AsyncSession, principal: Principal, loan: Loan, data: RepaymentCreate, at: datetime
) -> None:
    """On an overdue loan: cleared arrears (or nothing left owing) cure it; otherwise it stays
    overdue from `still_overdue_since`. DPD is recomputed as of the payment either way."""
    if data.still_overdue_since is None or loan.outstanding_fen == 0:
        loan.overdue_since_date = None
        moves.set_dpd(session, loan, data.paid_date, at)
        cure = transition(
            LoanStatus.OVERDUE, Move.CURE, actor=principal.subject, at=at, reason="arrears cleared by repayment"
        )
        moves.record_change(session, loan, cure)
    else:
        loan.overdue_since_date = data.still_overdue_since
        moves.set_dpd(session, loan, data.paid_date, at)


async def record_repayment(
    session: AsyncSession, principal: Principal, loan_id: str, data: RepaymentCreate
) -> tuple[Repayment, Loan]:
    """A repayment: outstanding falls, DPD is recomputed (arrears cleared cures an overdue loan)
    and a loan repaid in full closes."""
    loan = await locked_loan(session, principal, loan_id)
    at = utc_now()
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
    moves.record_change(session, loan, change)
    if loan.status == LoanStatus.OVERDUE.value:
        _settle_arrears(session, principal, loan, data, at)
    if loan.outstanding_fen == 0 and loan.status == LoanStatus.DISBURSED.value:
        close = transition(
            LoanStatus.DISBURSED, Move.CLOSE_REPAID, actor=principal.subject, at=at, reason="repaid in full"
        )
        loan.closed_at = at
        await moves.release_collateral(session, loan, at)
        moves.record_change(session, loan, close)
        await moves.announce(session, loan, close)
    await session.flush()
    return repayment, loan


RESTATABLE = frozenset({LoanStatus.DISBURSED.value, LoanStatus.OVERDUE.value})


async def restate_disbursement(
    session: AsyncSession, principal: Principal, loan_id: str, data: DisbursementRestatement
) -> LoanView:
    """Correct a performing loan's reported disbursement (principal paid out, its date): the
    outstanding principal moves by the difference, the history keeps the correction, the event
    announces it and the indicators count the loan again with the new figures."""
    loan = await locked_loan(session, principal, loan_id)
    if loan.status not in RESTATABLE or loan.disbursed_date is None:
        raise Conflict(
            f"only a disbursed or overdue loan's disbursement can be restated, not a {loan.status} one's",
            allowed_moves=allowed_moves(LoanStatus(loan.status)),
        )
    at = utc_now()
    before = (loan.principal_fen, loan.disbursed_date)
    principal_fen = loan.principal_fen if data.amount is None else to_fen(data.amount)
    outstanding = loan.outstanding_fen + principal_fen - loan.principal_fen
    if outstanding <= 0:
        raise RuleViolation("the restated amount is not more than the principal already repaid", field="body.amount")
    day = business_date(data.disbursed_date or loan.disbursed_date, district_date(at), field="body.disbursed_date")
    loan.principal_fen, loan.outstanding_fen, loan.disbursed_date = principal_fen, outstanding, day
    loan.version += 1
    session.add(
        LoanStateChange(
            loan_id=loan.id, from_status=loan.status, to_status=loan.status, move="restate_disbursement",
            actor=principal.subject, reason=data.reason, at=at,
        )
    )  # fmt: skip
    await session.flush()
    event = LoanDisbursementRestatedV1(
        loan_id=loan.id, bank_id=loan.bank_id, amount=format_yuan(principal_fen),
        previous_amount=format_yuan(before[0]), disbursed_on=day, previous_disbursed_on=before[1],
        reason=data.reason, restated_at=at,
    )  # fmt: skip
    add_to_outbox(session, event, source=SOURCE, key=loan.id)
    await statistics_service.count_loan(session, loan, "disbursement restated")
    return await view_loan(session, loan)


async def update_registration(
    session: AsyncSession, principal: Principal, loan_id: str, data: RegistrationUpdate
) -> PledgeRegistration:
    """Record the IP office's refusal of a registration, or a registered change."""
    loan = await locked_loan(session, principal, loan_id)
    registration = await repository.get_registration(session, loan.id)
    at = utc_now()
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


# --- days past due -------------------------------------------------------------------------------------------


async def recompute_dpd(session: AsyncSession, as_of: date) -> tuple[int, int]:
    """The daily run: a performing loan still owing principal after maturity becomes overdue (from
    the day after maturity); then every overdue or defaulted loan's days past due as of `as_of`.
    Returns (loans looked at, bucket changes)."""
    at = utc_now()
    for loan in await repository.performing_loans(session):
        if loan.disbursed_date is None:
            continue
        since = past_maturity_since(loan.disbursed_date, loan.term_months, loan.outstanding_fen, as_of)
        if since is not None:
            change = transition(
                LoanStatus.DISBURSED,
                Move.MARK_OVERDUE,
                actor=DAILY_ACTOR,
                at=at,
                reason="principal outstanding after maturity",
            )
            loan.overdue_since_date, loan.overdue_at = since, at
            moves.record_change(session, loan, change)
    await session.flush()
    loans = await repository.loans_past_due(session)
    changes = 0
    for loan in loans:
        if moves.set_dpd(session, loan, as_of, at):
            changes += 1
    await session.flush()
    return len(loans), changes
