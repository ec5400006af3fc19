"""What the pledge service does with the events it consumes (each runs behind the inbox)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from pledge.models import CollateralAlert


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case naming a patent puts that patent on the collateral-at-risk list."""
    for number in payload.patent_numbers:
        session.add(
            CollateralAlert(
                patent_number=number, case_id=payload.case_id, case_type=payload.case_type,
                raised_at=payload.opened_at,
            )
        )


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
}
