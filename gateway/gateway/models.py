"""Tables of the gateway: OAuth2 clients, and the public read model kept from the services' events.

The plan's figures are the services' own indicator contributions, kept as they are announced in
`indicator_contribution` (`ipops.indicators.ledger.IndicatorContribution`, the latest revision of
each), with `rm_indicator_source` saying which owners announced themselves as sources: the
gateway adds contributions up and never decides what counts. Besides the figures the public pages
show what is not a figure: accepted navigation projects (`rm_project`), cases by type and channel
without their parties (`rm_case`) and the milestones of goals 七-九 (`rm_milestone`). Every row is
keyed by the producer's id, so a redelivered or re-consumed event overwrites rather than
double-counts. `rm_state` carries the generation: a rebuild empties the rows and consumes every
topic again under a fresh consumer group named after the new generation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
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
    closed_within_deadline: bool | None = None
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON(), nullable=False))


class RmIndicatorSource(GatewayTable, table=True):
    """An owner that announced itself as the source of indicators (it says so at every start).
    An indicator whose owner is not here is "no data yet", never zero."""

    __tablename__ = "rm_indicator_source"

    owner: str = Field(primary_key=True, max_length=32)
    indicators: list[str] = Field(default_factory=list, sa_column=Column(JSON(), nullable=False))
    announced_at: datetime = Field(sa_column=utc_column())


class RmMilestone(GatewayTable, table=True):
    """A milestone of goals 七-九 an operator recorded with its date and evidence (public)."""

    __tablename__ = "rm_milestone"

    milestone_id: str = Field(primary_key=True, max_length=64)
    goal: int
    title_zh: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    achieved_on: date
    evidence: str = Field(max_length=2000)
    recorded_at: datetime = Field(sa_column=utc_column())
