"""The insurance policies' HTTP contract and its presenter."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate, CreditCode, PositiveYuan, Yuan
from ipops.money import format_yuan
from pledge.common import Name
from pledge.models import InsurancePolicy


class InsurancePolicyCreate(BaseModel):
    """An IP insurance policy."""

    policy_number: str = Field(min_length=1, max_length=64)
    insurer: Name
    product_type: str = Field(min_length=1, max_length=64, examples=["patent_enforcement", "pledge_guarantee"])
    enterprise_credit_code: CreditCode
    insured_rights: list[str] = Field(default_factory=list, max_length=200)
    sum_insured: PositiveYuan
    premium: Yuan
    subsidy: Yuan = Decimal(0)
    start_date: BoundedDate = Field(
        description="the date the policy takes effect: its sum insured counts in this (Beijing) year's "
        "IP insurance amount",
    )
    end_date: BoundedDate


class PolicyCancellation(BaseModel):
    """A policy cancelled (voided): it no longer counts in the IP insurance amount."""

    reason: str = Field(min_length=1, max_length=500)
    cancelled_date: BoundedDate | None = Field(
        default=None, description="the date it was cancelled (Beijing); default today"
    )


class InsurancePolicyPublic(BaseModel):
    """A policy."""

    id: str = Field(description="random (UUID4 text), not sequential")
    policy_number: str
    insurer: str
    product_type: str
    enterprise_credit_code: str
    insured_rights: list[str]
    sum_insured: str
    premium: str
    subsidy: str
    start_date: date
    end_date: date
    cancelled: bool
    cancelled_date: date | None
    cancellation_reason: str | None
    cancelled_at: datetime | None


class InsurancePolicyPage(BaseModel):
    """Policies, newest first."""

    items: list[InsurancePolicyPublic]
    total: int


def policy_public(p: InsurancePolicy) -> InsurancePolicyPublic:
    """A policy, amounts in yuan."""
    return InsurancePolicyPublic(
        id=p.id,
        policy_number=p.policy_number,
        insurer=p.insurer,
        product_type=p.product_type,
        enterprise_credit_code=p.enterprise_credit_code,
        insured_rights=p.insured_rights,
        sum_insured=format_yuan(p.sum_insured_fen),
        premium=format_yuan(p.premium_fen),
        subsidy=format_yuan(p.subsidy_fen),
        start_date=p.start_date,
        end_date=p.end_date,
        cancelled=p.cancelled_at is not None,
        cancelled_date=p.cancelled_date,
        cancellation_reason=p.cancellation_reason,
        cancelled_at=p.cancelled_at,
    )
