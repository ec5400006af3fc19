"""The HTTP contract of satisfaction ratings and the plan's figures, and its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from enforcement.domain.statistics import YearFigures
from enforcement.enums import CaseType
from enforcement.models import CaseRating


class RatingCreate(BaseModel):
    """A satisfaction rating, by the token issued at closure."""

    token: str = Field(min_length=20, max_length=200)
    score: int = Field(ge=0, le=100)
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
    """The plan's enforcement figures of one year (operators)."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    cases: int
    previous_cases: int
    case_growth: Decimal | None
    administrative_cases: int
    previous_administrative_cases: int
    administrative_growth: Decimal | None
    growth_target: Decimal
    growth_met: bool | None
    enterprises_served: int
    enterprises_target: int
    closed: int
    closed_within_deadline: int
    share_closed_within_deadline: Decimal | None
    overdue_cases: int
    overdue_rate: Decimal | None
    ratings: int
    satisfaction_average: Decimal | None
    satisfaction_target: Decimal
    satisfaction_met: bool | None
    handling_time: list[HandlingTimePublic]


class PublicYear(BaseModel):
    """One year of the public view: aggregates only, no party or case named."""

    year: int
    cases: int
    administrative_cases: int
    administrative_growth: Decimal | None
    growth_target: Decimal
    enterprises_served: int
    enterprises_target: int
    share_closed_within_deadline: Decimal | None
    satisfaction_average: Decimal | None
    satisfaction_target: Decimal
    ratings: int


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
        growth_target=f.growth_target,
        enterprises_served=f.enterprises_served,
        enterprises_target=f.enterprises_target,
        share_closed_within_deadline=f.share_closed_within_deadline,
        satisfaction_average=f.satisfaction_average,
        satisfaction_target=f.satisfaction_target,
        ratings=f.ratings,
    )


def public_view(years: Sequence[YearFigures]) -> PublicStatistics:
    """The public view of every year."""
    return PublicStatistics(years=[public_year(f) for f in years])
