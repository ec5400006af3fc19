"""The enrolments' HTTP contract (with the enterprise as given on its first enrolment) and presenters."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from ipops.fields import BoundedDate, CreditCode, Yuan
from trusteeship.enums import EnrolmentStatus, EnterpriseSize
from trusteeship.models import Enrolment


class EnterpriseCreate(BaseModel):
    """An enterprise, identified by its unified social credit code (GB 32100-2015, check character verified)."""

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field(min_length=1, max_length=100)
    size: EnterpriseSize = Field(
        description="the declared size class (《中小企业划型标准规定》); only small and micro count toward the "
        "trusteeship target"
    )
    employees: int | None = Field(
        default=None, ge=0, le=10_000_000, description="employees the class was declared from"
    )
    yearly_revenue: Yuan | None = Field(default=None, description="yearly revenue (yuan) the class was declared from")
    address: str = Field(min_length=1, max_length=300)


class EnrolmentCreate(BaseModel):
    """Take an enterprise into trusteeship. An agency enrols for itself; an operator names the agency.
    The enterprise is registered on its first enrolment (its details are kept as first given)."""

    enterprise: EnterpriseCreate
    start_date: BoundedDate
    reason: str = Field(min_length=1, max_length=500)
    agency_id: str | None = Field(default=None, max_length=64, description="operators only: the agency enrolling")


class EnrolmentTransfer(BaseModel):
    """Move an enterprise to another agency (operators only): the old enrolment ends on
    `transfer_date` and the new one starts on it."""

    to_agency_id: str = Field(min_length=1, max_length=64)
    transfer_date: BoundedDate
    reason: str = Field(min_length=1, max_length=500)


class EnrolmentExit(BaseModel):
    """End an enrolment (the holding agency or an operator)."""

    end_date: BoundedDate
    reason: str = Field(min_length=1, max_length=500)


class EnrolmentPublic(BaseModel):
    """One enrolment of an enterprise with an agency."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    credit_code: str
    agency_id: str
    status: EnrolmentStatus
    start_date: date
    end_date: date | None
    start_reason: str
    end_reason: str | None
    transferred_to_enrolment_id: str | None


class EnrolmentPage(BaseModel):
    """A page of enrolments."""

    items: list[EnrolmentPublic]
    total: int


class TransferResult(BaseModel):
    """Both sides of a transfer."""

    ended: EnrolmentPublic
    started: EnrolmentPublic


def enrolment_public(row: Enrolment) -> EnrolmentPublic:
    """An enrolment row as the API shows it."""
    return EnrolmentPublic.model_validate(row)


def transfer_result(ended: Enrolment, started: Enrolment) -> TransferResult:
    """Both enrolments of a transfer."""
    return TransferResult(ended=enrolment_public(ended), started=enrolment_public(started))
