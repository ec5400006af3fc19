"""The loan state machine as a table: for each move a bank makes through `/transitions`, what it
does to the loan besides changing its status (`apply`), the event it announces (`event`) and
what follows the announcement (`then`: a default measures the bank's NPL stop line).
`domain.loan.ALLOWED_MOVES` says from which status a move may be made and where it leads;
`MOVES` says what it does, and holds exactly the bank's moves (`domain.loan.BANK_MOVES`). The
other moves (repay, cure, compensate, recover) follow a repayment, a claim or a recovery and are
made by those use cases with the helpers below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import district_date
from ipops.contracts.pledge import (
    LoanApprovalUndoneV1,
    LoanApprovedV1,
    LoanClosedV1,
    LoanDefaultedV1,
    LoanDisbursedV1,
    LoanDisbursementUndoneV1,
)
from ipops.errors import RuleViolation
from ipops.events import EventPayload, add_to_outbox
from ipops.money import format_yuan
from pledge.banks import service as banks_service
from pledge.common import SOURCE
from pledge.domain import compensation
from pledge.domain.indicators import business_date
from pledge.domain.loan import StateChange, days_past_due, dpd_bucket, pledged_numbers
from pledge.enums import LoanStatus, Move, RegistrationStatus
from pledge.loans import repository
from pledge.loans.schemas import LoanTransition
from pledge.models import Loan, LoanDpdRecord, LoanStateChange, PledgeRegistration
from pledge.pools import repository as pools_repository
from pledge.pools import service as pools_service
from pledge.rights import repository as rights_repository

Apply = Callable[[AsyncSession, Loan, LoanTransition, datetime], Awaitable[None]]
Event = Callable[[AsyncSession, Loan, StateChange], Awaitable[EventPayload]]
Then = Callable[[AsyncSession, Loan, datetime], Awaitable[None]]


@dataclass(frozen=True)
class MoveRule:
    """What one move does: `apply` before the change is recorded (it may refuse with a
    RuleViolation), `event` once it is flushed, `then` after the event is in the outbox."""

    apply: Apply
    event: Event | None = None
    then: Then | None = None


# --- what every move may need ----------------------------------------------------------------------------


def record_change(session: AsyncSession, loan: Loan, change: StateChange) -> None:
    """Set the loan's new status, bump its version and write the history row."""
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


async def release_collateral(session: AsyncSession, loan: Loan, at: datetime) -> None:
    """The loan ended: its rights are free again and its pledge registration is cancelled."""
    for link, _ in await repository.loan_collateral(session, loan.id):
        if link.released_at is None:
            link.released_at = at
    registration = await repository.get_registration(session, loan.id)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED.value:
        registration.status = RegistrationStatus.CANCELLED.value
        registration.cancelled_at = at
        registration.updated_at = at


def set_dpd(session: AsyncSession, loan: Loan, as_of: date, at: datetime) -> bool:
    """Recompute days past due; a bucket change is written to the DPD history. True if it changed."""
    days = days_past_due(loan.overdue_since_date, as_of)
    bucket = dpd_bucket(days)
    changed = bucket != loan.dpd_bucket
    loan.days_past_due = days
    if changed:
        loan.dpd_bucket = bucket
        session.add(LoanDpdRecord(loan_id=loan.id, as_of_date=as_of, days_past_due=days, bucket=bucket, at=at))
    return changed


async def announce(session: AsyncSession, loan: Loan, change: StateChange) -> None:
    """The event of a state change, into the outbox (a move without one announces nothing)."""
    rule = MOVES.get(change.move)
    if rule is not None and rule.event is not None:
        add_to_outbox(session, await rule.event(session, loan, change), source=SOURCE, key=loan.id)


# --- what each move does -----------------------------------------------------------------------------------


async def _decide_coverage(session: AsyncSession, loan: Loan, at: datetime) -> None:
    """At approval, cover the loan under the bank's agreement version then in force, if eligible."""
    loan.covered, loan.agreement_id, loan.coverage_note = False, None, None
    agreement = await pools_repository.agreement_in_force(session, loan.bank_id, at)
    if agreement is None:
        loan.coverage_note = "no pool agreement in force for the bank"
        return
    _, bank = await banks_service.check_stop_line(session, loan.bank_id, at)
    right_types = [r.patent_type or r.kind for _, r in await repository.loan_collateral(session, loan.id)]
    refusal = compensation.coverage_refusal(
        pools_service.agreement_terms(agreement),
        principal_fen=loan.principal_fen,
        collateral=compensation.Collateral(loan.ip_value_fen, loan.other_collateral_fen),
        bank_suspended=bank is not None and bank.suspended_at is not None,
        covered_outstanding_fen=await pools_repository.covered_outstanding(session, agreement.pool_id),
        pool_balance_fen=await pools_repository.pool_balance(session, agreement.pool_id),
        right_types=right_types,
    )
    loan.agreement_id = agreement.id
    loan.covered = refusal is None
    loan.coverage_note = refusal


async def _approve(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    await _decide_coverage(session, loan, at)
    loan.approved_at = at


async def _undo_approve(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    loan.approved_at, loan.covered, loan.agreement_id, loan.coverage_note = None, False, None, None


async def _reject(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    loan.rejected_at = at
    await release_collateral(session, loan, at)


async def _withdraw(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    loan.withdrawn_at = at
    await release_collateral(session, loan, at)


async def _register(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
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


async def _disburse(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    loan.disbursed_at = at
    loan.disbursed_date = business_date(data.disbursed_date, district_date(at), field="body.disbursed_date")


async def _undo_disburse(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    if await repository.count_repayments(session, loan.id):
        raise RuleViolation("a disbursement with repayments cannot be undone", field="body.move")
    loan.disbursed_at, loan.disbursed_date = None, None


async def _mark_overdue(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    if data.overdue_since is None:
        raise RuleViolation("marking overdue needs the first day past due", field="body.overdue_since")
    loan.overdue_since_date = data.overdue_since
    loan.overdue_at = loan.overdue_at if loan.status == LoanStatus.OVERDUE.value else at
    set_dpd(session, loan, data.as_of or district_date(at), at)


async def _default(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    loan.defaulted_at = at
    loan.default_principal_fen = loan.outstanding_fen


async def _close_repaid(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    if loan.outstanding_fen != 0:
        raise RuleViolation("a loan with principal outstanding cannot close as repaid", field="body.move")
    loan.closed_at = at
    await release_collateral(session, loan, at)


async def _write_off(session: AsyncSession, loan: Loan, data: LoanTransition, at: datetime) -> None:
    loan.closed_at = at
    await release_collateral(session, loan, at)


async def _check_stop_line(session: AsyncSession, loan: Loan, at: datetime) -> None:
    """After a default, the bank's NPL ratio may pass its agreement's line: this loan tripped it."""
    await banks_service.check_stop_line(session, loan.bank_id, at, tripped_by=loan.id)


# --- what each move announces --------------------------------------------------------------------------------


async def _pledged(session: AsyncSession, loan: Loan) -> tuple[list[str], list[str]]:
    return pledged_numbers((r.kind, r.number) for _, r in await repository.loan_collateral(session, loan.id))


async def _approved(session: AsyncSession, loan: Loan, change: StateChange) -> EventPayload:
    patents, trademarks = await _pledged(session, loan)
    enterprise = await rights_repository.get_enterprise(session, loan.enterprise_credit_code)
    return LoanApprovedV1(
        loan_id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        enterprise_name=enterprise.name if enterprise else "",
        amount=format_yuan(loan.principal_fen),
        mixed_pledge=bool(patents) and bool(trademarks),
        patent_numbers=patents,
        trademark_numbers=trademarks,
        approved_at=change.at,
        covered=loan.covered,
    )


async def _approval_undone(session: AsyncSession, loan: Loan, change: StateChange) -> EventPayload:
    return LoanApprovalUndoneV1(
        loan_id=loan.id, bank_id=loan.bank_id, amount=format_yuan(loan.principal_fen), undone_at=change.at
    )


async def _disbursed(session: AsyncSession, loan: Loan, change: StateChange) -> EventPayload:
    patents, trademarks = await _pledged(session, loan)
    return LoanDisbursedV1(
        loan_id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        amount=format_yuan(loan.principal_fen),
        mixed_pledge=bool(patents) and bool(trademarks),
        covered=loan.covered,
        disbursed_at=change.at,
        disbursed_on=loan.disbursed_date,
    )


async def _disbursement_undone(session: AsyncSession, loan: Loan, change: StateChange) -> EventPayload:
    return LoanDisbursementUndoneV1(
        loan_id=loan.id, bank_id=loan.bank_id, amount=format_yuan(loan.principal_fen), undone_at=change.at
    )


async def _defaulted(session: AsyncSession, loan: Loan, change: StateChange) -> EventPayload:
    return LoanDefaultedV1(
        loan_id=loan.id,
        bank_id=loan.bank_id,
        enterprise_credit_code=loan.enterprise_credit_code,
        outstanding_principal=format_yuan(loan.outstanding_fen),
        days_past_due=loan.days_past_due,
        defaulted_at=change.at,
    )


async def _closed(session: AsyncSession, loan: Loan, change: StateChange) -> EventPayload:
    outcome = "repaid" if change.move is Move.CLOSE_REPAID else "written_off"
    return LoanClosedV1(loan_id=loan.id, bank_id=loan.bank_id, outcome=outcome, closed_at=change.at)


MOVES: Mapping[Move, MoveRule] = {
    Move.APPROVE: MoveRule(_approve, event=_approved),
    Move.UNDO_APPROVE: MoveRule(_undo_approve, event=_approval_undone),
    Move.REJECT: MoveRule(_reject),
    Move.WITHDRAW: MoveRule(_withdraw),
    Move.REGISTER: MoveRule(_register),
    Move.DISBURSE: MoveRule(_disburse, event=_disbursed),
    Move.UNDO_DISBURSE: MoveRule(_undo_disburse, event=_disbursement_undone),
    Move.MARK_OVERDUE: MoveRule(_mark_overdue),
    Move.DEFAULT: MoveRule(_default, event=_defaulted, then=_check_stop_line),
    Move.CLOSE_REPAID: MoveRule(_close_repaid, event=_closed),
    Move.WRITE_OFF: MoveRule(_write_off, event=_closed),
}
