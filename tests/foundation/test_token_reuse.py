"""A verified token is reused for a bounded time, never past its expiry, and never stands in for
another token (ipops.auth.TokenVerifier)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ipops import auth
from ipops.auth import Role, TokenVerifier
from ipops.settings import ServiceSettings
from tests.testing import TokenFactory


def _verifier(tokens: TokenFactory) -> TokenVerifier:
    settings = ServiceSettings(
        service_name="probe",
        database_url="sqlite+aiosqlite://",
        jwt_public_keys=[tokens.public_pem],
        jwt_issuer=tokens.issuer,
        jwt_audience=tokens.audience,
    )
    return TokenVerifier(settings)


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _counting(verifier: TokenVerifier) -> list[str]:
    calls: list[str] = []
    real = verifier._verify

    async def counted(token: str) -> Any:
        calls.append(token)
        return await real(token)

    verifier._verify = counted  # type: ignore[method-assign]
    return calls


async def test_a_token_is_verified_once_within_the_reuse_time(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = TokenFactory()
    verifier = _verifier(tokens)
    calls = _counting(verifier)
    token = tokens.token("bank", "bank-1")
    first = await verifier.verify(token)
    assert await verifier.verify(token) == first
    assert first.role is Role.BANK and first.tenant_id == "bank-1"
    assert len(calls) == 1
    other = await verifier.verify(tokens.token("bank", "bank-2"))
    assert other.tenant_id == "bank-2", "another token is verified on its own"
    assert len(calls) == 2


async def test_reuse_ends_after_the_reuse_time(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = TokenFactory()
    verifier = _verifier(tokens)
    calls = _counting(verifier)
    clock = _Clock(auth.time.time())
    monkeypatch.setattr(auth.time, "time", clock)
    token = tokens.token("operator")
    await verifier.verify(token)
    clock.now += auth.VERIFIED_REUSE_SECONDS + 1
    await verifier.verify(token)
    assert len(calls) == 2


async def test_reuse_never_outlives_the_tokens_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = TokenFactory()
    verifier = _verifier(tokens)
    calls = _counting(verifier)
    token = tokens.token("operator", ttl=timedelta(seconds=5))
    principal = await verifier.verify(token)
    assert principal.expires_at is not None
    # Before the reuse time is over but past the token's exp: it is verified again (PyJWT then
    # judges the expiry itself), not taken from the reuse.
    monkeypatch.setattr(auth.time, "time", _Clock(principal.expires_at + 0.5))
    await verifier.verify(token)
    assert len(calls) == 2
