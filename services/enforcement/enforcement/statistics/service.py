"""Use cases of ratings and statistics: record a served party's rating by its single-use token,
compute a year's figures (`domain/statistics.py`; the plan's indicators among them from the
ledger), answer the plan's indicators and recount them. Never commit: the route owns the
transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import indicators as case_indicators
from enforcement.cases import repository as cases
from enforcement.common import SOURCE, record, token_digest
from enforcement.domain import indicators as rules
from enforcement.domain.statistics import CaseFacts, LedgerFigures, RatingFacts, YearFigures, figures
from enforcement.enums import CaseType
from enforcement.models import CaseRating
from enforcement.statistics import repository, surveys
from enforcement.statistics.schemas import RatingCreate
from ipops.clock import DISTRICT_TZ, district_date, district_today, utc_now
from ipops.contracts.enforcement import CaseRatedV1
from ipops.errors import Conflict, NotFound
from ipops.events import add_to_outbox
from ipops.indicators.catalogue import indicator
from ipops.indicators.figures import contribution_groups, yearly_values
from ipops.indicators.statistics import IndicatorStatistics, owner_statistics


async def rate_case(session: AsyncSession, data: RatingCreate) -> CaseRating:
    """Record the served party's rating through the token issued at closure: once per case."""
    token = await repository.rating_token_by_hash(session, token_digest(data.token), for_update=True)
    if token is None:
        raise NotFound("unknown rating token")
    if token.used_at is not None or await repository.get_rating(session, token.case_id) is not None:
        raise Conflict("this case has already been rated")
    case = await cases.get_case(session, token.case_id)
    assert case is not None
    at = utc_now()
    token.used_at = at
    rating = CaseRating(case_id=case.id, score=data.score, comment=data.comment, rated_at=at)
    session.add(rating)
    record(session, case.id, "public:rating-token", "rated", f"rated {data.score}/100", at, score=data.score)
    add_to_outbox(
        session,
        CaseRatedV1(case_id=case.id, case_type=case.case_type, score=data.score, rated_at=at),
        source=SOURCE,
        key=case.id,
    )
    await session.flush()
    return rating


def _year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=DISTRICT_TZ)


async def year_figures(session: AsyncSession, year: int) -> YearFigures:
    """The plan's figures of a year."""
    received = await repository.cases_between(session, date(year - 1, 1, 1), date(year, 12, 31))
    closed = await repository.cases_closed_between(session, _year_start(year), _year_start(year + 1))
    every = {c.id: c for c in [*received, *closed]}
    facts = [
        CaseFacts(
            case_type=CaseType(c.case_type),
            received_date=c.received_date,
            closed_date=district_date(c.closed_at) if c.closed_at else None,
            within_deadline=c.closed_within_deadline,
            went_overdue=c.acceptance_overdue_at is not None or c.handling_overdue_at is not None,
        )
        for c in every.values()
    ]
    ratings = await repository.ratings_between(session, _year_start(year), _year_start(year + 1))
    rated = [RatingFacts(district_date(r.rated_at), r.score) for r in ratings]
    return figures(year, facts, rated, await ledger_figures(session, year))


async def ledger_figures(session: AsyncSession, year: int) -> LedgerFigures:
    """The indicator values of `year` (and administrative cases of the year before), added up
    from the ledger with the arithmetic the public figures use."""
    ids = (rules.ENFORCEMENT_CASES, rules.ENTERPRISES_PROTECTED, rules.SATISFACTION)
    groups = await contribution_groups(session, ids)
    cases_, enterprises, survey = (yearly_values(indicator(i), groups.get(i, []), [year - 1, year]) for i in ids)
    return LedgerFigures(
        administrative_cases=int(cases_[year] or 0),
        previous_administrative_cases=int(cases_[year - 1] or 0),
        enterprises_protected=int(enterprises[year] or 0),
        satisfaction=survey[year],
    )


async def indicator_statistics(session: AsyncSession) -> IndicatorStatistics:
    """Enforcement's indicators, every year since the base year, judged as the plan means it."""
    return await owner_statistics(session, rules.OWNER, district_today().year)


async def recount_indicators(session: AsyncSession) -> int:
    """Every case's and every survey's contributions computed again by the counting rules and
    written where they differ (the backfill of records made before the ledger, and a check that
    nothing drifted); the number of contributions that changed."""
    return await case_indicators.recount_cases(session) + await surveys.recount_surveys(session)


async def years_with_cases(session: AsyncSession) -> list[int]:
    """From the first year with a case to this year."""
    first = await repository.first_received_date(session)
    this_year = district_today().year
    return list(range(first.year, this_year + 1)) if first is not None else []


async def public_figures(session: AsyncSession) -> list[YearFigures]:
    """The figures of every year from the first case to this year."""
    return [await year_figures(session, year) for year in await years_with_cases(session)]
