"""What every enforcement aggregate shares: the events' source, how the timeline names a caller,
how an entry is appended to it, how a rating token is kept (only its digest), and how a counting
rule's verdict is written to the indicator ledger."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.domain.indicators import OWNER, Contribution
from enforcement.models import CaseEvent
from ipops.auth import Principal, Role
from ipops.clock import utc_now
from ipops.indicators.ledger import contribute

SOURCE = "/ipops/enforcement"

# A moment a request names (when an application arrived, when a move happened): an RFC 3339
# date-time with its offset, as a string. Pydantic alone would also read a number as seconds since
# 1970 and a time without an offset as local, neither of which the schema allows; the pattern says
# the form, the `date-time` format the calendar. The written year may be 1999: the bound that
# counts is the district date (Beijing), and 1999-12-31T16:00:00Z is 2000-01-01 there; an instant
# whose district date is before 2000 is a rule violation.
INSTANT_PATTERN = (
    r"^(?:1999|20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
_INSTANT = re.compile(INSTANT_PATTERN)


def _instant(value: Any) -> Any:
    if isinstance(value, datetime):  # built in Python, not read from a request
        return value
    if not isinstance(value, str) or not _INSTANT.fullmatch(value):
        raise ValueError("a date-time written as RFC 3339 with its offset (2026-03-01T09:30:00+08:00), years 1999-2100")
    return datetime.fromisoformat(value.upper())  # raises ValueError for a day the month does not have


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": INSTANT_PATTERN,
            "description": "A date-time with its offset (RFC 3339), years 1999-2100; its Beijing date from 2000-01-01.",
        },
        mode="validation",
    ),
]


def actor_of(principal: Principal) -> str:
    """How the timeline names a caller."""
    if principal.role is Role.OPERATOR:
        return f"operator:{principal.subject}"
    return f"{principal.role.value}:{principal.tenant_id}:{principal.subject}"


def record(
    session: AsyncSession, case_id: str, actor: str, kind: str, summary: str, at: datetime, **details: Any
) -> None:
    """Append one entry to the case timeline, at the time it happened; an entry recorded later than
    that (a move made on paper) also keeps when it was recorded."""
    session.add(
        CaseEvent(
            case_id=case_id,
            at=at,
            actor=actor,
            kind=kind,
            summary=summary[:500],
            details=with_recorded_at(at, details),
        )
    )


def with_recorded_at(at: datetime, details: dict[str, Any]) -> dict[str, Any]:
    """`details`, plus `recorded_at` when the entry is written more than a minute from `at`."""
    recorded = utc_now()
    if abs((recorded - at).total_seconds()) > 60:
        return {**details, "recorded_at": recorded.isoformat()}
    return details


def token_digest(token: str) -> str:
    """What is stored of a rating token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


async def count(session: AsyncSession, contribution: Contribution) -> bool:
    """Write one contribution to the indicator ledger (announced if it changed); whether it did."""
    return await contribute(
        session,
        owner=OWNER,
        indicator=contribution.indicator,
        subject=contribution.subject,
        quantity=contribution.quantity,
        start_on=contribution.start_on,
        end_on=contribution.end_on,
        reason=contribution.reason,
    )
