"""The agencies' HTTP contract and its presenter."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trusteeship.enums import ServiceType
from trusteeship.models import Agency


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


def agency_public(agency: Agency) -> AgencyPublic:
    """An agency row as the API shows it."""
    return AgencyPublic.model_validate(agency)
