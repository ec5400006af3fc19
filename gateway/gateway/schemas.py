"""The gateway's own HTTP contract (clients, tokens, the public read model)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ClientRole = Literal["operator", "bank", "agency"]


class _NewClient(BaseModel):
    client_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{3,100}$", description="made up when omitted")
    name: str = Field(min_length=1, max_length=200)


class OperatorClientCreate(_NewClient):
    """A new operator's client (the district IP office): no tenant."""

    role: Literal["operator"]
    tenant_id: str | None = Field(
        default=None, min_length=1, max_length=100, description="ignored: an operator acts for no tenant"
    )


class TenantClientCreate(_NewClient):
    """A new bank's or agency's client, naming its tenant (the bank's or agency's id in the
    services)."""

    role: Literal["bank", "agency"]
    tenant_id: str = Field(min_length=1, max_length=100)


# The role decides whether a tenant is required: declared as a union on `role` (a `oneOf` with a
# discriminator in OpenAPI), so the schema states the rule the server holds.
ClientCreate = Annotated[OperatorClientCreate | TenantClientCreate, Field(discriminator="role")]


class ClientPublic(BaseModel):
    """A client as operators see it (never its secret or hash)."""

    client_id: str
    name: str
    role: ClientRole
    tenant_id: str | None
    created_at: datetime
    created_by: str
    secret_rotated_at: datetime | None
    disabled_at: datetime | None


class ClientWithSecret(ClientPublic):
    """A client with its secret, returned once: when made and when its secret is rotated."""

    client_secret: str


class ClientPage(BaseModel):
    """Clients, oldest first."""

    items: list[ClientPublic]
    total: int


class TokenResponse(BaseModel):
    """RFC 6749 section 5.1."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105  (the RFC 6749 type, not a secret)
    expires_in: int


class KeyPublic(BaseModel):
    """A signing key as operators see it."""

    kid: str
    algorithm: str
    created_at: datetime
    active: bool


class KeyList(BaseModel):
    """The published signing keys, oldest first."""

    items: list[KeyPublic]


class RebuildStarted(BaseModel):
    """A read-model rebuild that has begun."""

    generation: int
    group: str


class ProjectPublic(BaseModel):
    """An accepted navigation project."""

    project_id: str
    kind: str
    title: str
    industry: str
    undertaking_org: str
    undertaking_org_name: str | None
    summary: str | None
    accepted_at: datetime


class ProjectPage(BaseModel):
    """Accepted projects, newest first."""

    items: list[ProjectPublic]
    total: int


class EnforcementYear(BaseModel):
    """Cases opened in one year, counted by type and channel; no case or party is named."""

    year: int
    total: int
    by_type: dict[str, int]
    by_channel: dict[str, int]
    enterprises_served: int
    closed: int = 0
    closed_within_deadline_pct: str | None = Field(default=None, description="of the cases closed that year")
    satisfaction: str | None = Field(
        default=None, description="enforcement's satisfaction indicator of the year (the public survey score)"
    )


class EnforcementStatistics(BaseModel):
    """Anonymised enforcement statistics by year."""

    years: list[EnforcementYear]


class ReadinessReport(BaseModel):
    """What `/readyz` answers, ready (200) or not (503): the gateway's own checks (database, Kafka,
    outbox relay, read model) and each service's readiness with its circuit."""

    model_config = ConfigDict(extra="forbid")

    service: Literal["gateway"]
    status: Literal["ready", "not_ready"]
    down: list[str] = Field(description="what is not up: `gateway:<check>` or a service's name")
    checks: dict[str, dict[str, Any]]
    services: dict[str, dict[str, Any]]
