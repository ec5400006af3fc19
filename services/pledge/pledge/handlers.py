"""What the pledge service does with the events it consumes (each runs behind the inbox, so a
redelivered event changes nothing twice)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from ipops.identifiers import normalize_patent_number
from pledge import repository
from pledge.models import CollateralAlert


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case naming a patent puts that patent on the collateral-at-risk list and flags every live
    loan pledging it, so the lending bank sees the risk on its loan."""
    flagged_at = datetime.now(UTC)
    for raw in payload.patent_numbers:
        try:
            number = normalize_patent_number(raw)
        except ValueError:
            number = raw  # keep the alert as named; it just matches no pledged right
        session.add(
            CollateralAlert(
                patent_number=number, case_id=payload.case_id, case_type=payload.case_type,
                raised_at=payload.opened_at,
            )
        )
        for loan in await repository.live_loans_pledging_patent(session, number):
            if loan.collateral_at_risk_at is None:
                loan.collateral_at_risk_at = flagged_at


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
}
