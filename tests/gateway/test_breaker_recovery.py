"""A service that restarts is served again as soon as it says it is ready, not when its circuit's
pause is over: the first good readiness answer closes the circuit, whether the gateway's
`/readyz` asked or the gateway's own probe of a service whose circuit is open. The breaker runs on
a clock that never moves, so only the readiness answer can close it; the service is the real
pledge app under uvicorn, stopped and started again on the same port."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.breaker import BreakerState, CircuitBreaker
from pledge.config import PledgeSettings
from pledge.main import create_app as create_pledge
from tests import testing
from tests.gateway.conftest import OPERATOR_ID, OPERATOR_SECRET, bearer, free_port, gateway_client, serve_uvicorn
from tests.gateway.test_limits_and_breaker import FakeClock

THRESHOLD = 2


class Restartable:
    """The pledge service on a fixed port, started and stopped at will."""

    def __init__(self, settings: PledgeSettings, port: int) -> None:
        self.settings = settings
        self.port = port

    def running(self) -> contextlib.AbstractAsyncContextManager[str]:
        return serve_uvicorn(create_pledge(self.settings), port=self.port)


@pytest.fixture
async def restarting(settings_for, gateway_settings, gateway_keys) -> AsyncIterator[tuple[Restartable, Any]]:
    """(the pledge service, not started; a function giving the gateway in front of it)."""
    url = await testing.create_database("t_gwpledge_")
    port = free_port()
    pledge = Restartable(
        settings_for(
            PledgeSettings,
            url,
            jwt_public_keys=[gateway_keys.active.public_pem()],
            jwt_issuer="ipops-gateway",
            run_background_tasks=False,
        ),
        port,
    )

    def gateway(**overrides: Any) -> contextlib.AbstractAsyncContextManager[tuple[FastAPI, httpx.AsyncClient]]:
        settings = gateway_settings(
            pledge_url=f"http://127.0.0.1:{port}",
            breaker_failure_threshold=THRESHOLD,
            upstream_retries=0,
            **overrides,
        )
        return gateway_client(settings)

    try:
        yield pledge, gateway
    finally:
        await testing.drop_database(url)


async def _open_the_circuit(app: FastAPI, client: httpx.AsyncClient, operator: dict[str, str]) -> CircuitBreaker:
    """Put the pledge upstream's breaker on a still clock and fail it open (the service is down)."""
    breaker = CircuitBreaker(failure_threshold=THRESHOLD, open_seconds=10.0, clock=FakeClock())
    app.state.upstreams.get("pledge").breaker = breaker
    for _ in range(THRESHOLD):
        r = await client.get("/api/v1/pledge/banks", headers=operator)
        assert r.json()["type"] == "/problems/upstream-unavailable", r.text
    r = await client.get("/api/v1/pledge/banks", headers=operator)
    assert r.json()["type"] == "/problems/upstream-circuit-open"
    assert breaker.state is BreakerState.OPEN
    return breaker


async def test_readiness_closes_the_circuit_of_a_service_back_up(restarting) -> None:
    pledge, gateway = restarting
    # The gateway's own probe is slowed down so that only /readyz can close the circuit here.
    async with gateway(breaker_probe_seconds=3600.0) as (app, client):
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        async with pledge.running():
            assert (await client.get("/api/v1/pledge/banks", headers=operator)).status_code == 200
        breaker = await _open_the_circuit(app, client, operator)
        report = (await client.get("/readyz")).json()
        assert report["services"]["pledge"]["status"] == "down"
        assert report["services"]["pledge"]["circuit"] == "open"

        async with pledge.running():
            report = (await client.get("/readyz")).json()
            # What readiness says is what a request meets: up, and served.
            assert report["services"]["pledge"]["status"] == "up"
            assert report["services"]["pledge"]["circuit"] == "closed"
            assert breaker.state is BreakerState.CLOSED
            r = await client.get("/api/v1/pledge/banks", headers=operator)
            assert r.status_code == 200, r.text


async def test_the_gateway_probes_a_service_whose_circuit_is_open(restarting) -> None:
    pledge, gateway = restarting
    async with gateway(breaker_probe_seconds=0.1) as (app, client):
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        breaker = await _open_the_circuit(app, client, operator)
        async with pledge.running():

            async def closed() -> bool:
                return breaker.state is BreakerState.CLOSED

            # Nobody asks /readyz (a load balancer probes `?scope=self`): the gateway asks the service.
            await testing.eventually(closed, timeout=10, interval=0.05, message="the circuit stays open")
            r = await client.get("/api/v1/pledge/banks", headers=operator)
            assert r.status_code == 200, r.text
