"""The claims' and recoveries' HTTP contract and its presenters."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from ipops.fields import PositiveYuan
from ipops.money import format_yuan
from pledge.enums import ClaimStatus
from pledge.models import Claim, Recovery


class ClaimCreate(BaseModel):
    """A compensation claim: the principal loss (never interest or fees)."""

    loss: PositiveYuan


class ClaimPublic(BaseModel):
    """A claim and its decision."""

    id: str
    loan_id: str
    bank_id: str
    agreement_id: int | None
    status: ClaimStatus
    loss: str
    pool_amount: str
    shares: dict[str, str]
    capped_by: str | None
    reason: str | None
    filed_at: datetime


class ClaimPage(BaseModel):
    """Claims, newest first."""

    items: list[ClaimPublic]
    total: int


class RecoveryCreate(BaseModel):
    """Money recovered on a defaulted loan (sale of the pledged rights, late payment...)."""

    amount: PositiveYuan


class RecoveryPublic(BaseModel):
    """A recovery and each party's part."""

    id: int
    loan_id: str
    claim_id: str | None
    amount: str
    shares: dict[str, str]
    recorded_at: datetime


def claim_public(claim: Claim) -> ClaimPublic:
    """A claim with its decision and split, amounts in yuan."""
    return ClaimPublic(
        id=claim.id,
        loan_id=claim.loan_id,
        bank_id=claim.bank_id,
        agreement_id=claim.agreement_id,
        status=claim.status,
        loss=format_yuan(claim.loss_fen),
        pool_amount=format_yuan(claim.pool_fen),
        shares={p: format_yuan(v) for p, v in claim.shares.items()},
        capped_by=claim.capped_by,
        reason=claim.reason,
        filed_at=claim.filed_at,
    )


def recovery_public(recovery: Recovery) -> RecoveryPublic:
    """A recovery with each party's part in yuan."""
    return RecoveryPublic(
        id=recovery.id or 0,
        loan_id=recovery.loan_id,
        claim_id=recovery.claim_id,
        amount=format_yuan(recovery.amount_fen),
        shares={p: format_yuan(v) for p, v in recovery.shares.items()},
        recorded_at=recovery.recorded_at,
    )
