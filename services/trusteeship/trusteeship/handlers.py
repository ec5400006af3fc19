"""What the trusteeship service does with the events it consumes (each runs behind the inbox,
and each use case also checks for its own effect, so a replay with a new event id cannot double it)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.contracts.navigation import ProjectAcceptedV1
from ipops.contracts.pledge import LoanApprovedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from trusteeship.enterprises import service as enterprises
from trusteeship.worklogs import service as worklogs


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case whose party is an enterprise held now lands in the holding agency's work queue."""
    await worklogs.queue_case(session, payload)


async def on_loan_approved(session: AsyncSession, event: CloudEvent, payload: LoanApprovedV1) -> None:
    """A pledge loan shows in the enterprise's profile (kept by credit code even before enrolment)."""
    await enterprises.record_loan(session, payload)


async def on_project_accepted(session: AsyncSession, event: CloudEvent, payload: ProjectAcceptedV1) -> None:
    """An enterprise-operation navigation project shows in its beneficiary's profile."""
    await enterprises.record_project(session, payload)


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
    LoanApprovedV1.event_type: on_loan_approved,
    ProjectAcceptedV1.event_type: on_project_accepted,
}
