"""What every operations aggregate shares: the events' source, random ids, how a caller is named
in history rows, the agency a principal may act for, and how a rule's verdict reaches the
indicator ledger."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal, Role
from ipops.indicators import ledger
from ipops.indicators.ledger import IndicatorContribution
from operations.domain.indicators import Counts

SOURCE = "/ipops/operations"
SERVICE = "operations"


def new_id() -> str:
    """A random, non-sequential id (uuid4 hex): ids reveal neither counts nor other tenants' rows."""
    return uuid.uuid4().hex


def actor_of(principal: Principal) -> str:
    """How history rows name a caller."""
    if principal.role is Role.OPERATOR:
        return f"operator:{principal.subject}"
    return f"{principal.role.value}:{principal.tenant_id}:{principal.subject}"


def own_agency(principal: Principal) -> str | None:
    """The agency whose records the caller is limited to; None for an operator (sees all)."""
    if principal.is_operator:
        return None
    return str(principal.tenant_id)


async def counted(session: AsyncSession, indicator: str, subject: str) -> Counts | None:
    """What `subject` contributes to `indicator` now, per the ledger (None: nothing)."""
    row = await session.get(IndicatorContribution, (indicator, subject))
    if row is None or row.quantity == 0:
        return None
    return Counts(row.quantity, row.start_on, row.end_on)


async def count(session: AsyncSession, indicator: str, subject: str, counts: Counts | None, reason: str) -> None:
    """Record the verdict of a rule in `operations.domain.indicators` (None withdraws the subject);
    the ledger announces it through the outbox only when it changed."""
    if counts is None:
        await ledger.withdraw(session, owner=SERVICE, indicator=indicator, subject=subject, reason=reason)
        return
    await ledger.contribute(
        session,
        owner=SERVICE,
        indicator=indicator,
        subject=subject,
        quantity=counts.quantity,
        start_on=counts.start_on,
        end_on=counts.end_on,
        reason=reason,
    )
