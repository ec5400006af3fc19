"""Issuing and verifying the gateway's tokens, and keeping client secrets as argon2id hashes.

Tokens are short-lived JWTs signed with the active key of the KeyStore; they carry `role` and
`tenant` so that every service can authorise the caller without asking anyone. The gateway
verifies them with `ipops.auth.TokenVerifier`, the class the services use, pointed at its own
key store (or at an external OIDC issuer's JWKS when one is configured).
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gateway.config import GatewaySettings
from gateway.keys import KeyStore
from ipops.auth import TokenVerifier
from ipops.clock import utc_now

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults
# The client's token generation when the token was issued (gateway/revocation.py).
GENERATION_CLAIM = "client_generation"
# Verified against when the client id is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(32))


def new_secret() -> str:
    """A fresh client secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The argon2id hash of a secret."""
    return _hasher.hash(secret)


async def verify_secret(secret_hash: str | None, secret: str) -> bool:
    """Whether `secret` matches (argon2 takes tens of ms of CPU: run off the event loop)."""

    def check() -> bool:
        try:
            return _hasher.verify(secret_hash or _DUMMY_HASH, secret) and secret_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def needs_rehash(secret_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(secret_hash)


def issue_token(
    keys: KeyStore, settings: GatewaySettings, *, subject: str, role: str, tenant: str | None, generation: int = 0
) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds; `generation` is the client's token
    generation (a token under an older one than its client's is refused)."""
    key = keys.active
    now = utc_now()
    ttl = settings.token_ttl_seconds
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": uuid.uuid4().hex,
        "role": role,
        "client_id": subject,
        GENERATION_CLAIM: generation,
    }
    if tenant:
        claims["tenant"] = tenant
    token = jwt.encode(claims, key.private_key, algorithm=key.algorithm, headers={"kid": key.kid, "typ": "JWT"})
    return token, ttl


def claimed_generation(token: str) -> int:
    """The client generation a token was issued under: 0 for a token without one, the oldest,
    refused once its client has been revoked. Only for a token that has just verified, so that
    its payload is the issuer's."""
    try:
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return 0
    value = claims.get(GENERATION_CLAIM, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class KeyStoreVerifier(TokenVerifier):
    """The platform's verifier, with its keys taken from the gateway's own key store: the same
    checks as every service (asymmetric algorithms only, iss, aud, exp), no HTTP round trip."""

    def __init__(self, settings: GatewaySettings, keys: KeyStore) -> None:
        super().__init__(settings)
        self._keys = keys

    async def _candidate_keys(self, kid: str | None) -> list[Any]:
        if kid is not None:
            key = self._keys.by_kid(kid)
            return [key.public_key] if key else []
        return [k.public_key for k in self._keys.published()]


def make_verifier(settings: GatewaySettings, keys: KeyStore | None) -> TokenVerifier:
    """The verifier for this configuration: our key store, or the external issuer's JWKS."""
    if settings.uses_external_issuer or keys is None:
        return TokenVerifier(settings)
    return KeyStoreVerifier(settings, keys)
