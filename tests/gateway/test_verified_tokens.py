"""The cache of verified tokens on its own, on a fake clock: an entry lives until the verified
token's `exp` (never longer than `max_age`), a principal without an expiry is not kept, the
cache is bounded, and the access middleware verifies a kept token only once."""

from __future__ import annotations

from typing import Any

from gateway.protection import AccessMiddleware, Policy, Verified, VerifiedTokens, VerifierSource
from ipops.auth import Principal, Role


class FakeClock:
    """Unix seconds that move only when the test says so."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def principal(subject: str = "bank-system", expires_at: float | None = None) -> Principal:
    return Principal(subject=subject, role=Role.BANK, tenant_id="bank-a", expires_at=expires_at)


def verified(subject: str = "bank-system", expires_at: float | None = None) -> Verified:
    return Verified(principal(subject, expires_at), generation=0)


def test_a_kept_verification_expires_at_the_tokens_exp() -> None:
    clock = FakeClock()
    cache = VerifiedTokens(max_age=300.0, timer=clock)
    cache.put("token-a", verified(expires_at=clock.now + 60))
    assert cache.get("token-a") == verified()
    clock.now += 59.9
    assert cache.get("token-a") == verified()
    clock.now += 0.1  # the token's exp
    assert cache.get("token-a") is None


def test_a_kept_verification_lasts_at_most_max_age() -> None:
    clock = FakeClock()
    cache = VerifiedTokens(max_age=300.0, timer=clock)
    cache.put("token-a", verified(expires_at=clock.now + 3600))
    clock.now += 299
    assert cache.get("token-a") is not None
    clock.now += 1
    assert cache.get("token-a") is None


def test_expired_or_expiry_less_principals_are_not_kept() -> None:
    clock = FakeClock()
    cache = VerifiedTokens(timer=clock)
    cache.put("no-exp", verified(expires_at=None))
    cache.put("expired", verified(expires_at=clock.now - 1))
    assert cache.get("no-exp") is None
    assert cache.get("expired") is None
    assert len(cache) == 0


def test_the_cache_is_bounded() -> None:
    clock = FakeClock()
    cache = VerifiedTokens(max_entries=3, timer=clock)
    for n in range(5):
        cache.put(f"token-{n}", verified(f"client-{n}", expires_at=clock.now + 60))
    assert len(cache) == 3
    assert cache.get("token-0") is None and cache.get("token-1") is None  # the oldest went first
    assert cache.get("token-4") == verified("client-4")


class CountingVerifier:
    """Stands in for TokenVerifier: every token verifies, and each call is counted."""

    def __init__(self, expires_at: float) -> None:
        self.calls = 0
        self.expires_at = expires_at

    async def verify(self, token: str) -> Principal:
        self.calls += 1
        return principal(expires_at=self.expires_at)


async def test_the_middleware_verifies_a_kept_token_once_until_it_expires() -> None:
    clock = FakeClock()
    verifier = CountingVerifier(expires_at=clock.now + 60)
    source = VerifierSource()
    source.verifier = verifier
    seen: list[Principal] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["state"]["principal"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    policy = Policy("client", requests=1000, window=60.0)
    middleware = AccessMiddleware(app, verifier_of=source, client_policy=policy, anonymous_policy=policy)
    middleware.verified = VerifiedTokens(timer=clock)
    scope = {
        "type": "http",
        "path": "/api/v1/pledge/loans",
        "headers": [(b"authorization", b"Bearer token-a")],
        "client": ("127.0.0.1", 5000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        pass

    for _ in range(3):
        await middleware({**scope, "state": {}}, receive, send)
    assert verifier.calls == 1
    clock.now += 60
    await middleware({**scope, "state": {}}, receive, send)
    assert verifier.calls == 2
    assert [p.subject for p in seen] == ["bank-system"] * 4
