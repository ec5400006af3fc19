"""The HTTP contract of district enterprises and the presenter of their rows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from navigation.common import Name200
from navigation.models import DistrictEnterprise


class DistrictEnterpriseUpsert(BaseModel):
    """An enterprise of the district and the spellings its applications use."""

    name: Name200
    aliases: list[Name200] = Field(default_factory=list, max_length=20)


class DistrictEnterprisePublic(BaseModel):
    """A district enterprise."""

    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    aliases: list[str]
    updated_at: datetime


class DistrictEnterpriseList(BaseModel):
    """The district's enterprises."""

    items: list[DistrictEnterprisePublic]


def district_enterprise_public(row: DistrictEnterprise) -> DistrictEnterprisePublic:
    """A district enterprise as stored."""
    return DistrictEnterprisePublic.model_validate(row)
