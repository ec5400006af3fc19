"""The banks' use cases: register, list, reinstate; find the calling bank; suspend a bank whose
non-performing loans pass its agreement's threshold. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.pledge import BankRegisteredV1, BankSuspendedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, Forbidden, NotFound
from ipops.events import add_to_outbox
from ipops.money import format_yuan
from pledge.banks import repository
from pledge.banks.schemas import BankCreate
from pledge.common import SOURCE
from pledge.domain import compensation
from pledge.models import Bank
from pledge.statistics import repository as statistics_repository


async def register_bank(session: AsyncSession, data: BankCreate) -> Bank:
    """Register a bank; its id must be new."""
    if await repository.get_bank(session, data.id) is not None:
        raise Conflict(f"bank {data.id} is already registered")
    bank = Bank(id=data.id, name=data.name, registered_at=utc_now())
    session.add(bank)
    await flush_or_conflict(session, f"bank {data.id} is already registered")
    add_to_outbox(
        session,
        BankRegisteredV1(bank_id=bank.id, name=bank.name, registered_at=bank.registered_at),
        source=SOURCE,
        key=bank.id,
    )
    return bank


async def list_banks(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[Bank], int]:
    """A page of banks by name, and the total."""
    return await repository.list_banks(session, limit=limit, offset=offset)


async def reinstate_bank(session: AsyncSession, bank_id: str) -> Bank:
    """Lift a bank's suspension (operators decide, after review)."""
    bank = await repository.get_bank(session, bank_id, for_update=True)
    if bank is None:
        raise NotFound(f"no bank {bank_id}")
    if bank.suspended_at is None:
        raise Conflict("the bank is not suspended")
    bank.suspended_at = None
    bank.suspension_reason = None
    return bank


async def calling_bank(session: AsyncSession, principal: Principal) -> Bank:
    """The bank a bank principal acts for; Forbidden when it is not registered."""
    bank = await repository.get_bank(session, principal.tenant_id or "")
    if bank is None:
        raise Forbidden("the calling bank is not registered with the programme")
    return bank


async def suspend_if_over_npl(
    session: AsyncSession, bank_id: str, terms: compensation.AgreementTerms | None, at: datetime
) -> None:
    """After a default: suspend the bank when its NPL ratio this year passes the threshold of the
    agreement in force (`terms`; None when it has none)."""
    bank = await repository.get_bank(session, bank_id, for_update=True)
    if terms is None or bank is None or bank.suspended_at is not None:
        return
    disbursed, defaulted = await statistics_repository.bank_npl_figures(session, bank.id, at.year)
    if compensation.npl_ratio_exceeded(terms, npl_fen=defaulted, disbursed_fen=disbursed):
        bank.suspended_at = at
        bank.suspension_reason = (
            f"non-performing principal {format_yuan(defaulted)} of {format_yuan(disbursed)} disbursed in {at.year} "
            f"passes the {terms.npl_suspension_threshold}% threshold"
        )
        add_to_outbox(
            session,
            BankSuspendedV1(bank_id=bank.id, reason=bank.suspension_reason, suspended_at=at),
            source=SOURCE,
            key=bank.id,
        )
