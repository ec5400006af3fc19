"""The alliances' HTTP contract and its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate, CreditCode
from operations.enums import Industry
from operations.models import Alliance, AllianceMember


class AllianceCreate(BaseModel):
    """Register an industry IP alliance (operators)."""

    name: str = Field(min_length=1, max_length=200)
    industry: Industry
    founded_on: BoundedDate


class AllianceMemberCreate(BaseModel):
    """An enterprise or institute joins the alliance on a date."""

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200)
    joined_on: BoundedDate


class AllianceDeparture(BaseModel):
    """A member leaves on a date (its history is kept)."""

    left_on: BoundedDate


class AllianceMemberPublic(BaseModel):
    """A member and its dates."""

    id: str
    credit_code: str
    name: str
    joined_on: date
    left_on: date | None


class AlliancePublic(BaseModel):
    """An alliance and its members; `qualifies` says whether it counts toward the plan's 5."""

    id: str
    name: str
    industry: Industry
    founded_on: date
    members: list[AllianceMemberPublic]
    current_members: int
    qualifies: bool
    created_at: datetime


class AlliancePage(BaseModel):
    """A page of alliances."""

    items: list[AlliancePublic]
    total: int


def alliance_public(row: Alliance, members: Sequence[AllianceMember], qualifies: bool) -> AlliancePublic:
    """An alliance and its members as the API shows them."""
    return AlliancePublic(
        id=row.id,
        name=row.name,
        industry=Industry(row.industry),
        founded_on=row.founded_on,
        members=[
            AllianceMemberPublic(
                id=m.id, credit_code=m.credit_code, name=m.name, joined_on=m.joined_on, left_on=m.left_on
            )
            for m in members
        ],
        current_members=sum(1 for m in members if m.left_on is None),
        qualifies=qualifies,
        created_at=row.created_at,
    )
