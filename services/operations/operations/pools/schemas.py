"""The pools' HTTP contract and its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate, CreditCode, PatentNumber
from operations.enums import Industry
from operations.models import Pool, PoolMember, PoolPatent, PoolTerm


class PoolCreate(BaseModel):
    """Register a patent pool (operators)."""

    name: str = Field(min_length=1, max_length=200)
    industry: Industry
    alliance_id: str | None = Field(default=None, max_length=32, description="the alliance that runs it, if any")


class MemberCreate(BaseModel):
    """An enterprise or institute joins (a pool or an alliance) on a date."""

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200)
    joined_on: BoundedDate


class Departure(BaseModel):
    """A member leaves on a date (its history is kept)."""

    left_on: BoundedDate


class PoolPatentCreate(BaseModel):
    """A member contributes a patent to the pool (a patent may sit in several pools)."""

    patent_number: PatentNumber
    owner_credit_code: CreditCode
    added_on: BoundedDate


class TermsCreate(BaseModel):
    """A new published version of the pool's licensing terms."""

    summary: str = Field(min_length=1, max_length=10_000)
    royalty_basis: str = Field(min_length=1, max_length=300, description="e.g. 2 % of net sales, or a flat fee")
    published_on: BoundedDate


class MemberPublic(BaseModel):
    """A member and its dates."""

    id: str
    credit_code: str
    name: str
    joined_on: date
    left_on: date | None


class PoolPatentPublic(BaseModel):
    """A patent in the pool."""

    patent_number: str
    owner_credit_code: str
    added_on: date


class TermsPublic(BaseModel):
    """A published version of the licensing terms."""

    version: int
    summary: str
    royalty_basis: str
    published_on: date


class PoolPublic(BaseModel):
    """A pool, its members, patents and latest terms; `qualifies` says whether it counts."""

    id: str
    name: str
    industry: Industry
    alliance_id: str | None
    members: list[MemberPublic]
    patents: list[PoolPatentPublic]
    terms: TermsPublic | None
    qualifies: bool
    created_at: datetime


class PoolPage(BaseModel):
    """A page of pools."""

    items: list[PoolPublic]
    total: int


def member_public(row: PoolMember) -> MemberPublic:
    """A pool member as the API shows it."""
    return MemberPublic(
        id=row.id, credit_code=row.credit_code, name=row.name, joined_on=row.joined_on, left_on=row.left_on
    )


def pool_public(
    pool: Pool,
    members: Sequence[PoolMember],
    patents: Sequence[PoolPatent],
    terms: PoolTerm | None,
    qualifies: bool,
) -> PoolPublic:
    """A pool and its parts as the API shows them."""
    return PoolPublic(
        id=pool.id,
        name=pool.name,
        industry=Industry(pool.industry),
        alliance_id=pool.alliance_id,
        members=[member_public(m) for m in members],
        patents=[
            PoolPatentPublic(patent_number=p.patent_number, owner_credit_code=p.owner_credit_code, added_on=p.added_on)
            for p in patents
        ],
        terms=None
        if terms is None
        else TermsPublic(
            version=terms.version,
            summary=terms.summary,
            royalty_basis=terms.royalty_basis,
            published_on=terms.published_on,
        ),
        qualifies=qualifies,
        created_at=pool.created_at,
    )
