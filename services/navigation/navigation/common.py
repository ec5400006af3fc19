"""What every aggregate of the navigation service shares: where its routes live, the source of its
events, how an actor is named in history rows, the text and date fields its schemas reuse, and
how a use case writes what the counting rules (`domain.indicators`) say to the indicator ledger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today
from ipops.indicators.ledger import contribute
from navigation.domain.indicators import OWNER, Contribution

PREFIX = "/api/v1/navigation"
PUBLIC_PREFIX = f"{PREFIX}/public"
SOURCE = "/ipops/navigation"

Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Name200 = Annotated[str, Field(min_length=1, max_length=200)]

EARLIEST_BUSINESS_DATE = date(2000, 1, 1)


def _not_in_the_future(value: date) -> date:
    # History is entered late (the plan started in 2019), never ahead: a future date would count
    # a fact that has not happened.
    if value > district_today():
        raise ValueError("a business date cannot be later than today (Beijing date)")
    return value


BusinessDate = Annotated[
    date,
    Field(ge=EARLIEST_BUSINESS_DATE, description="Beijing date, 2000-01-01 .. today; default today"),
    AfterValidator(_not_in_the_future),
]


def actor(principal: Principal) -> str:
    """How a caller is named in history rows and `submitted_by`/`uploaded_by` columns."""
    return f"{principal.role.value}:{principal.tenant_id or principal.subject}"


async def record_contributions(session: AsyncSession, contributions: Iterable[Contribution], reason: str) -> int:
    """Write each contribution to the ledger (announced through the outbox only when it changed), in
    the caller's transaction; returns how many changed."""
    changed = 0
    for c in contributions:
        changed += await contribute(
            session, owner=OWNER, indicator=c.indicator, subject=c.subject, quantity=c.quantity,
            start_on=c.start_on, end_on=c.end_on, reason=reason,
        )  # fmt: skip
    return changed
