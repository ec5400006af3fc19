"""The claims' use cases: file a claim on a defaulted loan (paid from the locked pool by the
agreement version the loan was covered under, or refused with the reason), read and list claims,
and share a recovery back. Never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.pledge import ClaimPaidV1, ClaimRefusedV1, RecoveryRecordedV1
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import EventPayload, add_to_outbox
from ipops.money import format_yuan, to_fen
from pledge.banks import service as banks_service
from pledge.claims import repository
from pledge.claims.schemas import ClaimCreate, RecoveryCreate
from pledge.common import SOURCE, body_fields
from pledge.domain import compensation, ledger, stopline
from pledge.domain.loan import allowed_moves, transition
from pledge.domain.years import year_span_of
from pledge.enums import ClaimStatus, LoanStatus, Move, Party
from pledge.loans import moves
from pledge.loans import service as loans_service
from pledge.models import Claim, Loan, PoolAgreement, Recovery
from pledge.pools import repository as pools_repository
from pledge.pools import service as pools_service


async def _claimable_loan(session: AsyncSession, principal: Principal, loan_id: str, loss: int) -> Loan:
    """The defaulted loan, locked; the loss may not exceed its principal at default less recoveries."""
    loan = await loans_service.locked_loan(session, principal, loan_id)
    if loan.status != LoanStatus.DEFAULTED.value:
        raise Conflict(
            f"a claim needs a defaulted loan; this one is {loan.status}",
            allowed_moves=allowed_moves(LoanStatus(loan.status)),
        )
    recovered = sum(r.amount_fen for r in await repository.recoveries_of(session, loan.id))
    if loss > (loan.default_principal_fen or 0) - recovered:
        raise RuleViolation("the loss exceeds the principal outstanding at default less recoveries", field="body.loss")
    return loan


async def _paid_so_far(session: AsyncSession, loan: Loan, pool_id: str, at: datetime) -> compensation.PaidSoFar:
    """What the caps are measured against: the pool's payments on the enterprise's loans, and to
    this bank and to every bank in the district year of `at`."""
    start, end = year_span_of(at)
    enterprise, agreement_year, pool_year = await repository.pool_paid(
        session, credit_code=loan.enterprise_credit_code, pool_id=pool_id, bank_id=loan.bank_id, start=start, end=end
    )
    return compensation.PaidSoFar(enterprise_fen=enterprise, agreement_year_fen=agreement_year, pool_year_fen=pool_year)


async def _decide(
    session: AsyncSession, principal: Principal, loan: Loan, claim: Claim, agreement: PoolAgreement, at: datetime
) -> None:
    """Decide a covered loan's claim under its agreement with the pool locked (one claim at a time
    per pool): measure the bank's stop line on the claim date, then pay it (post to the ledger,
    the loan is compensated) or set the refusal."""
    pool = await pools_service.lock_pool(session, agreement.pool_id)
    line, bank = await banks_service.check_stop_line(session, loan.bank_id, at)
    stopped = stopline.refuses_claim(
        line,
        banks_service.current_stop(bank),
        loan_id=loan.id,
        disbursed_at=loan.disbursed_at,
        defaulted_at=loan.defaulted_at,
    )
    with body_fields():
        decision = compensation.decide_claim(
            pools_service.agreement_terms(agreement),
            loss_fen=claim.loss_fen,
            principal_fen=loan.principal_fen,
            collateral=compensation.Collateral(loan.ip_value_fen, loan.other_collateral_fen),
            parties=compensation.loan_parties(guarantor=loan.guarantor, insurer=loan.insurer, valuer=loan.valuer),
            paid=await _paid_so_far(session, loan, pool.id, at),
            pool_balance_fen=await pools_repository.pool_balance(session, pool.id),
            stopped=stopped,
        )
    if decision.split is None:
        claim.reason = decision.refusal
        return
    split = decision.split
    claim.status = ClaimStatus.PAID.value
    claim.pool_fen = split.pool_fen
    claim.shares = {p.value: v for p, v in split.parts.items() if v}
    claim.capped_by = split.capped_by
    pools_service.post_journal(session, pool, ledger.claim_payment(split.pool_fen), "claim", claim.id, at)
    change = transition(
        LoanStatus.DEFAULTED, Move.COMPENSATE, actor=principal.subject, at=at, reason=f"claim {claim.id} paid"
    )
    loan.compensated_at = at
    moves.record_change(session, loan, change)


def _claim_event(loan: Loan, claim: Claim, agreement: PoolAgreement | None, at: datetime) -> EventPayload:
    """ClaimPaid for a paid claim, ClaimRefused (with the reason) otherwise."""
    if claim.status == ClaimStatus.PAID.value and agreement is not None:
        return ClaimPaidV1(
            claim_id=claim.id,
            loan_id=loan.id,
            bank_id=loan.bank_id,
            agreement_id=agreement.id or 0,
            agreement_version=agreement.version,
            loss=format_yuan(claim.loss_fen),
            pool_amount=format_yuan(claim.pool_fen),
            shares={p: format_yuan(v) for p, v in claim.shares.items()},
            paid_at=at,
        )
    return ClaimRefusedV1(
        claim_id=claim.id,
        loan_id=loan.id,
        bank_id=loan.bank_id,
        loss=format_yuan(claim.loss_fen),
        reason=claim.reason or "",
        refused_at=at,
    )


async def file_claim(session: AsyncSession, principal: Principal, loan_id: str, data: ClaimCreate) -> Claim:
    """A bank's claim on a defaulted loan: computed by the agreement version the loan was covered
    under, paid when eligible and the pool (locked) can cover it, refused with the reason otherwise."""
    loss = to_fen(data.loss)
    loan = await _claimable_loan(session, principal, loan_id, loss)
    at = utc_now()
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
    agreement = await pools_repository.get_agreement(session, loan.agreement_id) if loan.agreement_id else None
    if not loan.covered or agreement is None:
        claim.reason = "the loan is not covered by the pool" + (f": {loan.coverage_note}" if loan.coverage_note else "")
    else:
        await _decide(session, principal, loan, claim, agreement, at)
    session.add(claim)
    await session.flush()
    add_to_outbox(session, _claim_event(loan, claim, agreement, at), source=SOURCE, key=loan.id)
    return claim


async def read_claim(session: AsyncSession, principal: Principal, claim_id: str) -> Claim:
    """A claim `principal` may see, or NotFound."""
    claim = await repository.get_claim(session, principal, claim_id)
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


async def list_claims(
    session: AsyncSession, principal: Principal, *, loan_id: str | None, limit: int, offset: int
) -> tuple[Sequence[Claim], int]:
    """A page of the claims `principal` may see, newest first, and the total."""
    return await repository.list_claims(session, principal, loan_id=loan_id, limit=limit, offset=offset)


async def _still_borne(session: AsyncSession, loan: Loan, claim: Claim | None) -> dict[Party, int]:
    """What each party still bears of the loss: the paid claim's shares (the bank alone without
    one), less what earlier recoveries under the same basis gave back."""
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
    return borne


async def record_recovery(session: AsyncSession, principal: Principal, loan_id: str, data: RecoveryCreate) -> Recovery:
    """Money recovered after default flows back pro rata to what each party still bears: the pool's
    part is posted to the pool's ledger."""
    loan = await loans_service.locked_loan(session, principal, loan_id)
    at = utc_now()
    change = transition(LoanStatus(loan.status), Move.RECOVER, actor=principal.subject, at=at)
    amount = to_fen(data.amount)
    claim = await repository.paid_claim(session, loan.id)
    borne = await _still_borne(session, loan, claim)
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
        agreement = await pools_repository.get_agreement(session, claim.agreement_id)
        assert agreement is not None
        pool = await pools_service.lock_pool(session, agreement.pool_id)
        pools_service.post_journal(session, pool, ledger.recovery(pool_part), "recovery", claim.id, at)
    loan.outstanding_fen = max(loan.outstanding_fen - amount, 0)
    moves.record_change(session, loan, change)
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
