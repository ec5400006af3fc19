"""How each event the gateway consumes changes the public read model.

Every handler runs behind the inbox (the ConsumerRunner claims the event id first), and each one
writes by the producer's id (upsert), so replaying a topic from the beginning gives the same rows.
Only what the public figures need is kept: no enterprise names, no parties of a case.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import RmCase, RmEnterprise, RmFact, RmLoan, RmProject
from ipops import clock
from ipops.contracts import enforcement, navigation, pledge, trusteeship
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from ipops.money import to_fen


async def _loan(session: AsyncSession, loan_id: str) -> RmLoan | None:
    return await session.get(RmLoan, loan_id)


async def on_loan_approved(session: AsyncSession, event: CloudEvent, p: pledge.LoanApprovedV1) -> None:
    """An approved loan counts toward the pledge count and amount of its year."""
    loan = await _loan(session, p.loan_id)
    if loan is None:
        loan = RmLoan(loan_id=p.loan_id, bank_id=p.bank_id, amount_fen=0, status="approved")
        session.add(loan)
    loan.amount_fen = to_fen(p.amount)
    loan.mixed_pledge = p.mixed_pledge
    loan.covered = p.covered
    loan.approved_at = p.approved_at
    if loan.status in ("submitted", "approved"):
        loan.status = "approved"


async def on_loan_approval_undone(session: AsyncSession, event: CloudEvent, p: pledge.LoanApprovalUndoneV1) -> None:
    """An approval taken back is counted out again."""
    loan = await _loan(session, p.loan_id)
    if loan is not None:
        loan.approved_at = None
        loan.status = "submitted"


async def on_loan_disbursed(session: AsyncSession, event: CloudEvent, p: pledge.LoanDisbursedV1) -> None:
    """Disbursement (the loan was approved before; amounts may be restated here)."""
    loan = await _loan(session, p.loan_id)
    if loan is None:
        # Approval event not seen (topic compacted or consumed out of retention): the loan was
        # approved no later than it was paid out.
        loan = RmLoan(
            loan_id=p.loan_id,
            bank_id=p.bank_id,
            amount_fen=to_fen(p.amount),
            status="disbursed",
            approved_at=p.disbursed_at,
        )
        session.add(loan)
    loan.mixed_pledge = p.mixed_pledge
    loan.covered = p.covered
    loan.disbursed_at = p.disbursed_at
    loan.status = "disbursed"


async def on_loan_disbursement_undone(
    session: AsyncSession, event: CloudEvent, p: pledge.LoanDisbursementUndoneV1
) -> None:
    """A reversed disbursement."""
    loan = await _loan(session, p.loan_id)
    if loan is not None:
        loan.disbursed_at = None
        loan.status = "approved"


async def on_loan_defaulted(session: AsyncSession, event: CloudEvent, p: pledge.LoanDefaultedV1) -> None:
    """A default (counted in the pool statistics, not against the plan's targets)."""
    loan = await _loan(session, p.loan_id)
    if loan is not None:
        loan.defaulted_at = p.defaulted_at
        loan.status = "defaulted"


async def on_loan_closed(session: AsyncSession, event: CloudEvent, p: pledge.LoanClosedV1) -> None:
    """A closed loan still counts for the year it was approved."""
    loan = await _loan(session, p.loan_id)
    if loan is not None:
        loan.closed_at = p.closed_at
        loan.status = f"closed_{p.outcome}"[:20]


async def _fact(
    session: AsyncSession, fact_id: str, metric: str, quantity: int, at: datetime, **attributes: Any
) -> None:
    fact = await session.get(RmFact, fact_id)
    if fact is None:
        session.add(RmFact(fact_id=fact_id, metric=metric, quantity=quantity, occurred_at=at, attributes=attributes))
    else:
        fact.quantity, fact.occurred_at, fact.attributes = quantity, at, attributes


async def on_claim_paid(session: AsyncSession, event: CloudEvent, p: pledge.ClaimPaidV1) -> None:
    """Risk compensation the pool paid."""
    await _fact(session, f"claim:{p.claim_id}", "pool_compensation_fen", to_fen(p.pool_amount), p.paid_at)


async def on_pool_funded(session: AsyncSession, event: CloudEvent, p: pledge.PoolFundedV1) -> None:
    """Money into the pool (contributions and interest)."""
    await _fact(session, f"pool:{event.id}", "pool_funding_fen", to_fen(p.amount), p.funded_at, kind=p.kind)


async def on_recovery(session: AsyncSession, event: CloudEvent, p: pledge.RecoveryRecordedV1) -> None:
    """Recovered money after a default."""
    await _fact(session, f"recovery:{p.recovery_id}", "recovery_fen", to_fen(p.amount), p.recorded_at)


async def _enterprise(session: AsyncSession, credit_code: str) -> RmEnterprise:
    row = await session.get(RmEnterprise, credit_code)
    if row is None:
        row = RmEnterprise(credit_code=credit_code)
        session.add(row)
    return row


async def on_enterprise_enrolled(session: AsyncSession, event: CloudEvent, p: trusteeship.EnterpriseEnrolledV1) -> None:
    """Cumulative trusteeship coverage: an enterprise counts once, from its first enrolment."""
    row = await _enterprise(session, p.credit_code)
    if row.first_enrolled_at is None or p.enrolled_at < row.first_enrolled_at:
        row.first_enrolled_at = p.enrolled_at


async def on_first_patent(session: AsyncSession, event: CloudEvent, p: trusteeship.FirstPatentV1) -> None:
    """Patent zeroing-out: an enterprise got its first valid patent."""
    row = await _enterprise(session, p.credit_code)
    if row.first_patent_at is None or p.counted_at < row.first_patent_at:
        row.first_patent_at = p.counted_at


async def on_work_logged(session: AsyncSession, event: CloudEvent, p: trusteeship.WorkLoggedV1) -> None:
    """One piece of trusteeship work."""
    await _fact(session, f"work:{p.work_log_id}", "trusteeship_work", 1, p.logged_at, service_type=p.service_type)


async def on_work_uploaded(session: AsyncSession, event: CloudEvent, p: trusteeship.WorkUploadedV1) -> None:
    """A bulk upload of work logs counts as its rows."""
    await _fact(session, f"upload:{p.upload_id}", "trusteeship_work", p.row_count, p.uploaded_at)


async def on_project_accepted(session: AsyncSession, event: CloudEvent, p: navigation.ProjectAcceptedV1) -> None:
    """An accepted navigation project joins the public list and the project counts."""
    row = await session.get(RmProject, p.project_id)
    if row is None:
        row = RmProject(
            project_id=p.project_id, kind=p.kind, title="", industry="", undertaking_org="", accepted_at=p.accepted_at
        )
        session.add(row)
    # Cut to the columns' sizes: a long text must not turn an event into a dead letter.
    row.kind, row.title, row.industry = p.kind[:40], p.title[:300], p.industry[:200]
    row.undertaking_org, row.accepted_at = p.undertaking_org[:200], p.accepted_at
    row.undertaking_org_name = p.undertaking_org_name[:200] if p.undertaking_org_name else None
    row.summary = p.summary[:2000] if p.summary else None


async def on_case_opened(session: AsyncSession, event: CloudEvent, p: enforcement.CaseOpenedV1) -> None:
    """A case is counted by type, channel and year; its parties are not kept. Each requesting
    enterprise counts once a year as served (kept as a hash of its credit code: the plan counts
    distinct enterprises, the public sees only the number)."""
    row = await session.get(RmCase, p.case_id)
    if row is None:
        session.add(RmCase(case_id=p.case_id, case_type=p.case_type, channel=p.channel, opened_at=p.opened_at))
    else:
        row.case_type, row.channel, row.opened_at = p.case_type, p.channel, p.opened_at
    codes = [party.credit_code for party in p.parties if party.role == "requester" and party.credit_code]
    await _served(session, codes, p.opened_at)


async def _served(session: AsyncSession, credit_codes: list[str], at: datetime) -> None:
    # One fact per enterprise and year: the plan counts distinct enterprises served a year.
    for code in credit_codes:
        digest = hashlib.sha256(code.encode()).hexdigest()[:32]
        await _fact(session, f"served:{clock.district_year(at)}:{digest}", "enterprises_served", 1, at)


async def on_case_accepted(session: AsyncSession, event: CloudEvent, p: enforcement.CaseAcceptedV1) -> None:
    """Accepting a case serves its requesting enterprises (in the year it happens)."""
    await _served(session, p.requester_credit_codes, p.accepted_at)


async def on_case_mediated(session: AsyncSession, event: CloudEvent, p: enforcement.CaseMediatedV1) -> None:
    """A mediation agreement serves the requesting enterprises."""
    await _served(session, p.requester_credit_codes, p.mediated_at)


async def on_case_decided(session: AsyncSession, event: CloudEvent, p: enforcement.CaseDecidedV1) -> None:
    """A decision serves the requesting enterprises."""
    await _served(session, p.requester_credit_codes, p.decided_at)


async def on_case_closed(session: AsyncSession, event: CloudEvent, p: enforcement.CaseClosedV1) -> None:
    """A closed case counts for the year it closed, and whether it closed within its deadline
    (the public "closed within deadline" share)."""
    row = await session.get(RmCase, p.case_id)
    if row is not None:
        row.closed_at = p.closed_at
    await _fact(session, f"closed:{p.case_id}", "cases_closed", 1, p.closed_at, outcome=p.outcome[:40])
    in_time = 1 if p.within_deadline else 0
    await _fact(session, f"closed_in_time:{p.case_id}", "cases_closed_in_time", in_time, p.closed_at)
    await _served(session, p.requester_credit_codes, p.closed_at)


async def on_case_rated(session: AsyncSession, event: CloudEvent, p: enforcement.CaseRatedV1) -> None:
    """A served party's rating (0-100) of a closed case: the plan's satisfaction figure is their
    average by year. A case rated again keeps its latest rating."""
    await _fact(session, f"rating:{p.case_id}", "satisfaction_score", max(0, min(100, p.score)), p.rated_at)


async def on_portfolio_qualified(session: AsyncSession, event: CloudEvent, p: navigation.PortfolioQualifiedV1) -> None:
    """A high-value patent portfolio counts toward the plan's 20."""
    await _fact(session, f"portfolio:{p.portfolio_id}", "high_value_portfolios", 1, p.qualified_at)


HANDLERS: dict[str, Handler] = {
    pledge.LoanApprovedV1.event_type: on_loan_approved,
    pledge.LoanApprovalUndoneV1.event_type: on_loan_approval_undone,
    pledge.LoanDisbursedV1.event_type: on_loan_disbursed,
    pledge.LoanDisbursementUndoneV1.event_type: on_loan_disbursement_undone,
    pledge.LoanDefaultedV1.event_type: on_loan_defaulted,
    pledge.LoanClosedV1.event_type: on_loan_closed,
    pledge.ClaimPaidV1.event_type: on_claim_paid,
    pledge.PoolFundedV1.event_type: on_pool_funded,
    pledge.RecoveryRecordedV1.event_type: on_recovery,
    trusteeship.EnterpriseEnrolledV1.event_type: on_enterprise_enrolled,
    trusteeship.FirstPatentV1.event_type: on_first_patent,
    trusteeship.WorkLoggedV1.event_type: on_work_logged,
    trusteeship.WorkUploadedV1.event_type: on_work_uploaded,
    navigation.ProjectAcceptedV1.event_type: on_project_accepted,
    navigation.PortfolioQualifiedV1.event_type: on_portfolio_qualified,
    enforcement.CaseOpenedV1.event_type: on_case_opened,
    enforcement.CaseAcceptedV1.event_type: on_case_accepted,
    enforcement.CaseMediatedV1.event_type: on_case_mediated,
    enforcement.CaseDecidedV1.event_type: on_case_decided,
    enforcement.CaseClosedV1.event_type: on_case_closed,
    enforcement.CaseRatedV1.event_type: on_case_rated,
}


# Raise when a handler's meaning changes; new event types change the signature by themselves.
PROJECTION_VERSION = 1
SIGNATURE = hashlib.sha256(f"{PROJECTION_VERSION}:{','.join(sorted(HANDLERS))}".encode()).hexdigest()[:32]
