"""What the pledge service does with the events it consumes (each runs behind the inbox, so a
redelivered event changes nothing twice)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from ipops.identifiers import normalize_patent_number
from pledge import repository
from pledge.enums import RightKind
from pledge.models import CollateralAlert


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case naming a patent or trademark puts it on the collateral-at-risk list and flags every
    live loan pledging it, so the lending bank sees the risk on its loan."""
    flagged_at = datetime.now(UTC)
    named = [(RightKind.PATENT, _patent(n)) for n in payload.patent_numbers]
    named += [(RightKind.TRADEMARK, n.strip()) for n in payload.trademark_numbers]
    for kind, number in named:
        session.add(
            CollateralAlert(
                right_kind=kind.value,
                patent_number=number,
                case_id=payload.case_id,
                case_type=payload.case_type,
                raised_at=payload.opened_at,
            )
        )
        for loan in await repository.live_loans_pledging(session, kind, number):
            if loan.collateral_at_risk_at is None:
                loan.collateral_at_risk_at = flagged_at


def _patent(raw: str) -> str:
    """The normalised number (`ZL…` and spacing removed); an invalid one is kept as named: it
    matches no pledged right, but the alert is not lost."""
    try:
        return normalize_patent_number(raw)
    except ValueError:
        return raw


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
}
