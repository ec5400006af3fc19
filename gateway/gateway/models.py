"""Tables of the gateway: OAuth2 clients, and the public read model kept from the services' events.

The read model (`rm_*`) holds one row per thing the public figures count (a loan, an enterprise,
a project, a case), keyed by the producer's id, so a redelivered or re-consumed event overwrites
rather than double-counts, and an "undone" event can take a thing out again. Figures by year are
computed from these rows by query. `rm_state` carries the generation: a rebuild empties the rows
and consumes every topic again under a fresh consumer group named after the new generation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from ipops.db import new_registry, utc_column

table_registry = new_registry()


class GatewayTable(SQLModel, registry=table_registry):
    """Base of the gateway's tables."""


class OAuthClient(GatewayTable, table=True):
    """A system (a bank's, an agency's) or an operator allowed to obtain tokens.

    The secret is kept only as an argon2id hash; it is shown once, when made. Disabling the
    client or rotating its secret raises `token_generation`: its tokens carry the generation they
    were issued under, and older ones are refused at once (gateway/revocation.py)."""

    __tablename__ = "oauth_client"

    client_id: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    tenant_id: str | None = Field(default=None, max_length=100)
    secret_hash: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_column())
    created_by: str = Field(max_length=100)
    secret_rotated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    disabled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    token_generation: int = Field(default=0)
    # When the generation last rose: replicas read the rows changed since they last looked.
    tokens_revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True, index=True))


class ReadModelState(GatewayTable, table=True):
    """The read model's generation (one row, id 1)."""

    __tablename__ = "rm_state"

    id: int = Field(primary_key=True)
    generation: int
    reset_at: datetime = Field(sa_column=utc_column())
    # Which projection built the rows (readmodel.projector.SIGNATURE); a gateway with another
    # one (new event types handled, a handler changed) rebuilds at start-up.
    projection: str | None = Field(default=None, max_length=64)


class RmLoan(GatewayTable, table=True):
    """A pledge loan as the public figures see it (no enterprise or bank is shown publicly)."""

    __tablename__ = "rm_loan"

    loan_id: str = Field(primary_key=True, max_length=64)
    bank_id: str = Field(max_length=64)
    amount_fen: int = Field(sa_column=Column(BigInteger(), nullable=False))
    mixed_pledge: bool = False
    covered: bool | None = None
    status: str = Field(max_length=20)
    approved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    disbursed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    defaulted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class RmEnterprise(GatewayTable, table=True):
    """An enterprise ever taken into trusteeship (cumulative coverage never shrinks)."""

    __tablename__ = "rm_enterprise"

    credit_code: str = Field(primary_key=True, max_length=18)
    first_enrolled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    first_patent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class RmProject(GatewayTable, table=True):
    """An accepted navigation project (public: title, kind, industry, undertaking organisation)."""

    __tablename__ = "rm_project"

    project_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=40)
    title: str = Field(max_length=300)
    industry: str = Field(max_length=200)
    undertaking_org: str = Field(max_length=200)
    accepted_at: datetime = Field(sa_column=utc_column())
    undertaking_org_name: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, max_length=2000)


class RmCase(GatewayTable, table=True):
    """An enforcement case, kept without parties: the public sees only counts."""

    __tablename__ = "rm_case"

    case_id: str = Field(primary_key=True, max_length=64)
    case_type: str = Field(max_length=64)
    channel: str = Field(max_length=40)
    opened_at: datetime = Field(sa_column=utc_column())
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON(), nullable=False))


class RmFact(GatewayTable, table=True):
    """A dated figure from an event that is counted as it comes (a claim paid, pool funding,
    work logged, an insurance policy): `metric` names it, `quantity` is a count or fen."""

    __tablename__ = "rm_fact"

    fact_id: str = Field(primary_key=True, max_length=120)
    metric: str = Field(max_length=80, index=True)
    quantity: int = Field(sa_column=Column(BigInteger(), nullable=False))
    occurred_at: datetime = Field(sa_column=utc_column())
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON(), nullable=False))
