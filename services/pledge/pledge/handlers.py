"""What the pledge service does with the events it consumes (each runs behind the inbox, so a
redelivered event changes nothing twice). One consumer group per producer: a refused fund event
retried and dead-lettered does not hold up enforcement's cases."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.contracts.enforcement import CaseOpenedV1
from ipops.contracts.operations import InvestmentExitedV1, InvestmentMadeV1
from ipops.events import CloudEvent
from ipops.events.consumer import Handler
from pledge.loans import investments
from pledge.rights import service as rights


async def on_case_opened(session: AsyncSession, event: CloudEvent, payload: CaseOpenedV1) -> None:
    """A case naming a patent or trademark puts it on the collateral-at-risk list and flags every
    live loan pledging it, so the lending bank sees the risk on its loan."""
    await rights.record_case(session, payload)


async def on_investment_made(session: AsyncSession, event: CloudEvent, payload: InvestmentMadeV1) -> None:
    """A guidance-fund investment naming a pledge loan is kept with that loan (投贷联动), when the
    loan is pledge's and of the same enterprise; otherwise it is refused (retried, dead-lettered:
    `pledge.domain.investment`). One naming no loan is not pledge's concern."""
    await investments.record_investment(session, payload)


async def on_investment_exited(session: AsyncSession, event: CloudEvent, payload: InvestmentExitedV1) -> None:
    """The fund's exit of a linked investment is shown on its loan; an exit of an investment pledge
    never linked is refused like the investment was."""
    await investments.record_exit(session, payload)


HANDLERS: dict[str, Handler] = {
    CaseOpenedV1.event_type: on_case_opened,
}
FUND_HANDLERS: dict[str, Handler] = {
    InvestmentMadeV1.event_type: on_investment_made,
    InvestmentExitedV1.event_type: on_investment_exited,
}
