"""What the operations service does with the events it consumes: it follows the trusteeship
service's registry of agencies into its own `agency` table (each handler runs behind the inbox and
is an upsert ordered by the event's own timestamp, so a replay or a late older update changes
nothing)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.trusteeship import AgencyRegisteredV1, AgencyUpdatedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from operations.agencies import service as agencies


async def on_agency_registered(session: AsyncSession, event: CloudEvent, payload: AgencyRegisteredV1) -> None:
    """An agency joined the registry: it may now keep a profile and report revenue here."""
    await agencies.follow_agency(session, payload.agency_id, payload.name, payload.credit_code, payload.registered_at)


async def on_agency_updated(session: AsyncSession, event: CloudEvent, payload: AgencyUpdatedV1) -> None:
    """An agency's name or credit code changed in the registry (an older update is ignored)."""
    await agencies.follow_agency(session, payload.agency_id, payload.name, payload.credit_code, payload.updated_at)


HANDLERS: dict[str, Handler] = {
    AgencyRegisteredV1.event_type: on_agency_registered,
    AgencyUpdatedV1.event_type: on_agency_updated,
}
