"""What every enforcement aggregate shares: the events' source, how the timeline names a caller,
how an entry is appended to it, how a rating token is kept (only its digest), and how a counting
rule's verdict is written to the indicator ledger."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.domain.indicators import OWNER, Contribution
from enforcement.models import CaseEvent
from ipops.auth import Principal, Role
from ipops.clock import utc_now
from ipops.indicators.ledger import contribute

SOURCE = "/ipops/enforcement"


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
