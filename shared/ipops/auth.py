"""Bearer-token verification and the roles and tenants a token carries.

Every service verifies every token itself (signature against the gateway's JWKS or configured PEM
keys, issuer, audience, expiry), even behind the gateway: a request that reaches a service by
another path gets no further. Only asymmetric algorithms are accepted; `alg: none` and HMAC are
refused whatever the token says.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ipops.errors import Forbidden, Unauthorized
from ipops.settings import ServiceSettings

log = logging.getLogger(__name__)

VERIFIED_REUSE_SECONDS = 30.0
VERIFIED_CACHE_SIZE = 4096
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]


class Role(StrEnum):
    """Who a caller is."""

    OPERATOR = "operator"  # the district IP office
    BANK = "bank"  # a cooperating bank's system; tenant = the bank's id
    AGENCY = "agency"  # a service agency or institute; tenant = the agency's id


@dataclass(frozen=True)
class Principal:
    """The verified caller of a request."""

    subject: str
    role: Role
    tenant_id: str | None
    scopes: frozenset[str] = frozenset()
    # The verified token's `exp` (Unix seconds): how long a cache may keep this verification.
    # Not part of equality: two verifications of one caller are the same caller.
    expires_at: float | None = field(default=None, compare=False)

    @property
    def is_operator(self) -> bool:
        """True for the district IP office."""
        return self.role is Role.OPERATOR

    @property
    def owner_key(self) -> str:
        """The namespace of this caller's idempotency keys."""
        return f"{self.role}:{self.tenant_id or self.subject}"


class TokenVerifier:
    """Verifies JWTs against a JWKS URL (refetched on an unknown key id) and/or PEM keys."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._static_keys: list[Any] = [
            serialization.load_pem_public_key(pem.encode()) for pem in settings.jwt_public_keys
        ]
        self._jwks: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        # token -> (principal, Unix time until which the verification is reused). A client sends
        # one token for many requests; verifying its signature again each time was a fixed CPU
        # cost per request. Reuse is bounded by the token's expiry and by VERIFIED_REUSE_SECONDS,
        # so a key withdrawn from the JWKS stops being honoured within that time.
        self._verified: dict[str, tuple[Principal, float]] = {}

    async def _refresh_jwks(self, *, force: bool) -> None:
        url = self._settings.jwt_jwks_url
        if not url:
            return
        async with self._lock:
            # A token with an unknown kid may trigger a refetch, but at most every 10 s: an
            # attacker cannot turn bad tokens into a flood of JWKS requests.
            if not force and self._jwks and time.monotonic() - self._fetched_at < 300:
                return
            if force and time.monotonic() - self._fetched_at < 10:
                return
            try:
                async with httpx.AsyncClient(timeout=5) as client:
                    response = await client.get(url)
                    response.raise_for_status()
                key_set = jwt.PyJWKSet.from_dict(response.json())
            except (httpx.HTTPError, json.JSONDecodeError, jwt.PyJWTError) as exc:
                log.warning("JWKS fetch failed", extra={"url": url, "error": repr(exc)})
                self._fetched_at = time.monotonic()
                return
            self._jwks = {k.key_id: k.key for k in key_set.keys if k.key_id}
            self._fetched_at = time.monotonic()

    async def _candidate_keys(self, kid: str | None) -> list[Any]:
        await self._refresh_jwks(force=False)
        if kid is not None and kid not in self._jwks and self._settings.jwt_jwks_url:
            await self._refresh_jwks(force=True)
        keys = list(self._static_keys)
        if kid is not None and kid in self._jwks:
            keys.insert(0, self._jwks[kid])
        elif kid is None:
            keys.extend(self._jwks.values())
        return keys

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token; Unauthorized otherwise (without saying which check failed
        beyond a short reason). A token verified in the last VERIFIED_REUSE_SECONDS and not expired
        is not verified again."""
        now = time.time()
        cached = self._verified.get(token)
        if cached is not None and now < cached[1]:
            return cached[0]
        principal = await self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()  # many distinct tokens: start again rather than track age
        until = now + VERIFIED_REUSE_SECONDS
        if principal.expires_at is not None:
            until = min(until, principal.expires_at)
        self._verified[token] = (principal, until)
        return principal

    async def _verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("malformed token") from exc
        if header.get("alg") not in ALGORITHMS:
            raise Unauthorized("token algorithm not accepted")
        keys = await self._candidate_keys(header.get("kid"))
        if not keys:
            raise Unauthorized("no key to verify this token")
        last_error: Exception | None = None
        for key in keys:
            try:
                claims = jwt.decode(
                    token,
                    key=key,
                    algorithms=ALGORITHMS,
                    audience=self._settings.jwt_audience,
                    issuer=self._settings.jwt_issuer,
                    options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                    leeway=30,
                )
            except jwt.ExpiredSignatureError as exc:
                raise Unauthorized("token expired") from exc
            except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as exc:
                raise Unauthorized("token not issued for this service") from exc
            except jwt.PyJWTError as exc:
                last_error = exc
                continue
            return _principal(claims)
        raise Unauthorized("token signature not valid") from last_error


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(str(claims.get("role")))
    except ValueError as exc:
        raise Unauthorized("token carries no known role") from exc
    tenant = claims.get("tenant")
    if role is not Role.OPERATOR and not tenant:
        raise Unauthorized("a bank or agency token must carry its tenant")
    scope = claims.get("scope", "")
    return Principal(
        subject=str(claims["sub"]),
        role=role,
        tenant_id=str(tenant) if tenant else None,
        scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset(),
        expires_at=float(claims["exp"]) if isinstance(claims.get("exp"), int | float) else None,
    )


_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token from the gateway's /oauth/token")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller; 401 without a valid bearer token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


async def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The caller when a token is given (public routes that show more to the signed-in)."""
    if credentials is None:
        return None
    return await current_principal(request, credentials)


def require_roles(*roles: Role) -> Any:
    """A dependency admitting only the given roles (403 for a valid token of another role)."""

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(r.value for r in roles)}")
        return principal

    return Depends(dependency)


AnyPrincipal = Annotated[Principal, Depends(current_principal)]
OperatorPrincipal = Annotated[Principal, require_roles(Role.OPERATOR)]
BankPrincipal = Annotated[Principal, require_roles(Role.BANK)]
AgencyPrincipal = Annotated[Principal, require_roles(Role.AGENCY)]
BankOrOperator = Annotated[Principal, require_roles(Role.BANK, Role.OPERATOR)]
AgencyOrOperator = Annotated[Principal, require_roles(Role.AGENCY, Role.OPERATOR)]
