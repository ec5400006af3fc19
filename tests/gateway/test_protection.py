"""Protection at the front door: token-bucket rate limits per client and per anonymous address
(429, Retry-After, RateLimit fields), body-size limit (413), CORS only for configured origins,
security headers, request ids."""

from __future__ import annotations

import re

from tests.gateway.conftest import OPERATOR_ID, OPERATOR_SECRET, bearer, gateway_client, make_client

FRONT_END = "https://ip.dongli.example"


async def test_anonymous_rate_limit(gateway_settings) -> None:
    settings = gateway_settings(rate_limit_anonymous_requests=3, rate_limit_anonymous_window=60)
    async with gateway_client(settings) as (_, client):
        remaining = []
        for _ in range(3):
            r = await client.get("/api/v1/public/progress")
            assert r.status_code == 200
            assert r.headers["ratelimit-policy"] == '"anonymous";q=3;w=60'
            remaining.append(re.fullmatch(r'"anonymous";r=(\d+);t=(\d+)', r.headers["ratelimit"]).group(1))
        assert remaining == ["2", "1", "0"]
        refused = await client.get("/api/v1/public/progress")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "/problems/rate-limited"
        # one token comes back every 20 s (3 per 60 s)
        assert 1 <= int(refused.headers["retry-after"]) <= 20
        assert refused.headers["ratelimit"].startswith('"anonymous";r=0;')
        # health probes and the JWKS the services verify tokens with are never limited
        assert (await client.get("/healthz")).status_code == 200
        for _ in range(5):
            r = await client.get("/.well-known/jwks.json")
            assert r.status_code == 200 and "ratelimit" not in r.headers


async def test_each_client_has_its_own_bucket(gateway_settings) -> None:
    settings = gateway_settings(
        rate_limit_client_requests=2,
        rate_limit_client_window=10,
        rate_limit_operator_requests=3,
        rate_limit_operator_window=10,
    )
    async with gateway_client(settings) as (_, client):
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        bank_id, bank_secret = await make_client(client, operator, "bank", "bank-a")  # 1st operator request
        bank = await bearer(client, bank_id, bank_secret)
        for _ in range(2):  # 2nd and 3rd: the operator quota, not the client one
            r = await client.get("/api/v1/gateway/clients", headers=operator)
            assert r.status_code == 200
            assert r.headers["ratelimit-policy"] == '"operator";q=3;w=10'
        r = await client.get("/api/v1/gateway/clients", headers=operator)  # 4th: over
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) in range(1, 5)
        # the bank's bucket is untouched by the operator's, and holds the client quota
        for remaining in (1, 0):
            r = await client.get("/api/v1/public/progress", headers=bank)
            assert r.status_code == 200
            assert r.headers["ratelimit-policy"] == '"client";q=2;w=10'
            assert r.headers["ratelimit"].startswith(f'"client";r={remaining};')
        assert (await client.get("/api/v1/public/progress", headers=bank)).status_code == 429
        # and anonymous callers from the same address have theirs
        assert (await client.get("/api/v1/public/progress")).status_code == 200


async def test_body_size_limit(gateway_settings) -> None:
    async with gateway_client(gateway_settings(max_body_bytes=1000)) as (_, client):
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        big = {"name": "x" * 2000, "role": "operator"}
        r = await client.post("/api/v1/gateway/clients", json=big, headers=operator)
        assert r.status_code == 413
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["max_bytes"] == 1000

        async def chunks():  # no Content-Length: the limit applies as the body is read
            for _ in range(5):
                yield b"x" * 400

        for path in ("/api/v1/pledge/banks", "/api/v1/gateway/clients"):  # forwarded, and the gateway's own
            r = await client.post(path, content=chunks(), headers={**operator, "Content-Type": "application/json"})
            assert r.status_code == 413, (path, r.text)
            assert r.json()["type"] == "/problems/payload-too-large"
        # a small body passes
        r = await client.post("/api/v1/gateway/clients", json={"name": "ok", "role": "operator"}, headers=operator)
        assert r.status_code == 201


async def test_cors_only_for_configured_origins(gateway_settings) -> None:
    async with gateway_client(gateway_settings(cors_origins=[FRONT_END])) as (_, client):
        preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
        ok = await client.options("/api/v1/public/progress", headers={"Origin": FRONT_END, **preflight})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == FRONT_END
        bad = await client.options("/api/v1/public/progress", headers={"Origin": "https://evil.example", **preflight})
        assert bad.status_code == 400
        assert "access-control-allow-origin" not in bad.headers
        simple = await client.get("/api/v1/public/progress", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in simple.headers
        allowed = await client.get("/api/v1/public/progress", headers={"Origin": FRONT_END})
        assert allowed.headers["access-control-allow-origin"] == FRONT_END
        assert "ratelimit" in allowed.headers["access-control-expose-headers"].lower()
    async with gateway_client(gateway_settings()) as (_, client):
        r = await client.get("/api/v1/public/progress", headers={"Origin": FRONT_END})
        assert "access-control-allow-origin" not in r.headers


async def test_security_headers_and_request_ids(gateway_settings) -> None:
    async with gateway_client(gateway_settings(hsts_seconds=31536000)) as (_, client):
        for path in ("/", "/api/v1/public/progress", "/api/v1/nope/x", "/api/v1/pledge/loans"):
            r = await client.get(path, headers={"X-Request-ID": "req-42"})
            csp = r.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
            assert "http" not in csp  # no external source of any kind
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert r.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
            assert r.headers["x-request-id"] == "req-42"
        r = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
    async with gateway_client(gateway_settings()) as (_, client):
        assert "strict-transport-security" not in (await client.get("/healthz")).headers


async def test_token_endpoint_has_its_own_stricter_bucket(gateway_settings) -> None:
    settings = gateway_settings(rate_limit_token_requests=2, rate_limit_token_window=60)
    async with gateway_client(settings) as (_, client):
        form = {"grant_type": "client_credentials", "client_id": OPERATOR_ID, "client_secret": "guess"}
        for _ in range(2):
            r = await client.post("/oauth/token", data=form)
            assert r.status_code == 401
            assert r.headers["ratelimit-policy"] == '"token";q=2;w=60'
        r = await client.post("/oauth/token", data={**form, "client_secret": OPERATOR_SECRET})
        assert r.status_code == 429  # even the right secret waits: guessing is slowed down
        assert int(r.headers["retry-after"]) >= 1
        # the rest of the gateway is not affected
        assert (await client.get("/api/v1/public/progress")).status_code == 200
