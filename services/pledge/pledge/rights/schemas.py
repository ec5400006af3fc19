"""The rights' HTTP contract (enterprises, patents and trademarks, appraisals, collateral alerts)
and its presenters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ipops.fields import BoundedDate, CreditCode, PatentNumber, PositiveYuan, TrademarkNumber
from ipops.money import format_yuan
from pledge.common import Name
from pledge.enums import RightKind
from pledge.models import Appraisal, PledgedRight


class CollateralAlertPublic(BaseModel):
    """A right named in an enforcement case (`patent_number` is the right's number, kept under its
    first name; `right_kind` says whether it is a patent or a trademark)."""

    model_config = ConfigDict(from_attributes=True)

    right_kind: str = "patent"
    patent_number: str
    case_id: str
    case_type: str
    raised_at: datetime


class CollateralAlertPage(BaseModel):
    """Alerts, newest first."""

    items: list[CollateralAlertPublic]
    total: int


class EnterpriseCreate(BaseModel):
    """An enterprise, by its unified social credit code (GB 32100-2015, check character verified)."""

    credit_code: CreditCode
    name: Name


class EnterprisePublic(BaseModel):
    """An enterprise."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    created_at: datetime


class PatentCreate(BaseModel):
    """A Chinese patent: the application number's check digit is verified, its type derived."""

    kind: Literal["patent"]
    number: PatentNumber
    title: Name
    owner_credit_code: CreditCode
    filing_date: BoundedDate | None = None
    grant_date: BoundedDate | None = None


class TrademarkCreate(BaseModel):
    """A registered trademark, with its Nice class."""

    kind: Literal["trademark"]
    number: TrademarkNumber
    trademark_class: int = Field(ge=1, le=45)
    title: Name
    owner_credit_code: CreditCode
    filing_date: BoundedDate | None = None
    grant_date: BoundedDate | None = None


RightCreate = Annotated[PatentCreate | TrademarkCreate, Field(discriminator="kind")]


class AppraisalCreate(BaseModel):
    """A valuation of a right."""

    value: PositiveYuan
    valuer: Name
    appraised_date: BoundedDate


class AppraisalPublic(BaseModel):
    """A valuation."""

    id: str = Field(description="random (UUID4 text), not sequential")
    value: str
    valuer: str
    appraised_date: date


class RightPublic(BaseModel):
    """A patent or trademark, with its latest appraisal."""

    id: str = Field(description="random (UUID4 text), not sequential")
    kind: RightKind
    number: str
    patent_type: str | None
    trademark_class: int | None
    title: str
    owner_credit_code: str
    filing_date: date | None
    grant_date: date | None
    appraisal: AppraisalPublic | None


def appraisal_public(appraisal: Appraisal) -> AppraisalPublic:
    """A valuation, its value in yuan."""
    return AppraisalPublic(
        id=appraisal.id,
        value=format_yuan(appraisal.value_fen),
        valuer=appraisal.valuer,
        appraised_date=appraisal.appraised_date,
    )


def right_public(right: PledgedRight, appraisal: Appraisal | None) -> RightPublic:
    """A right with its latest appraisal (None when it has none)."""
    return RightPublic(
        id=right.id,
        kind=RightKind(right.kind),
        number=right.number,
        patent_type=right.patent_type,
        trademark_class=right.trademark_class,
        title=right.title,
        owner_credit_code=right.owner_credit_code,
        filing_date=right.filing_date,
        grant_date=right.grant_date,
        appraisal=None if appraisal is None else appraisal_public(appraisal),
    )
