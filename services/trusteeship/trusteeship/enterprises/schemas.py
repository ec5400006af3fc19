"""The enterprises' HTTP contract (details, patents, trademarks, first patents, the profile) and
its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from ipops.fields import BoundedDate, PatentNumber, TrademarkNumber, Yuan
from ipops.money import format_yuan
from trusteeship.enrolments.schemas import EnrolmentPublic, enrolment_public
from trusteeship.enums import EnterpriseSize, PatentKind, PatentStatus
from trusteeship.models import (
    Enrolment,
    Enterprise,
    EnterpriseLoan,
    EnterpriseProject,
    FirstPatent,
    Patent,
    Trademark,
)


class EnterpriseUpdate(BaseModel):
    """Change an enterprise's details (a correction of its size class re-counts the trusteeship
    target) or record its GB/T 29490 certification, its expiry (default: three years after the
    certification) or withdrawal; every field optional. A new certification date starts a new
    certificate; clearing it (null) removes a certification recorded by mistake."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    industry: str | None = Field(default=None, min_length=1, max_length=100)
    size: EnterpriseSize | None = None
    employees: int | None = Field(default=None, ge=0, le=10_000_000)
    yearly_revenue: Yuan | None = None
    address: str | None = Field(default=None, min_length=1, max_length=300)
    gbt29490_certified_date: BoundedDate | None = None
    gbt29490_expiry_date: BoundedDate | None = None
    gbt29490_withdrawn_date: BoundedDate | None = None


class EnterprisePublic(BaseModel):
    """An enterprise and who holds it now."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    industry: str
    size: EnterpriseSize
    employees: int | None = None
    yearly_revenue: str | None = Field(default=None, description="yuan, two decimals")
    address: str
    gbt29490_certified_date: date | None
    gbt29490_expiry_date: date | None = None
    gbt29490_withdrawn_date: date | None = None
    current_agency_id: str | None = None
    created_at: datetime
    updated_at: datetime


class EnterprisePage(BaseModel):
    """A page of enterprises."""

    items: list[EnterprisePublic]
    total: int


class PatentCreate(BaseModel):
    """A patent or application of the enterprise; its kind comes from the application number. The
    dates' order (granted after filed, filed in the number's year, neither in the future) is checked
    by the use case (a `rule-violation`)."""

    number: PatentNumber
    title: str = Field(min_length=1, max_length=300)
    filing_date: BoundedDate
    grant_date: BoundedDate | None = None


class PatentGrant(BaseModel):
    """Record the grant of an application."""

    grant_date: BoundedDate


class PatentRestore(BaseModel):
    """Record the restoration of a lapsed patent (CNIPA's decision on a request under rule 6 of the
    Implementing Regulations): the date of the decision and the annual fee paid with the request."""

    restored_date: BoundedDate
    fee_paid: Yuan = Field(description="the annual fee left unpaid, paid with the restoration request")


class PatentPublic(BaseModel):
    """A patent as the docket tracks it."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    credit_code: str
    title: str
    kind: PatentKind
    filing_date: date
    grant_date: date | None
    expiry_date: date
    status: PatentStatus
    lapsed_date: date | None


class TrademarkCreate(BaseModel):
    """A registered trademark of the enterprise."""

    number: TrademarkNumber
    mark: str = Field(min_length=1, max_length=200)
    nice_class: int | None = Field(default=None, ge=1, le=45)
    registration_date: BoundedDate | None = None


class TrademarkPublic(BaseModel):
    """A trademark."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    credit_code: str
    mark: str
    nice_class: int | None
    registration_date: date | None


class LoanInProfile(BaseModel):
    """A pledge loan approved for the enterprise (from the pledge service)."""

    loan_id: str
    bank_id: str
    amount: str
    mixed_pledge: bool
    patent_numbers: list[str]
    approved_at: datetime


class ProjectInProfile(BaseModel):
    """An enterprise-operation navigation project for the enterprise (from the navigation service)."""

    model_config = ConfigDict(from_attributes=True)

    project_id: str
    title: str
    industry: str
    undertaking_org: str
    accepted_at: datetime


class FirstPatentPublic(BaseModel):
    """A zeroing-out conversion: an enrolled enterprise's first valid patent."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    patent_number: str
    grant_date: date
    agency_id: str
    enrolment_id: str
    counted_at: datetime


class FirstPatentPage(BaseModel):
    """First patents, newest first."""

    items: list[FirstPatentPublic]
    total: int


class EnterpriseProfile(BaseModel):
    """Everything the service knows about one enterprise."""

    enterprise: EnterprisePublic
    enrolments: list[EnrolmentPublic]
    patents: list[PatentPublic]
    trademarks: list[TrademarkPublic]
    valid_patent_count: int
    first_patent: FirstPatentPublic | None
    loans: list[LoanInProfile]
    projects: list[ProjectInProfile]


@dataclass(frozen=True)
class ProfileRows:
    """What the profile use case gathers about one enterprise; `profile_public` presents it."""

    enterprise: Enterprise
    current_agency_id: str | None
    enrolments: Sequence[Enrolment]
    patents: Sequence[Patent]
    trademarks: Sequence[Trademark]
    valid_patent_count: int
    first_patent: FirstPatent | None
    loans: Sequence[EnterpriseLoan]
    projects: Sequence[EnterpriseProject]


def enterprise_public(enterprise: Enterprise, current_agency_id: str | None) -> EnterprisePublic:
    """An enterprise row with the agency holding it now."""
    public = EnterprisePublic.model_validate(enterprise)
    public.current_agency_id = current_agency_id
    if enterprise.yearly_revenue_fen is not None:
        public.yearly_revenue = format_yuan(enterprise.yearly_revenue_fen)
    return public


def enterprise_page(rows: Sequence[tuple[Enterprise, str | None]], total: int) -> EnterprisePage:
    """A page of (enterprise, current agency) rows."""
    return EnterprisePage(items=[enterprise_public(e, a) for e, a in rows], total=total)


def patent_public(patent: Patent) -> PatentPublic:
    """A patent row as the API shows it."""
    return PatentPublic.model_validate(patent)


def trademark_public(mark: Trademark) -> TrademarkPublic:
    """A trademark row as the API shows it."""
    return TrademarkPublic.model_validate(mark)


def first_patent_public(row: FirstPatent) -> FirstPatentPublic:
    """A zeroing-out record as the API shows it."""
    return FirstPatentPublic.model_validate(row)


def loan_in_profile(loan: EnterpriseLoan) -> LoanInProfile:
    """A pledge loan's local copy, its amount in yuan."""
    return LoanInProfile(
        loan_id=loan.loan_id,
        bank_id=loan.bank_id,
        amount=format_yuan(loan.amount_fen),
        mixed_pledge=loan.mixed_pledge,
        patent_numbers=loan.patent_numbers,
        approved_at=loan.approved_at,
    )


def profile_public(rows: ProfileRows) -> EnterpriseProfile:
    """The enterprise profile."""
    return EnterpriseProfile(
        enterprise=enterprise_public(rows.enterprise, rows.current_agency_id),
        enrolments=[enrolment_public(e) for e in rows.enrolments],
        patents=[patent_public(p) for p in rows.patents],
        trademarks=[trademark_public(t) for t in rows.trademarks],
        valid_patent_count=rows.valid_patent_count,
        first_patent=first_patent_public(rows.first_patent) if rows.first_patent else None,
        loans=[loan_in_profile(loan) for loan in rows.loans],
        projects=[ProjectInProfile.model_validate(p) for p in rows.projects],
    )
