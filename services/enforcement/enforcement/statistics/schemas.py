"""The HTTP contract of the served parties' ratings, the yearly satisfaction survey, the service's
statistics and its presenters. (The plan's indicators answer with
`ipops.indicators.statistics.IndicatorStatistics`.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from enforcement.domain.statistics import YearFigures
from enforcement.enums import CaseType
from enforcement.models import CaseRating, SatisfactionSurvey
from ipops.fields import BoundedDate, DecimalText, JsonInt

# A survey score of 100 with one decimal, read from a string ("84.5", as every decimal quantity of
# the platform travels) and serialised as one.
Score = Annotated[
    Decimal,
    DecimalText(1, 2, ceiling_power=2, what="a score", description="0 to 100, at most one decimal", example="84.5"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^(?:0|[1-9][0-9]?|100)\.[0-9]$", "examples": ["84.5"]}, mode="serialization"
    ),
    PlainSerializer(lambda d: f"{d:.1f}", return_type=str, when_used="json"),
]


class RatingCreate(BaseModel):
    """A served party's rating of the office's handling of its case, by the token issued at
    closure (not the plan's social satisfaction, which is the yearly survey)."""

    token: str = Field(min_length=20, max_length=200)
    score: JsonInt = Field(ge=0, le=100)
    comment: str | None = Field(default=None, max_length=1000)


class RatingPublic(BaseModel):
    """A rating recorded."""

    model_config = ConfigDict(from_attributes=True)

    case_id: str
    score: int
    rated_at: datetime


class HandlingTimePublic(BaseModel):
    """Days from receipt to closure of one type's cases closed in the year."""

    model_config = ConfigDict(from_attributes=True)

    case_type: CaseType
    closed: int
    mean_days: Decimal | None
    median_days: Decimal | None


class YearStatistics(BaseModel):
    """Enforcement's figures of one year (operators). `administrative_cases`, `enterprises_protected`
    and `satisfaction` are the plan's indicators, read from the indicator ledger (judged against
    their targets in `/statistics/indicators`); growth here is year on year."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    cases: int = Field(description="every case received in the year, any type or fate")
    previous_cases: int
    case_growth: Decimal | None = Field(description="year on year")
    administrative_cases: int = Field(description="indicator enforcement_cases")
    previous_administrative_cases: int
    administrative_growth: Decimal | None = Field(description="year on year, not the plan's average growth")
    enterprises_protected: int = Field(description="indicator enterprises_protected")
    satisfaction: Score | None = Field(description="indicator satisfaction: the year's public survey score")
    closed: int
    closed_within_deadline: int
    share_closed_within_deadline: Decimal | None
    overdue_cases: int
    overdue_rate: Decimal | None
    served_party_ratings: int = Field(description="per-case ratings given in the year")
    served_parties_average_rating: Decimal | None = Field(
        description="served parties' average rating of their cases (not the plan's satisfaction)"
    )
    handling_time: list[HandlingTimePublic]


class PublicYear(BaseModel):
    """One year of the public view: aggregates only, no party or case named."""

    year: int
    cases: int
    administrative_cases: int
    administrative_growth: Decimal | None
    enterprises_protected: int
    satisfaction: Score | None
    share_closed_within_deadline: Decimal | None
    served_parties_average_rating: Decimal | None
    served_party_ratings: int


class SurveyCreate(BaseModel):
    """The district's yearly public survey of satisfaction with IP protection (知识产权保护工作社会满意度).
    Recording a year that has a survey is a correction: a new version, the earlier ones kept."""

    model_config = ConfigDict(extra="forbid")

    year: JsonInt = Field(ge=2000, le=2100, description="the year the survey measures (not in the future)")
    score: Score = Field(description="0 to 100, one decimal")
    sample_size: JsonInt = Field(ge=1, le=10_000_000, description="people who answered")
    conducted_by: str = Field(min_length=1, max_length=200, description="who ran the survey")
    conducted_on: BoundedDate = Field(description="2000-01-01 to today; not before the year it measures")
    evidence_reference: str = Field(min_length=1, max_length=1000, description="where the report is kept")
    reason: str | None = Field(default=None, min_length=1, max_length=500, description="required for a correction")


class SurveyWithdrawal(BaseModel):
    """Withdraw a year's survey (recorded for the wrong year, say): the year has no figure."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, description="why (kept with the version)")


class SurveyPublic(BaseModel):
    """One version of a year's survey; `current` is the version the year's figure takes, and a
    `withdrawn` version withdraws the year's survey (its score is the one withdrawn)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    year: int
    version: int
    current: bool
    score: Score
    sample_size: int
    conducted_by: str
    conducted_on: date
    evidence_reference: str
    reason: str | None
    withdrawn: bool
    recorded_by: str
    recorded_at: datetime


class SurveyPage(BaseModel):
    """Survey versions, newest year first, latest version first."""

    items: list[SurveyPublic]
    total: int


class RecountResult(BaseModel):
    """What a recount of the indicator ledger changed."""

    changed: int = Field(description="contributions written again because they differed (0: the ledger was right)")


def survey_public(row: SatisfactionSurvey, current: bool) -> SurveyPublic:
    """A survey version as the API shows it."""
    return SurveyPublic(
        id=row.id, year=row.year, version=row.version, current=current, score=Decimal(row.score_tenths) / 10,
        sample_size=row.sample_size, conducted_by=row.conducted_by, conducted_on=row.conducted_on,
        evidence_reference=row.evidence_reference, reason=row.reason, withdrawn=row.withdrawn,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )  # fmt: skip


def survey_page(rows: Sequence[SatisfactionSurvey], current_ids: set[str], total: int) -> SurveyPage:
    """A page of survey versions."""
    return SurveyPage(items=[survey_public(r, r.id in current_ids) for r in rows], total=total)


class PublicStatistics(BaseModel):
    """The public view of rights protection in the district, per year."""

    years: list[PublicYear]


def rating_public(row: CaseRating) -> RatingPublic:
    """A rating as the API shows it."""
    return RatingPublic.model_validate(row)


def year_statistics(figures: YearFigures) -> YearStatistics:
    """The operators' view of a year's figures."""
    return YearStatistics.model_validate(figures)


def public_year(f: YearFigures) -> PublicYear:
    """The public view of a year: aggregates only, no case, party or enterprise named."""
    return PublicYear(
        year=f.year,
        cases=f.cases,
        administrative_cases=f.administrative_cases,
        administrative_growth=f.administrative_growth,
        enterprises_protected=f.enterprises_protected,
        satisfaction=f.satisfaction,
        share_closed_within_deadline=f.share_closed_within_deadline,
        served_parties_average_rating=f.served_parties_average_rating,
        served_party_ratings=f.served_party_ratings,
    )


def public_view(years: Sequence[YearFigures]) -> PublicStatistics:
    """The public view of every year."""
    return PublicStatistics(years=[public_year(f) for f in years])
