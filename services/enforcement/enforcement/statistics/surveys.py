"""Use cases of the district's yearly satisfaction survey: record a year's survey (a year that has
one gets a new version: a correction, history kept), withdraw it (a version saying so), and count
the current version as the `satisfaction` indicator in the same transaction. Never commit: the
route owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.common import actor_of, count
from enforcement.domain.indicators import score_tenths, survey_contribution
from enforcement.models import SatisfactionSurvey
from enforcement.statistics import repository
from enforcement.statistics.schemas import SurveyCreate, SurveyWithdrawal
from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.errors import Conflict, NotFound, RuleViolation

EARLIEST = date(2000, 1, 1)


def _check_dates(data: SurveyCreate) -> None:
    today = district_today()
    if data.year > today.year:
        raise RuleViolation(f"a survey measures a year that has begun (not after {today.year})", field="body.year")
    if not EARLIEST <= data.conducted_on <= today:
        raise RuleViolation(f"conducted_on is between {EARLIEST} and today ({today})", field="body.conducted_on")
    if data.conducted_on.year < data.year:
        raise RuleViolation(f"a survey of {data.year} is not conducted before it begins", field="body.conducted_on")


async def record_survey(session: AsyncSession, data: SurveyCreate, principal: Principal) -> SatisfactionSurvey:
    """Record the year's survey, or correct it with a new version (the reason is then required);
    the year's `satisfaction` figure becomes this version's score."""
    _check_dates(data)
    await repository.lock_survey_year(session, data.year)
    previous = await repository.latest_survey(session, data.year)
    if previous is not None and data.reason is None:
        raise RuleViolation(
            f"{data.year} has a survey (version {previous.version}): a correction says why", field="body.reason"
        )
    row = SatisfactionSurvey(
        year=data.year,
        version=previous.version + 1 if previous is not None else 1,
        score_tenths=score_tenths(data.score),
        sample_size=data.sample_size,
        conducted_by=data.conducted_by,
        conducted_on=data.conducted_on,
        evidence_reference=data.evidence_reference,
        reason=data.reason,
        recorded_by=actor_of(principal),
        recorded_at=utc_now(),
    )
    session.add(row)
    await session.flush()
    await count_survey(session, row)
    return row


async def withdraw_survey(
    session: AsyncSession, year: int, data: SurveyWithdrawal, principal: Principal
) -> SatisfactionSurvey:
    """Withdraw the year's survey with a version that says so (its score kept for the record); the
    year's `satisfaction` figure is taken out. Recording the year again later is a correction."""
    await repository.lock_survey_year(session, year)
    previous = await repository.latest_survey(session, year)
    if previous is None:
        raise NotFound(f"no survey of {year}")
    if previous.withdrawn:
        raise Conflict(f"the survey of {year} is already withdrawn (version {previous.version})")
    row = SatisfactionSurvey(
        year=year,
        version=previous.version + 1,
        score_tenths=previous.score_tenths,
        sample_size=previous.sample_size,
        conducted_by=previous.conducted_by,
        conducted_on=previous.conducted_on,
        evidence_reference=previous.evidence_reference,
        reason=data.reason,
        withdrawn=True,
        recorded_by=actor_of(principal),
        recorded_at=utc_now(),
    )
    session.add(row)
    await session.flush()
    await count_survey(session, row)
    return row


async def count_survey(session: AsyncSession, row: SatisfactionSurvey) -> bool:
    """The survey version as its year's `satisfaction` figure; whether the ledger changed."""
    score = Decimal(row.score_tenths) / 10
    return await count(session, survey_contribution(row.year, score, row.conducted_on, row.withdrawn))


async def list_surveys(
    session: AsyncSession, year: int | None, *, limit: int, offset: int
) -> tuple[Sequence[SatisfactionSurvey], set[str], int]:
    """A page of survey versions, the ids of the current ones, and the total."""
    rows, total = await repository.surveys(session, year, limit=limit, offset=offset)
    current = {r.id for r in await repository.current_surveys(session)}
    return rows, current, total


async def recount_surveys(session: AsyncSession) -> int:
    """Every year's current survey counted again; the number of figures that changed."""
    return sum([await count_survey(session, row) for row in await repository.current_surveys(session)])
