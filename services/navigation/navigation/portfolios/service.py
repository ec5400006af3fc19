"""Use cases of portfolios: register one, replace its patent list, withdraw it, and check every
portfolio of the district against the plan's definition each time (a patent counts toward one
qualifying portfolio, so one list's change can qualify or disqualify another). A portfolio that
starts qualifying is announced (`portfolio.qualified`), one that stops too (`portfolio.disqualified`),
and what each patent list contributes to `high_value_portfolios` is written to the indicator ledger
in the same transaction (`domain.indicators`). Nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_date, district_today, utc_now
from ipops.contracts.navigation import PortfolioDisqualifiedV1, PortfolioQualifiedV1
from ipops.errors import Conflict, NotFound
from ipops.events import EventPayload, add_to_outbox
from ipops.identifiers import patent_type
from navigation.common import SOURCE, record_contributions
from navigation.domain import indicators
from navigation.domain import portfolio as rules
from navigation.models import Portfolio, PortfolioPatent
from navigation.portfolios import repository
from navigation.portfolios.schemas import PortfolioCreate, PortfolioPatentsReplace, PortfolioWithdrawal
from navigation.portfolios.schemas import PortfolioPatent as PatentEntry
from navigation.projects.service import load_project


async def get_portfolio(
    session: AsyncSession, principal: Principal, portfolio_id: str, *, for_update: bool = False
) -> Portfolio:
    """A portfolio the caller may see, or 404."""
    portfolio = await repository.readable_portfolio(session, principal, portfolio_id, for_update=for_update)
    if portfolio is None:
        raise NotFound(f"no portfolio {portfolio_id}")
    return portfolio


async def list_portfolios(
    session: AsyncSession,
    principal: Principal,
    *,
    credit_code: str | None,
    qualified: bool | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Portfolio], int]:
    """A page of the portfolios the caller may see, newest first, and the total."""
    return await repository.list_portfolios(
        session, principal, credit_code=credit_code, qualified=qualified, limit=limit, offset=offset
    )


async def portfolio_patents(
    session: AsyncSession, principal: Principal, portfolio_id: str
) -> Sequence[PortfolioPatent]:
    """The patents of a portfolio the caller may see."""
    portfolio = await get_portfolio(session, principal, portfolio_id)
    return await repository.portfolio_patents(session, portfolio.id)


def _distinct_patents(portfolio: Portfolio, patents: Sequence[PatentEntry]) -> list[PortfolioPatent]:
    """One row per application number; a patent listed twice is PCT if either line says so."""
    seen: dict[str, PortfolioPatent] = {}
    for patent in patents:
        number = patent.application_number
        kind = patent_type(number)
        assert kind is not None  # PatentNumber validated the type digit
        if number in seen:
            seen[number].pct = seen[number].pct or patent.pct
            continue
        seen[number] = PortfolioPatent(
            portfolio_id=portfolio.id,
            application_number=number,
            patent_type=kind.value,
            pct=patent.pct,
            pct_application_number=patent.pct_application_number,
            legal_status=patent.legal_status.value,
        )
    return list(seen.values())


def _announced(portfolio: Portfolio, on: date, now: datetime, *, withdrawn: bool) -> EventPayload:
    """The event of a portfolio that started (qualified) or stopped (disqualified) qualifying."""
    common = {
        "portfolio_id": portfolio.id, "credit_code": portfolio.credit_code,
        "enterprise_name": portfolio.enterprise_name, "name": portfolio.name,
        "invention_count": portfolio.invention_count, "pct_count": portfolio.pct_count,
        "project_id": portfolio.project_id,
    }  # fmt: skip
    if portfolio.qualified:
        return PortfolioQualifiedV1(**common, qualified_on=on, qualified_at=now)
    reason = "withdrawn" if withdrawn else "below_thresholds"
    if not withdrawn and portfolio.inventions_counted_elsewhere + portfolio.pct_counted_elsewhere:
        reason = "counted_elsewhere" if _would_qualify_alone(portfolio) else reason
    return PortfolioDisqualifiedV1(**common, reason=reason, disqualified_on=on, disqualified_at=now)


def _would_qualify_alone(portfolio: Portfolio) -> bool:
    figures = rules.Assessment(
        portfolio.patent_count, portfolio.invention_count, portfolio.pct_count,
        inventions_counted_elsewhere=portfolio.inventions_counted_elsewhere,
        pct_counted_elsewhere=portfolio.pct_counted_elsewhere,
    )  # fmt: skip
    return figures.qualified_but_for_earlier


def _record(portfolio: Portfolio, assessment: rules.Assessment, now: datetime) -> None:
    """Store how `portfolio` measures."""
    figures = {
        "patent_count": assessment.patent_count,
        "invention_count": assessment.invention_count,
        "pct_count": assessment.pct_count,
        "inventions_listed": assessment.inventions_listed,
        "inventions_not_in_force": assessment.inventions_not_in_force,
        "inventions_counted_elsewhere": assessment.inventions_counted_elsewhere,
        "pct_counted_elsewhere": assessment.pct_counted_elsewhere,
        "counted_elsewhere_in": list(assessment.counted_elsewhere_in),
        "qualified": assessment.qualified,
    }
    if any(getattr(portfolio, name) != value for name, value in figures.items()):
        for name, value in figures.items():
            setattr(portfolio, name, value)
        portfolio.updated_at = now


def _follow_spell(session: AsyncSession, portfolio: Portfolio, was_qualified: bool, key: str, on: date) -> None:
    """Move the portfolio's qualification spell on (domain.indicators) and announce a start or a stop."""
    list_changed = portfolio.patent_list_key is not None and portfolio.patent_list_key != key
    spell = indicators.Spell(portfolio.qualified_on, portfolio.disqualified_on) if portfolio.qualified_on else None
    after = indicators.spell_after_change(portfolio.qualified, spell, on, list_changed=list_changed)
    portfolio.patent_list_key = key
    portfolio.qualified_on, portfolio.disqualified_on = (after.start, after.end) if after else (None, None)
    now = utc_now()
    if portfolio.qualified and portfolio.first_qualified_at is None:
        portfolio.first_qualified_at = now
    if portfolio.qualified != was_qualified:
        event = _announced(portfolio, on, now, withdrawn=portfolio.withdrawn_on is not None)
        add_to_outbox(session, event, source=SOURCE, key=portfolio.credit_code)


async def reassess_all(session: AsyncSession, on: date) -> int:
    """Check every portfolio of the district again, in order of seniority, so that no patent counts
    toward two qualifying portfolios (the caller holds `repository.lock_counting`), and write what
    each patent list contributes, as of the business date `on`. A withdrawn portfolio claims
    nothing and does not qualify. Returns how many contributions changed."""
    await session.flush()
    holdings = await repository.all_holdings(session)
    portfolios = sorted(
        await repository.all_portfolios(session),
        key=lambda p: rules.seniority(p.first_qualified_at, p.created_at, p.id),
    )
    active = [p for p in portfolios if p.withdrawn_on is None]
    assessments = rules.allocate([(p.id, holdings.get(p.id, [])) for p in active])
    now = utc_now()
    for portfolio in portfolios:
        was_qualified = portfolio.qualified
        if portfolio.id in assessments:
            _record(portfolio, assessments[portfolio.id], now)
        else:
            portfolio.qualified = False
        key = indicators.patent_list_key(h.application_number for h in holdings.get(portfolio.id, []))
        _follow_spell(session, portfolio, was_qualified, key, on)
    await session.flush()
    return await count_patent_lists(session, portfolios, on)


async def count_patent_lists(session: AsyncSession, portfolios: Sequence[Portfolio], on: date) -> int:
    """Write what each patent list contributes (one list counts once over the merged spells of the
    portfolios holding it); a spell no list holds any more (its portfolio's list changed) ends on
    `on`. Returns how many contributions changed."""
    spells: dict[str, list[indicators.Spell]] = {}
    for p in portfolios:
        if p.patent_list_key is not None:
            spell = [indicators.Spell(p.qualified_on, p.disqualified_on)] if p.qualified_on else []
            spells.setdefault(p.patent_list_key, []).extend(spell)
    wanted = [c for key, found in spells.items() for c in indicators.portfolio_list_contributions(key, found)]
    subjects = {c.subject for c in wanted}
    ended = [
        indicators.Contribution(row.indicator, row.subject, row.quantity, row.start_on,
                                indicators.end_of_spell(row.start_on, on))
        for row in await repository.open_list_contributions(session)
        if row.subject not in subjects
    ]  # fmt: skip
    return await record_contributions(session, [*wanted, *ended], "portfolio assessment")


async def _replace_patents(
    session: AsyncSession, portfolio: Portfolio, patents: Sequence[PatentEntry], on: date | None
) -> None:
    await repository.delete_portfolio_patents(session, portfolio.id)
    session.add_all(_distinct_patents(portfolio, patents))
    portfolio.updated_at = utc_now()
    await reassess_all(session, on or district_today())


async def create_portfolio(session: AsyncSession, principal: Principal, body: PortfolioCreate) -> Portfolio:
    """Register a portfolio; an organisation may link it only to a project of its own."""
    if body.project_id is not None:
        await load_project(session, principal, body.project_id)
    await repository.lock_counting(session)
    now = utc_now()
    portfolio = Portfolio(
        id=str(uuid.uuid4()),
        credit_code=body.credit_code,
        enterprise_name=body.enterprise_name,
        name=body.name,
        project_id=body.project_id,
        owner_org_id=None if principal.is_operator else principal.tenant_id,
        created_at=now,
        updated_at=now,
    )
    session.add(portfolio)
    await session.flush()
    await _replace_patents(session, portfolio, body.patents, body.effective_on)
    return portfolio


async def replace_portfolio_patents(
    session: AsyncSession, principal: Principal, portfolio_id: str, body: PortfolioPatentsReplace
) -> Portfolio:
    """Replace a portfolio's patent list and check every portfolio again; a withdrawn portfolio's
    list no longer changes (409)."""
    await repository.lock_counting(session)
    portfolio = await get_portfolio(session, principal, portfolio_id, for_update=True)
    _check_not_withdrawn(portfolio)
    await _replace_patents(session, portfolio, body.patents, body.effective_on)
    portfolio.version += 1
    return portfolio


def _check_not_withdrawn(portfolio: Portfolio) -> None:
    if portfolio.withdrawn_on is not None:
        raise Conflict(f"portfolio {portfolio.id} was withdrawn on {portfolio.withdrawn_on}", allowed_moves=[])


async def withdraw_portfolio(
    session: AsyncSession, principal: Principal, portfolio_id: str, body: PortfolioWithdrawal
) -> Portfolio:
    """Withdraw a portfolio: from `withdrawn_on` it claims no patent and no longer qualifies (its
    list stops counting unless another portfolio holding it qualifies, which the reassessment
    finds at once). A second withdrawal is 409."""
    await repository.lock_counting(session)
    portfolio = await get_portfolio(session, principal, portfolio_id, for_update=True)
    _check_not_withdrawn(portfolio)
    now = utc_now()
    on = body.withdrawn_on or district_date(now)
    portfolio.withdrawn_on, portfolio.withdrawn_at, portfolio.withdrawal_reason = on, now, body.reason
    portfolio.version += 1
    portfolio.updated_at = now
    await reassess_all(session, on)
    return portfolio


async def recount_portfolios(session: AsyncSession) -> int:
    """Reassess every portfolio and write each list's contributions again (today's date for any
    change found); returns how many contributions changed."""
    await repository.lock_counting(session)
    return await reassess_all(session, district_today())
