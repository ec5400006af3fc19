"""Who is calling the gateway's own routes: the AccessMiddleware verifies a bearer token once per
request and leaves the principal in the request state; these dependencies read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from ipops.auth import Principal, Role
from ipops.errors import Forbidden, Unauthorized

# Declared so the OpenAPI document shows the bearer scheme on the routes that need it.
_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token from /oauth/token")


async def gateway_principal(request: Request, _: Annotated[object, Depends(_bearer)]) -> Principal:
    """The verified caller; 401 without a token."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized("a bearer token is required")
    return principal


async def operator_principal(principal: Annotated[Principal, Depends(gateway_principal)]) -> Principal:
    """Operators only (403 for a bank or agency)."""
    if principal.role is not Role.OPERATOR:
        raise Forbidden("this needs the role operator")
    return principal


Operator = Annotated[Principal, Depends(operator_principal)]
