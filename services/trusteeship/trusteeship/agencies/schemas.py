"""The agencies' HTTP contract and its presenter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ipops.fields import BoundedDate, CreditCode
from trusteeship.enums import ServiceType
from trusteeship.models import Agency


def _no_null(schema: dict[str, Any]) -> None:
    """Declare no null for a change's fields: one left out is None in Python, a null sent is
    refused by the use case (none can be cleared)."""
    for prop in schema.get("properties", {}).values():
        options = prop.pop("anyOf", None)
        if options is None:
            continue
        rest = [o for o in options if o != {"type": "null"}]
        if len(rest) == 1:
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest


class AgencyCreate(BaseModel):
    """Register an agency in the district's registry (operators only): under its trusteeship
    purchase contract (number, period and quota together), or without one (an agency of another
    programme: it cannot enrol enterprises, its quota is 0). That the contract's terms come together
    and in order is a rule between fields, checked by the use case (a `rule-violation`)."""

    id: str = Field(
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="the agency's tenant id, as carried in its tokens",
    )
    name: str = Field(min_length=1, max_length=200)
    credit_code: CreditCode | None = Field(default=None, description="the agency's unified social credit code")
    contract_number: str | None = Field(default=None, min_length=1, max_length=64)
    contract_start_date: BoundedDate | None = None
    contract_end_date: BoundedDate | None = None
    quota: int = Field(
        default=0, ge=0, le=100_000, description="how many enterprises the contract covers at a time (0: no contract)"
    )
    scope: list[ServiceType] = Field(
        default_factory=lambda: list(ServiceType), description="the service types the contract buys"
    )


class AgencyUpdate(BaseModel):
    """Change an agency's entry or contract (renewal, quota, scope); every field optional, none can
    be cleared (the schema has no null for them; the use case refuses one as a `rule-violation`). An
    agency registered without a contract gets one by setting its number, period and quota."""

    model_config = ConfigDict(json_schema_extra=_no_null)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    credit_code: CreditCode | None = None
    contract_number: str | None = Field(default=None, min_length=1, max_length=64)
    contract_start_date: BoundedDate | None = None
    contract_end_date: BoundedDate | None = None
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
