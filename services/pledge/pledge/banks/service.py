"""The banks' use cases: register, list, reinstate; find the calling bank; measure a bank's NPL
stop line (stop it when over, bring it back when the terms say so). Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ipops.auth import Principal
from ipops.clock import district_date, district_year, utc_now
from ipops.contracts.pledge import BankRegisteredV1, BankSuspendedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, Forbidden, NotFound
from ipops.events import add_to_outbox
from pledge.banks import repository
from pledge.banks.schemas import BankCreate
from pledge.common import SOURCE
from pledge.domain import stopline
from pledge.domain.stopline import NplFigures, StopLine
from pledge.domain.years import year_span_of
from pledge.enums import NplBasis
from pledge.models import Bank
from pledge.pools import repository as pools_repository
from pledge.pools import service as pools_service


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


async def list_banks(
    connection: AsyncConnection, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[repository.BankRow], int]:
    """A page of the banks `principal` may see by name (a bank: itself), and the total."""
    return await repository.list_banks(connection, principal, limit=limit, offset=offset)


async def reinstate_bank(session: AsyncSession, bank_id: str) -> Bank:
    """Lift a bank's suspension (operators decide, after review). It holds until a default takes
    the bank over its line again."""
    bank = await repository.get_bank(session, bank_id, for_update=True)
    if bank is None:
        raise NotFound(f"no bank {bank_id}")
    if bank.suspended_at is None:
        raise Conflict("the bank is not suspended")
    _lift(bank)
    bank.reinstated_at = utc_now()
    return bank


def _lift(bank: Bank) -> None:
    bank.suspended_at = bank.suspended_by_loan_id = bank.suspension_reason = None


async def calling_bank(session: AsyncSession, principal: Principal) -> Bank:
    """The bank a bank principal acts for; Forbidden when it is not registered."""
    bank = await repository.get_bank(session, principal.tenant_id or "")
    if bank is None:
        raise Forbidden("the calling bank is not registered with the programme")
    return bank


async def stop_line_in_force(session: AsyncSession, bank_id: str, at: datetime) -> StopLine:
    """The stop line of the bank's agreement version in force at `at` (no line without one)."""
    agreement = await pools_repository.agreement_in_force(session, bank_id, at)
    return StopLine() if agreement is None else pools_service.agreement_terms(agreement).stop_line


async def npl_figures(session: AsyncSession, bank_id: str, basis: NplBasis, at: datetime) -> NplFigures:
    """The bank's NPL figures on the line's basis: its balance at `at`, or the flow of the
    district year `at` falls in."""
    if basis is NplBasis.FLOW:
        defaulted, disbursed = await repository.flow_npl(session, bank_id, *year_span_of(at))
        return NplFigures(defaulted, disbursed, basis, str(district_year(at)))
    non_performing, outstanding = await repository.balance_npl(session, bank_id)
    return NplFigures(non_performing, outstanding, basis, str(district_date(at)))


async def check_stop_line(
    session: AsyncSession, bank_id: str, at: datetime, *, tripped_by: str | None = None
) -> tuple[StopLine, Bank | None]:
    """Measure the bank's NPL ratio under the agreement in force and stop it when it is over the
    line (`tripped_by`: the loan whose default is being recorded), or lift its stop when it is
    back under and the terms bring it back automatically. Runs after a default and before an
    approval's coverage and a claim's decision. The line and the (locked) bank."""
    line = await stop_line_in_force(session, bank_id, at)
    if line.threshold is None:
        return line, await repository.get_bank(session, bank_id)
    bank = await repository.get_bank(session, bank_id, for_update=True)
    if bank is None:
        return line, None
    figures = await npl_figures(session, bank.id, line.basis, at)
    move = stopline.stop_move(
        line,
        stopped=bank.suspended_at is not None,
        over=stopline.over_the_line(line, figures),
        reinstated=bank.reinstated_at is not None,
        at_default=tripped_by is not None,
    )
    if move == "lift":
        _lift(bank)
    elif move == "stop":
        bank.suspended_at, bank.suspended_by_loan_id, bank.reinstated_at = at, tripped_by, None
        bank.suspension_reason = stopline.stop_reason(line, figures)
        add_to_outbox(
            session,
            BankSuspendedV1(bank_id=bank.id, reason=bank.suspension_reason, suspended_at=at),
            source=SOURCE,
            key=bank.id,
        )
    return line, bank


def current_stop(bank: Bank | None) -> stopline.Stop | None:
    """The bank's stop, if it is stopped."""
    if bank is None or bank.suspended_at is None:
        return None
    return stopline.Stop(since=bank.suspended_at, tripped_by_loan_id=bank.suspended_by_loan_id)
