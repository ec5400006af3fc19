"""The work logs' HTTP contract (single entries, bulk uploads, the work queue) and presenters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ipops.fields import BoundedDate, CreditCode, DecimalText, PatentNumber, TrademarkNumber
from trusteeship.enums import ServiceType
from trusteeship.models import WorkLog, WorkQueueItem

# Hours of work: a string from "0" to "1000", at most two decimals.
Hours = Annotated[
    Decimal, DecimalText(2, 3, ceiling_power=3, what="hours", description="hours worked, 0 to 1000", example="1.5")
]


class WorkLogCreate(BaseModel):
    """One piece of work for an enterprise the agency holds (also one row of a bulk upload)."""

    credit_code: CreditCode
    service_type: ServiceType
    work_date: BoundedDate
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
    enrolment_id: str
    service_type: ServiceType
    work_date: BoundedDate
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

    id: str
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


def work_log_public(entry: WorkLog) -> WorkLogPublic:
    """A work log row as the API shows it (hours as a string with two decimals)."""
    return WorkLogPublic.model_validate(entry)


def queue_item_public(item: WorkQueueItem) -> WorkQueueItemPublic:
    """A work-queue row as the API shows it."""
    return WorkQueueItemPublic.model_validate(item)
