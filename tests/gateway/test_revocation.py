"""Disabling a client or rotating its secret ends its tokens at once, not when they expire: on
the replica that made the change immediately, on every other replica of the same database within
seconds, also for a token that replica had verified and kept. Two gateway apps on one PostgreSQL
database stand for two replicas."""

from __future__ import annotations

import time
from typing import Any

import httpx

from gateway.protection import AccessMiddleware, Policy, Verified, VerifiedTokens, VerifierSource
from gateway.revocation import Revocations
from ipops.auth import Principal, Role
from tests.gateway.conftest import OPERATOR_ID, OPERATOR_SECRET, bearer, gateway_client, make_client
from tests.testing import eventually

# A replica learns of a revocation made on another within this (it looks every second).
PROPAGATION_SECONDS = 2.0
PUBLIC = "/api/v1/public/progress"  # anonymous, but a token that comes with it is verified


async def _status(client: httpx.AsyncClient, headers: dict[str, str], path: str = PUBLIC) -> int:
    return (await client.get(path, headers=headers)).status_code


async def _refused_within(client: httpx.AsyncClient, headers: dict[str, str], seconds: float) -> float:
    """How long it took until the token was refused (AssertionError if not within `seconds`)."""
    started = time.monotonic()

    async def refused() -> bool:
        return await _status(client, headers) == 401

    await eventually(refused, timeout=seconds, interval=0.05, message="the revoked token still works")
    return time.monotonic() - started


async def test_disabling_a_client_ends_its_tokens_on_every_replica(gateway_settings) -> None:
    settings = gateway_settings()
    async with gateway_client(settings) as (_, first), gateway_client(settings) as (_, second):
        operator = await bearer(first, OPERATOR_ID, OPERATOR_SECRET)
        bank_id, bank_secret = await make_client(first, operator, "bank", "bank-a")
        bank = await bearer(first, bank_id, bank_secret)
        # The token works on both replicas (and each now keeps it as verified).
        assert await _status(first, bank) == 200
        assert await _status(second, bank) == 200

        r = await first.post(f"/api/v1/gateway/clients/{bank_id}/disable", headers=operator)
        assert r.status_code == 200, r.text

        refused = await first.get(PUBLIC, headers=bank)  # the replica that disabled it: at once
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "/problems/unauthorized"
        assert "revoked" in refused.json()["detail"]
        assert "invalid_token" in refused.headers["www-authenticate"]
        await _refused_within(second, bank, PROPAGATION_SECONDS)
        # Refused before forwarding, too (the pledge upstream is not even running).
        assert await _status(second, bank, "/api/v1/pledge/loans") == 401

        # Enabled again, the old token stays refused; a new one works everywhere.
        assert (await first.post(f"/api/v1/gateway/clients/{bank_id}/enable", headers=operator)).status_code == 200
        assert await _status(first, bank) == 401
        fresh = await bearer(second, bank_id, bank_secret)
        assert await _status(first, fresh) == 200
        assert await _status(second, fresh) == 200


async def test_rotating_a_secret_ends_the_tokens_issued_before(gateway_settings) -> None:
    settings = gateway_settings()
    async with gateway_client(settings) as (_, first), gateway_client(settings) as (_, second):
        operator = await bearer(first, OPERATOR_ID, OPERATOR_SECRET)
        agency_id, _secret = await make_client(first, operator, "agency", "agency-1")
        other_id, other_secret = await make_client(first, operator, "agency", "agency-2")
        agency = await bearer(first, agency_id, _secret)
        other = await bearer(first, other_id, other_secret)
        assert await _status(second, agency) == 200

        # Rotated through the second replica this time.
        r = await second.post(f"/api/v1/gateway/clients/{agency_id}/secret", headers=operator)
        assert r.status_code == 200, r.text
        new_secret = r.json()["client_secret"]

        assert await _status(second, agency) == 401
        await _refused_within(first, agency, PROPAGATION_SECONDS)
        # A token obtained with the new secret works on both; another client is untouched.
        renewed = await bearer(first, agency_id, new_secret)
        assert await _status(first, renewed) == 200
        assert await _status(second, renewed) == 200
        assert await _status(first, other) == 200
        # An operator's token is refused the same way (its admin routes too).
        admin_id, admin_secret = await make_client(first, operator, "operator")
        admin = await bearer(first, admin_id, admin_secret)
        assert (await second.get("/api/v1/gateway/clients", headers=admin)).status_code == 200
        assert (await first.post(f"/api/v1/gateway/clients/{admin_id}/disable", headers=operator)).status_code == 200

        async def admin_refused() -> bool:
            return (await second.get("/api/v1/gateway/clients", headers=admin)).status_code == 401

        await eventually(admin_refused, timeout=PROPAGATION_SECONDS, interval=0.05)


def _principal(subject: str) -> Principal:
    return Principal(subject=subject, role=Role.BANK, tenant_id="bank-a", expires_at=time.time() + 600)


def test_a_token_is_refused_below_its_clients_generation() -> None:
    revocations = Revocations()
    cases = [
        # (client's generation as known, token's generation, refused)
        (None, 0, False),  # never revoked
        (1, 0, True),  # issued before the first revocation
        (1, 1, False),  # issued after it
        (3, 2, True),
        (3, 4, False),  # issued by a replica that knows more than this one yet
    ]
    for known, generation, refused in cases:
        revocations = Revocations()
        if known is not None:
            revocations.note("client", known)
        assert revocations.refused("client", generation) is refused, (known, generation)
    revocations.note("client", 2)
    revocations.note("client", 1)  # an older report never lowers it
    assert revocations.refused("client", 1)


async def test_a_kept_token_is_refused_once_its_client_is_revoked() -> None:
    """The verified-token cache does not let a revoked token through: the check follows a hit."""

    class OnceVerifier:
        calls = 0

        async def verify(self, token: str) -> Principal:
            self.calls += 1
            return _principal("bank-system")

    verifier = OnceVerifier()
    source = VerifierSource()
    source.verifier = verifier  # type: ignore[assignment]
    statuses: list[int] = []
    revocations = Revocations()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    policy = Policy("client", requests=1000, window=60.0)
    middleware = AccessMiddleware(
        app, verifier_of=source, client_policy=policy, anonymous_policy=policy, revocations=revocations
    )
    scope = {"type": "http", "path": "/x", "headers": [(b"authorization", b"Bearer t")], "client": ("1.2.3.4", 1)}
    await middleware({**scope, "state": {}}, receive, send)
    assert isinstance(middleware.verified, VerifiedTokens)
    assert middleware.verified.get("t") == Verified(_principal("bank-system"), 0)
    revocations.note("bank-system", 1)
    await middleware({**scope, "state": {}}, receive, send)
    assert statuses == [204, 401]
    assert verifier.calls == 1  # the second answer came from the cache, and was still refused
