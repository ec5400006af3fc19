"""The banks' HTTP contract."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class BankCreate(BaseModel):
    """Register a cooperating bank."""

    id: str = Field(
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="the bank's tenant id, as carried in its tokens",
    )
    name: str = Field(min_length=1, max_length=200)


class BankPublic(BaseModel):
    """A cooperating bank."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    registered_at: datetime
    suspended_at: datetime | None = None
    suspension_reason: str | None = None


class BankPage(BaseModel):
    """A page of banks."""

    items: list[BankPublic]
    total: int
