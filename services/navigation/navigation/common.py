"""What every aggregate of the navigation service shares: where its routes live, the source of its
events, how an actor is named in history rows, and the text fields its schemas reuse."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ipops.auth import Principal

PREFIX = "/api/v1/navigation"
PUBLIC_PREFIX = f"{PREFIX}/public"
SOURCE = "/ipops/navigation"

Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Name200 = Annotated[str, Field(min_length=1, max_length=200)]


def actor(principal: Principal) -> str:
    """How a caller is named in history rows and `submitted_by`/`uploaded_by` columns."""
    return f"{principal.role.value}:{principal.tenant_id or principal.subject}"
