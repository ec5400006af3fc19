"""What the pledge service does with the events it consumes (each runs behind the inbox, so a
redelivered event changes nothing twice)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from pledge.rights import service as rights


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case naming a patent or trademark puts it on the collateral-at-risk list and flags every
    live loan pledging it, so the lending bank sees the risk on its loan."""
    await rights.record_case(session, payload)


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
}
