"""The agencies' HTTP contract and its presenters."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ipops.fields import JsonInt, Yuan
from ipops.money import format_yuan
from operations.enums import BusinessLine, RevenueStatus
from operations.models import Agency, RevenueReport


class AgencyPublic(BaseModel):
    """An agency as trusteeship registered it, with its operation profile."""

    id: str
    name: str
    credit_code: str | None
    business_lines: list[BusinessLine]
    registered_at: datetime
    updated_at: datetime
    profile_updated_at: datetime | None


class AgencyPage(BaseModel):
    """A page of agencies."""

    items: list[AgencyPublic]
    total: int


class ProfileUpdate(BaseModel):
    """The agency's business lines (the whole list; an empty list clears it)."""

    business_lines: list[BusinessLine] = Field(max_length=len(BusinessLine))


class RevenueReportCreate(BaseModel):
    """An agency's main-business revenue for a year, with the evidence an operator will check."""

    year: JsonInt = Field(ge=2000, le=2100, description="the Beijing year the revenue was earned in")
    revenue: Yuan = Field(description="main-business revenue of the year, yuan with at most two decimals")
    evidence: str = Field(
        min_length=1, max_length=500, description="reference or URL of the evidence (audited accounts, tax return)"
    )


class RevenueRejection(BaseModel):
    """Why an operator rejects a report."""

    reason: str = Field(min_length=1, max_length=500)


class RevenueVerification(BaseModel):
    """An operator's note on verifying a report (optional)."""

    note: str | None = Field(default=None, max_length=500)


class RevenueReportPublic(BaseModel):
    """One version of an agency's revenue report for a year."""

    id: str
    agency_id: str
    year: int
    version: int
    revenue: str = Field(description="yuan, two decimals")
    evidence: str
    status: RevenueStatus
    reason: str | None
    submitted_at: datetime
    decided_at: datetime | None


class RevenueReportPage(BaseModel):
    """A page of revenue reports."""

    items: list[RevenueReportPublic]
    total: int


def agency_public(agency: Agency) -> AgencyPublic:
    """An agency row as the API shows it."""
    return AgencyPublic(
        id=agency.id,
        name=agency.name,
        credit_code=agency.credit_code,
        business_lines=[BusinessLine(b) for b in agency.business_lines],
        registered_at=agency.registered_at,
        updated_at=agency.updated_at,
        profile_updated_at=agency.profile_updated_at,
    )


def report_public(report: RevenueReport) -> RevenueReportPublic:
    """A revenue report row as the API shows it."""
    return RevenueReportPublic(
        id=report.id,
        agency_id=report.agency_id,
        year=report.year,
        version=report.version,
        revenue=format_yuan(report.revenue_fen),
        evidence=report.evidence,
        status=RevenueStatus(report.status),
        reason=report.reason,
        submitted_at=report.submitted_at,
        decided_at=report.decided_at,
    )
