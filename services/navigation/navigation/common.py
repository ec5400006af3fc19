"""What every aggregate of the navigation service shares: where its routes live, the source of its
events, how an actor is named in history rows, the text and date fields its schemas reuse, and
how a use case writes what the counting rules (`domain.indicators`) say to the indicator ledger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today
from ipops.errors import RuleViolation
from ipops.fields import EARLIEST_DATE, BoundedDate
from ipops.indicators.ledger import contribute
from navigation.domain.indicators import OWNER, Contribution

PREFIX = "/api/v1/navigation"
PUBLIC_PREFIX = f"{PREFIX}/public"
SOURCE = "/ipops/navigation"

Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Name200 = Annotated[str, Field(min_length=1, max_length=200)]

EARLIEST_BUSINESS_DATE = EARLIEST_DATE


def _not_in_the_future(value: date, info: ValidationInfo) -> date:
    # History is entered late (the plan started in 2019), never ahead: a future date would count
    # a fact that has not happened. "Today" moves, so no schema can state it: a rule violation
    # (raised as such from validation, which lets any exception but ValueError through).
    if value > district_today():
        raise RuleViolation(
            "a business date cannot be later than today (Beijing date)", field=f"body.{info.field_name}"
        )
    return value


# A date the platform's bounds allow (ipops.fields.BoundedDate: the form and 2000-01-01 .. 2100-12-31
# in the schema), and not later than today (a business rule).
BusinessDate = Annotated[
    BoundedDate,
    Field(description="Beijing date, 2000-01-01 .. today; default today"),
    AfterValidator(_not_in_the_future),
]


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer is a number without a fraction (`5` and `5.0`), never a boolean or a
    # string; pydantic's lax int would also take `true` and `"5"`, its strict int refuse `5.0`.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("an integer (a JSON number without a fraction)")
    return value


# A version a client expects (1 or more), an integer in a request body read as JSON Schema's
# `integer` is. The bound sits inside the validator: given outside it (as `Field(ge=1)` on a
# `| None` field) it would reach the schema as pydantic's own `ge`, not JSON Schema's `minimum`.
Version = Annotated[int, Field(ge=1), BeforeValidator(_json_integer)]


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
