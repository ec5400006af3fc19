"""Pledge use cases: load, apply the rules, persist, add the events to the outbox. Never commit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.pledge import BankRegisteredV1
from ipops.errors import Conflict
from ipops.events import add_to_outbox
from pledge import repository
from pledge.models import Bank
from pledge.schemas import BankCreate

SOURCE = "/ipops/pledge"


async def register_bank(session: AsyncSession, data: BankCreate) -> Bank:
    """Register a bank; its id must be new."""
    if await repository.get_bank(session, data.id) is not None:
        raise Conflict(f"bank {data.id} is already registered")
    bank = Bank(id=data.id, name=data.name, registered_at=datetime.now(UTC))
    session.add(bank)
    add_to_outbox(
        session,
        BankRegisteredV1(bank_id=bank.id, name=bank.name, registered_at=bank.registered_at),
        source=SOURCE,
        key=bank.id,
    )
    return bank
