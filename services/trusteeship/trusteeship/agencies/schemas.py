"""The agencies' HTTP contract and its presenter."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ipops.fields import CreditCode
from trusteeship.enums import ServiceType
from trusteeship.models import Agency


class AgencyCreate(BaseModel):
    """Register an agency in the district's registry (operators only): under its trusteeship
    purchase contract (number, period and quota together), or without one (an agency of another
    programme: it cannot enrol enterprises, its quota is 0)."""

    id: str = Field(
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="the agency's tenant id, as carried in its tokens",
    )
    name: str = Field(min_length=1, max_length=200)
    credit_code: CreditCode | None = Field(default=None, description="the agency's unified social credit code")
    contract_number: str | None = Field(default=None, min_length=1, max_length=64)
    contract_start_date: date | None = None
    contract_end_date: date | None = None
    quota: int = Field(
        default=0, ge=0, le=100_000, description="how many enterprises the contract covers at a time (0: no contract)"
    )
    scope: list[ServiceType] = Field(
        default_factory=lambda: list(ServiceType), description="the service types the contract buys"
    )

    @model_validator(mode="after")
    def _contract(self) -> AgencyCreate:
        terms = (self.contract_number, self.contract_start_date, self.contract_end_date)
        if all(t is None for t in terms):
            if self.quota != 0:
                raise ValueError("an agency without a trusteeship contract has quota 0")
            return self
        if any(t is None for t in terms) or self.quota < 1:
            raise ValueError("a trusteeship contract has a number, a start and an end date, and a quota of at least 1")
        assert self.contract_start_date is not None and self.contract_end_date is not None
        if self.contract_end_date < self.contract_start_date:
            raise ValueError("contract_end_date is before contract_start_date")
        return self


class AgencyUpdate(BaseModel):
    """Change an agency's entry or contract (renewal, quota, scope); every field optional. An agency
    registered without a contract gets one by setting its number, period and quota."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    credit_code: CreditCode | None = None
    contract_number: str | None = Field(default=None, min_length=1, max_length=64)
    contract_start_date: date | None = None
    contract_end_date: date | None = None
    quota: int | None = Field(default=None, ge=0, le=100_000)
    scope: list[ServiceType] | None = None


class AgencyPublic(BaseModel):
    """A service agency and its contract."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    credit_code: str | None
    contract_number: str | None
    contract_start_date: date | None
    contract_end_date: date | None
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
