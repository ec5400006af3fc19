"""Routing through the gateway to real upstreams: the pledge service under uvicorn answers while
the other three are down (refusing, hanging, answering garbage), each giving its own
problem+json; retries only for idempotent requests; the circuit breaker; aggregated readiness."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from gateway.schemas import ReadinessReport
from pledge.config import PledgeSettings
from pledge.main import create_app as create_pledge
from tests import testing
from tests.gateway.conftest import (
    OPERATOR_ID,
    OPERATOR_SECRET,
    bearer,
    free_port,
    garbage_server,
    gateway_client,
    hanging_server,
    make_client,
    serve_uvicorn,
)


@contextlib.asynccontextmanager
async def pledge_upstream(settings_for, gateway_keys) -> AsyncIterator[str]:
    """The real pledge app on a free port, trusting the gateway's key."""
    url = await testing.create_database("t_gwpledge_")
    try:
        settings = settings_for(
            PledgeSettings,
            url,
            jwt_public_keys=[gateway_keys.active.public_pem()],
            jwt_issuer="ipops-gateway",
            run_background_tasks=False,
        )
        async with serve_uvicorn(create_pledge(settings)) as base:
            yield base
    finally:
        await testing.drop_database(url)


@contextlib.asynccontextmanager
async def counting_server() -> AsyncIterator[tuple[str, list[int]]]:
    """Accepts connections and hangs up at once (a service dying mid-request); counts attempts."""
    seen: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        seen.append(1)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", seen
    finally:
        server.close()


@pytest.fixture
async def routed(settings_for, gateway_settings, gateway_keys):
    """A gateway whose pledge upstream is real and whose other upstreams are broken."""
    async with (
        pledge_upstream(settings_for, gateway_keys) as pledge_url,
        hanging_server() as hanging_url,
        garbage_server() as garbage_url,
    ):
        settings = gateway_settings(
            pledge_url=pledge_url,
            trusteeship_url=f"http://127.0.0.1:{free_port()}",
            navigation_url=hanging_url,
            enforcement_url=garbage_url,
            breaker_failure_threshold=3,
            upstream_retries=0,
        )
        async with gateway_client(settings) as (app, client):
            operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
            bank_id, bank_secret = await make_client(client, operator, "bank", "bank-a")
            yield app, client, operator, await bearer(client, bank_id, bank_secret)


async def test_one_service_down_others_answer(routed) -> None:
    _app, client, operator, bank = routed
    ok = await client.get("/api/v1/pledge/loans", headers=bank)
    assert ok.status_code == 200, ok.text
    assert ok.json()["total"] == 0

    down = await client.get("/api/v1/trusteeship/enterprises", headers=operator)
    assert down.status_code == 503
    assert down.headers["content-type"] == "application/problem+json"
    assert down.json()["service"] == "trusteeship"
    assert down.json()["type"] == "/problems/upstream-unavailable"
    assert int(down.headers["retry-after"]) >= 1

    slow = await client.get("/api/v1/navigation/projects", headers=operator)
    assert slow.status_code == 504
    assert (slow.json()["service"], slow.json()["type"]) == ("navigation", "/problems/upstream-timeout")

    broken = await client.get("/api/v1/enforcement/cases", headers=operator)
    assert broken.status_code == 502
    assert (broken.json()["service"], broken.json()["type"]) == ("enforcement", "/problems/upstream-bad-response")

    # and pledge still answers after all that
    assert (await client.get("/api/v1/pledge/loans", headers=bank)).status_code == 200


async def test_forwarding_keeps_method_query_body_and_request_id(routed) -> None:
    _, client, operator, bank = routed
    # The request id reaches the service: its own problem document quotes it.
    r = await client.get("/api/v1/pledge/loans/no-such-loan", headers={**bank, "X-Request-ID": "trace-123"})
    assert r.status_code == 404
    assert r.headers["x-request-id"] == "trace-123"
    assert r.json()["request_id"] == "trace-123"
    # query strings pass unchanged (the service validates them)
    r = await client.get("/api/v1/pledge/loans?limit=0", headers=bank)
    assert r.status_code == 422
    assert any(e["field"].endswith("limit") for e in r.json()["errors"])
    # a write with its body and Idempotency-Key: the operator registers a bank, replayed once
    body = {"id": "bank-a", "name": "Bank A"}
    first = await client.post("/api/v1/pledge/banks", json=body, headers={**operator, "Idempotency-Key": "k-1"})
    again = await client.post("/api/v1/pledge/banks", json=body, headers={**operator, "Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.json() == first.json()
    # the service verifies the token again itself: without one the service says 401
    r = await client.get("/api/v1/pledge/loans")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    # the bank sees its tenant only: a role the service refuses is the service's 403
    r = await client.post("/api/v1/pledge/banks", json={"id": "x", "name": "X"}, headers=bank)
    assert r.status_code == 403


async def test_circuit_opens_after_repeated_failures(routed) -> None:
    app, client, operator, _ = routed
    for _ in range(3):
        r = await client.get("/api/v1/trusteeship/enterprises", headers=operator)
        assert r.json()["type"] == "/problems/upstream-unavailable"
    r = await client.get("/api/v1/trusteeship/enterprises", headers=operator)
    assert r.status_code == 503
    assert r.json()["type"] == "/problems/upstream-circuit-open"
    assert app.state.upstreams.get("trusteeship").breaker.state.value == "open"
    # the others are untouched by trusteeship's circuit
    assert app.state.upstreams.get("pledge").breaker.state.value == "closed"


async def test_readiness_names_what_is_down(routed) -> None:
    _, client, _, _ = routed
    r = await client.get("/readyz")
    assert r.status_code == 503
    report = r.json()
    assert report["services"]["pledge"]["status"] == "up", report["services"]["pledge"]
    assert report["services"]["pledge"]["checks"]["database"]["status"] == "up"
    assert set(report["down"]) == {"trusteeship", "navigation", "enforcement", "operations"}
    assert report["checks"]["database"]["status"] == "up"
    # the 503 is the readiness report the document declares for it, not a problem (#15)
    assert r.headers["content-type"] == "application/json"
    ReadinessReport.model_validate(report)
    declared = (await client.get("/openapi.json")).json()["paths"]["/readyz"]["get"]["responses"]["503"]
    assert declared["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/ReadinessReport"}}}
    # the gateway's own readiness, for a load balancer in front of it
    own = await client.get("/readyz?scope=self")
    assert own.status_code == 200, own.text
    assert own.json()["services"] == {}


async def test_retries_only_for_idempotent_requests(gateway_settings) -> None:
    async with counting_server() as (url, seen):
        settings = gateway_settings(
            pledge_url=url, upstream_retries=2, upstream_retry_backoff=0.01, breaker_failure_threshold=100
        )
        async with gateway_client(settings) as (_, client):
            operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
            r = await client.get("/api/v1/pledge/loans", headers=operator)
            assert r.status_code == 502
            assert len(seen) == 3  # one try and two retries
            seen.clear()
            r = await client.post("/api/v1/pledge/banks", json={}, headers=operator)
            assert r.status_code == 502
            assert len(seen) == 1  # a write without Idempotency-Key is never repeated
            seen.clear()
            r = await client.post("/api/v1/pledge/banks", json={}, headers={**operator, "Idempotency-Key": "a"})
            assert len(seen) == 3  # with a key the service deduplicates, so a retry is safe


async def test_readiness_ready_when_everything_is(settings_for, gateway_settings, gateway_keys) -> None:
    async with pledge_upstream(settings_for, gateway_keys) as pledge_url:
        settings = gateway_settings(
            pledge_url=pledge_url,
            trusteeship_url=pledge_url,
            navigation_url=pledge_url,
            enforcement_url=pledge_url,
            operations_url=pledge_url,
        )
        async with gateway_client(settings) as (_, client):
            # A service just started answers its first readiness probe slowly (the first Kafka
            # metadata round trip), and four upstreams here are one process: poll, as a probe does.
            async def ready() -> object:
                r = await client.get("/readyz")
                return r if r.status_code == 200 else None

            r = await testing.eventually(ready, timeout=30, interval=0.5, message="the gateway reports ready")
    assert r.json()["down"] == []


async def test_forwarded_requests_are_counted_per_service(routed) -> None:
    _, client, _, bank = routed
    await client.get("/api/v1/pledge/loans", headers=bank)
    metrics = (await client.get("/metrics")).text
    assert 'route="/api/v1/pledge/{path}",service="gateway"' in metrics
    # (the pledge app runs in this process too: its own series name its routes)
    gateway_series = [line for line in metrics.splitlines() if 'service="gateway"' in line]
    assert not any("/api/v1/pledge/loans" in line for line in gateway_series)
