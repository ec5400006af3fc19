"""The trusteeship HTTP contract."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ipops.fields import CreditCode, PatentNumber, TrademarkNumber, Yuan
from trusteeship.enums import DeadlineStatus, EnrolmentStatus, EnterpriseSize, PatentKind, PatentStatus, ServiceType


class AgencyCreate(BaseModel):
    """Register an agency under its government-purchase contract (operators only)."""

    id: str = Field(
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="the agency's tenant id, as carried in its tokens",
    )
    name: str = Field(min_length=1, max_length=200)
    contract_number: str = Field(min_length=1, max_length=64)
    contract_start_date: date
    contract_end_date: date
    quota: int = Field(ge=1, le=100_000, description="how many enterprises the contract covers at a time")
    scope: list[ServiceType] = Field(
        default_factory=lambda: list(ServiceType), description="the service types the contract buys"
    )

    @model_validator(mode="after")
    def _period(self) -> AgencyCreate:
        if self.contract_end_date < self.contract_start_date:
            raise ValueError("contract_end_date is before contract_start_date")
        return self


class AgencyUpdate(BaseModel):
    """Change an agency's contract (renewal, quota, scope); every field optional."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    contract_number: str | None = Field(default=None, min_length=1, max_length=64)
    contract_start_date: date | None = None
    contract_end_date: date | None = None
    quota: int | None = Field(default=None, ge=1, le=100_000)
    scope: list[ServiceType] | None = None


class AgencyPublic(BaseModel):
    """A service agency and its contract."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    contract_number: str
    contract_start_date: date
    contract_end_date: date
    quota: int
    scope: list[ServiceType]
    created_at: datetime
    updated_at: datetime


class AgencyPage(BaseModel):
    """A page of agencies."""

    items: list[AgencyPublic]
    total: int


# --- enterprises -------------------------------------------------------------------------------


class EnterpriseCreate(BaseModel):
    """An enterprise, identified by its unified social credit code (GB 32100-2015, check character verified)."""

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field(min_length=1, max_length=100)
    size: EnterpriseSize
    address: str = Field(min_length=1, max_length=300)


class EnterpriseUpdate(BaseModel):
    """Change an enterprise's details or record its GB/T 29490 certification; every field optional."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    industry: str | None = Field(default=None, min_length=1, max_length=100)
    size: EnterpriseSize | None = None
    address: str | None = Field(default=None, min_length=1, max_length=300)
    gbt29490_certified_date: date | None = None


class EnterprisePublic(BaseModel):
    """An enterprise and who holds it now."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    industry: str
    size: EnterpriseSize
    address: str
    gbt29490_certified_date: date | None
    current_agency_id: str | None = None
    created_at: datetime
    updated_at: datetime


class EnterprisePage(BaseModel):
    """A page of enterprises."""

    items: list[EnterprisePublic]
    total: int


# --- enrolments --------------------------------------------------------------------------------


class EnrolmentCreate(BaseModel):
    """Take an enterprise into trusteeship. An agency enrols for itself; an operator names the agency.
    The enterprise is registered on its first enrolment (its details are kept as first given)."""

    enterprise: EnterpriseCreate
    start_date: date
    reason: str = Field(min_length=1, max_length=500)
    agency_id: str | None = Field(default=None, max_length=64, description="operators only: the agency enrolling")


class EnrolmentTransfer(BaseModel):
    """Move an enterprise to another agency (operators only): the old enrolment ends on
    `transfer_date` and the new one starts on it."""

    to_agency_id: str = Field(min_length=1, max_length=64)
    transfer_date: date
    reason: str = Field(min_length=1, max_length=500)


class EnrolmentExit(BaseModel):
    """End an enrolment (the holding agency or an operator)."""

    end_date: date
    reason: str = Field(min_length=1, max_length=500)


class EnrolmentPublic(BaseModel):
    """One enrolment of an enterprise with an agency."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    agency_id: str
    status: EnrolmentStatus
    start_date: date
    end_date: date | None
    start_reason: str
    end_reason: str | None
    transferred_to_enrolment_id: int | None


class EnrolmentPage(BaseModel):
    """A page of enrolments."""

    items: list[EnrolmentPublic]
    total: int


class TransferResult(BaseModel):
    """Both sides of a transfer."""

    ended: EnrolmentPublic
    started: EnrolmentPublic


# --- patents and trademarks --------------------------------------------------------------------


class PatentCreate(BaseModel):
    """A patent or application of the enterprise; its kind comes from the application number."""

    number: PatentNumber
    title: str = Field(min_length=1, max_length=300)
    filing_date: date
    grant_date: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> PatentCreate:
        if self.grant_date is not None and self.grant_date < self.filing_date:
            raise ValueError("grant_date is before filing_date")
        return self


class PatentGrant(BaseModel):
    """Record the grant of an application."""

    grant_date: date


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
    registration_date: date | None = None


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
    enrolment_id: int
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


# --- docket ------------------------------------------------------------------------------------


class FeePaymentCreate(BaseModel):
    """Record the payment of an annual fee (possibly reduced; the surcharge is computed)."""

    paid_date: date
    amount: Yuan


class FeePaymentPublic(BaseModel):
    """A recorded payment."""

    deadline_id: int
    paid_date: date
    amount: str
    surcharge: str
    recorded_at: datetime


class FeeDeadlinePublic(BaseModel):
    """One annual fee of a patent."""

    id: int
    patent_number: str
    credit_code: str
    patent_year: int
    due_date: date
    grace_end_date: date
    fee: str
    status: DeadlineStatus
    surcharge_if_paid_today: str | None = Field(description="null when not open or the grace period is over")
    payment: FeePaymentPublic | None = None


class FeeDeadlinePage(BaseModel):
    """Deadlines by due date."""

    items: list[FeeDeadlinePublic]
    total: int


class DocketRun(BaseModel):
    """Run the daily docket job for a given day (operators only)."""

    as_of: date


class DocketRunResult(BaseModel):
    """What one run did; a second run for the same day does nothing more."""

    as_of: date
    deadlines_added: int
    reminders_sent: int
    patents_lapsed: int
    patents_expired: int


# --- work logs ---------------------------------------------------------------------------------

Hours = Annotated[Decimal, Field(ge=0, le=1000, max_digits=7, decimal_places=2)]


class WorkLogCreate(BaseModel):
    """One piece of work for an enterprise the agency holds (also one row of a bulk upload)."""

    credit_code: CreditCode
    service_type: ServiceType
    work_date: date
    hours: Hours | None = None
    description: str = Field(min_length=1, max_length=4000)
    outcome: str | None = Field(default=None, max_length=4000)
    patent_numbers: list[PatentNumber] = Field(default_factory=list, max_length=100)
    trademark_numbers: list[TrademarkNumber] = Field(default_factory=list, max_length=100)
    document_refs: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=list, max_length=50, description="references (URLs, archive ids) to documents kept elsewhere"
    )


class WorkLogPublic(BaseModel):
    """A logged piece of work."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    agency_id: str
    credit_code: str
    enrolment_id: int
    service_type: ServiceType
    work_date: date
    hours: str | None
    description: str
    outcome: str | None
    patent_numbers: list[str]
    trademark_numbers: list[str]
    document_refs: list[str]
    source: str
    upload_id: str | None
    created_at: datetime

    @field_validator("hours", mode="before")
    @classmethod
    def _hours_as_string(cls, value: object) -> object:
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class WorkLogPage(BaseModel):
    """A page of work logs, newest work first."""

    items: list[WorkLogPublic]
    total: int


class WorkUploadAccepted(BaseModel):
    """A bulk upload taken whole."""

    upload_id: str
    row_count: int
    enterprise_count: int
    counts_by_service_type: dict[str, int]


class WorkQueueItemPublic(BaseModel):
    """Something for an agency to act on."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    agency_id: str
    credit_code: str
    source_kind: str
    reference: str
    summary: str
    details: dict[str, Any]
    status: str
    raised_at: datetime


class WorkQueuePage(BaseModel):
    """An agency's work queue, newest first."""

    items: list[WorkQueueItemPublic]
    total: int


# --- statistics --------------------------------------------------------------------------------


class AgencyCoverage(BaseModel):
    """One agency's enterprises against its quota."""

    agency_id: str
    name: str
    quota: int
    active: int
    covered_ever: int
    quota_used_percent: str


class CoverageStatistics(BaseModel):
    """Cumulative coverage (distinct enterprises ever enrolled) against the plan's 1000."""

    covered: int
    active: int
    target: int
    progress_percent: str
    agencies: list[AgencyCoverage]


class ValidPatentYear(BaseModel):
    """Enterprises holding at least one valid patent at the end of a year."""

    year: int
    on_date: date
    enterprises: int
    growth_percent: str | None
    target_growth_percent: str
    met: bool | None


class ValidPatentStatistics(BaseModel):
    """Year-on-year growth of enterprises holding a valid patent (+15 % a year) and zeroing-out."""

    years: list[ValidPatentYear]
    first_patents: int
    zero_patent_enterprises: int


class CertificationStatistics(BaseModel):
    """GB/T 29490 certified enterprises against the plan's 300."""

    certified: int
    target: int
    progress_percent: str
    by_year: dict[str, int]


class WorkMonthRow(BaseModel):
    """Work of one type in one month."""

    month: str
    service_type: ServiceType
    count: int
    hours: str


class WorkStatistics(BaseModel):
    """Work per type per month."""

    rows: list[WorkMonthRow]
