"""What the trusteeship service does with the events it consumes (each runs behind the inbox,
and each also checks for its own effect, so a replay with a new event id cannot double it)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.contracts.navigation import ProjectAcceptedV1
from ipops.contracts.pledge import LoanApprovedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from ipops.identifiers import normalize_uscc
from ipops.money import to_fen
from trusteeship import repository
from trusteeship.models import EnterpriseLoan, EnterpriseProject, WorkQueueItem

ENFORCEMENT_CASE = "enforcement_case"


def _credit_code(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalize_uscc(value)
    except ValueError:
        return None  # a party we cannot identify is no enterprise of ours


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case whose party is an enterprise held now lands in the holding agency's work queue."""
    now = datetime.now(UTC)
    for party in payload.parties:
        code = _credit_code(party.credit_code)
        if code is None:
            continue
        held = await repository.active_enrolment(session, code)
        if held is None:
            continue
        if await repository.queue_item_exists(session, held.agency_id, ENFORCEMENT_CASE, payload.case_id, code):
            continue
        session.add(
            WorkQueueItem(
                agency_id=held.agency_id,
                credit_code=code,
                source_kind=ENFORCEMENT_CASE,
                reference=payload.case_id,
                summary=f"{payload.case_type} case {payload.case_id}: the enterprise is the {party.role}",
                details={
                    "case_type": payload.case_type,
                    "channel": payload.channel,
                    "role": party.role,
                    "patent_numbers": list(payload.patent_numbers),
                    "trademark_numbers": list(payload.trademark_numbers),
                },
                status="open",
                raised_at=payload.opened_at,
                created_at=now,
            )
        )
        await session.flush()


async def on_loan_approved(session: AsyncSession, event: CloudEvent, payload: LoanApprovedV1) -> None:
    """A pledge loan shows in the enterprise's profile (kept by credit code even before enrolment)."""
    code = _credit_code(payload.enterprise_credit_code)
    if code is None or await session.get(EnterpriseLoan, payload.loan_id) is not None:
        return
    session.add(
        EnterpriseLoan(
            loan_id=payload.loan_id,
            credit_code=code,
            bank_id=payload.bank_id,
            amount_fen=to_fen(payload.amount),
            mixed_pledge=payload.mixed_pledge,
            patent_numbers=list(payload.patent_numbers),
            approved_at=payload.approved_at,
        )
    )


async def on_project_accepted(session: AsyncSession, event: CloudEvent, payload: ProjectAcceptedV1) -> None:
    """An enterprise-operation navigation project shows in its beneficiary's profile."""
    code = _credit_code(payload.beneficiary_credit_code)
    if payload.kind != "enterprise_operation" or code is None:
        return
    if await session.get(EnterpriseProject, payload.project_id) is not None:
        return
    session.add(
        EnterpriseProject(
            project_id=payload.project_id,
            credit_code=code,
            title=payload.title,
            industry=payload.industry,
            undertaking_org=payload.undertaking_org,
            accepted_at=payload.accepted_at,
        )
    )


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
    LoanApprovedV1.event_type: on_loan_approved,
    ProjectAcceptedV1.event_type: on_project_accepted,
}
