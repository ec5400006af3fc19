"""Tables of the trusteeship service (and nothing else: schemas are the HTTP contract)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


class TrusteeshipTable(SQLModel, registry=table_registry):
    """Base of the trusteeship service's tables."""


class Agency(TrusteeshipTable, table=True):
    """A service agency selected by government purchase: a tenant of the trusteeship API."""

    __tablename__ = "agency"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    contract_number: str = Field(max_length=64, unique=True)
    contract_start_date: date
    contract_end_date: date
    quota: int
    scope: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
