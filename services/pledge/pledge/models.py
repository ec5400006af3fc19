"""Tables of the pledge service (and nothing else: schemas are the HTTP contract)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


class PledgeTable(SQLModel, registry=table_registry):
    """Base of the pledge service's tables."""


class Bank(PledgeTable, table=True):
    """A cooperating bank: a tenant of the pledge API."""

    __tablename__ = "bank"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    registered_at: datetime = Field(sa_column=utc_column())


class CollateralAlert(PledgeTable, table=True):
    """A patent named in an enforcement case: loans pledging it are collateral-at-risk."""

    __tablename__ = "collateral_alert"

    id: int | None = Field(default=None, primary_key=True)
    patent_number: str = Field(max_length=20, index=True)
    case_id: str = Field(max_length=64)
    case_type: str = Field(max_length=64)
    raised_at: datetime = Field(sa_column=utc_column())
