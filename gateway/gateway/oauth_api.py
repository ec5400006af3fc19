"""The OAuth2 token endpoint (client credentials, RFC 6749 section 4.4) and the public keys.

Errors carry RFC 6749's `error` code inside an RFC 9457 problem document, so an OAuth2 client
library and a problem+json reader both find what they look for.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from gateway import clients, identity
from gateway.config import GatewaySettings
from gateway.keys import KeyStore
from gateway.schemas import TokenResponse
from ipops.http import problem
from ipops.runtime import ServiceRuntime

router = APIRouter(tags=["identity"])


def _oauth_error(status: int, error: str, description: str, *, basic: bool = False) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="ipops"' if basic else "Bearer"
    return problem(
        status,
        type_slug=f"oauth-{error.replace('_', '-')}",
        detail=description,
        headers=headers,
        error=error,
        error_description=description,
    )


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    # RFC 6749 2.3.1: both parts are form-urlencoded before base64.
    return unquote(client_id), unquote(secret)


@router.post(
    "/oauth/token",
    response_model=TokenResponse,
    summary="Obtain an access token (OAuth2 client credentials)",
    responses={
        400: {"description": "invalid_request / unsupported_grant_type"},
        401: {"description": "invalid_client"},
    },
)
async def issue_token(
    request: Request,
    grant_type: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
) -> Any:
    """Exchange a client id and secret (form fields or HTTP Basic) for a short-lived JWT that
    carries the client's `role` and `tenant`. Disabled when an external OIDC issuer is trusted."""
    runtime: ServiceRuntime = request.app.state.runtime
    settings = runtime.settings_as(GatewaySettings)
    if settings.uses_external_issuer:
        return _oauth_error(
            404, "unsupported_grant_type", "tokens are issued by the configured OpenID Connect provider"
        )
    basic = _basic_credentials(request)
    if grant_type is None:
        return _oauth_error(400, "invalid_request", "grant_type is required")
    if grant_type != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is supported")
    if basic is not None:
        if client_id is not None and client_id != basic[0]:
            return _oauth_error(400, "invalid_request", "client_id in the form differs from HTTP Basic")
        client_id, client_secret = basic
    if not client_id or not client_secret:
        return _oauth_error(401, "invalid_client", "client_id and client_secret are required", basic=True)
    async with runtime.transaction() as session:
        client = await clients.authenticate(session, client_id, client_secret)
        if client is None:
            return _oauth_error(401, "invalid_client", "unknown client, wrong secret or disabled client", basic=True)
        role, tenant, subject, generation = client.role, client.tenant_id, client.client_id, client.token_generation
    keys: KeyStore = request.app.state.keys
    access_token, ttl = identity.issue_token(
        keys, settings, subject=subject, role=role, tenant=tenant, generation=generation
    )
    return JSONResponse(
        TokenResponse(access_token=access_token, expires_in=ttl).model_dump(),
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


@router.get("/.well-known/jwks.json", summary="The public keys that verify the gateway's tokens")
async def jwks(request: Request) -> JSONResponse:
    """Every key whose tokens may still be valid; services fetch and cache this."""
    keys: KeyStore | None = request.app.state.keys
    body = keys.jwks() if keys is not None else {"keys": []}
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=60"})


@router.get("/.well-known/openid-configuration", summary="Discovery document (issuer, token endpoint, JWKS)")
async def openid_configuration(request: Request) -> dict[str, Any]:
    """Enough of OpenID Connect discovery for client-credentials clients."""
    runtime: ServiceRuntime = request.app.state.runtime
    settings = runtime.settings_as(GatewaySettings)
    base = str(request.base_url).rstrip("/")
    return {
        "issuer": settings.jwt_issuer,
        "token_endpoint": f"{base}/oauth/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "id_token_signing_alg_values_supported": [settings.signing_algorithm],
    }
