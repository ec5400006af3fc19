"""The HTTP contract of district enterprises and of the operator's applicant alias table, and the
presenters of their rows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from navigation.common import Name200
from navigation.domain.applicants import MAX_VARIANTS
from navigation.models import ApplicantAlias, DistrictEnterprise


class DistrictEnterpriseUpsert(BaseModel):
    """An enterprise of the district and the spellings its applications use (Chinese and English):
    in every landscape its aliases count as its registered name."""

    name: Name200
    aliases: list[Name200] = Field(
        default_factory=list, max_length=20, description="other spellings, merged into `name` in rankings"
    )


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


class ApplicantAliasPut(BaseModel):
    """The variants of the canonical name in the path (they replace the group's previous ones)."""

    variants: list[Name200] = Field(min_length=1, max_length=MAX_VARIANTS)


class ApplicantAliasPublic(BaseModel):
    """An alias group of the operator's table: `variants` count as `canonical` in every landscape
    computed afterwards."""

    canonical: str
    key: str = Field(description="the canonical's name key (width, case, punctuation and legal forms removed)")
    variants: list[str]
    updated_by: str
    updated_at: datetime


class ApplicantAliasList(BaseModel):
    """The operator's alias groups, by canonical name."""

    items: list[ApplicantAliasPublic]


def applicant_alias_public(row: ApplicantAlias) -> ApplicantAliasPublic:
    """An alias group as stored."""
    return ApplicantAliasPublic(
        canonical=row.canonical,
        key=row.canonical_key,
        variants=list(row.variants),
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )
