"""The upstream client on its own, against a raw server that closes a kept-alive connection
instead of answering: aiohttp's silent retry is off (the request is sent once and the failure
reaches the gateway), and the gateway's own retry, when allowed, recovers it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import pytest

from gateway.config import GatewaySettings
from gateway.upstream import (
    UPSTREAM_KEEPALIVE_SECONDS,
    AiohttpTransport,
    TransportFailure,
    Upstream,
    UpstreamError,
    _disable_silent_retry,
)

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


@contextlib.asynccontextmanager
async def closing_keepalive_server() -> AsyncIterator[tuple[str, list[int]]]:
    """Answers the first request of a connection and keeps it open, then hangs up on the second
    request of that connection without answering (a service restarting between two requests).
    Counts every request it reads, by connection number."""
    seen: list[int] = []
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        number = connections
        try:
            await reader.readuntil(b"\r\n\r\n")
            seen.append(number)
            writer.write(OK)
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")
            seen.append(number)
        except asyncio.IncompleteReadError:
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", seen
    finally:
        server.close()


def settings(**overrides: object) -> GatewaySettings:
    return GatewaySettings(environment="test", upstream_retry_backoff=0.01, **overrides)


async def test_aiohttp_does_not_retry_silently() -> None:
    transport = AiohttpTransport(settings())
    try:
        async with closing_keepalive_server() as (url, seen):
            first = await transport.send("GET", url + "/", [], b"")
            assert (first.status, first.body) == (200, b"ok")
            with pytest.raises(TransportFailure) as failure:
                await transport.send("GET", url + "/", [], b"")  # the kept connection, closed on it
            assert failure.value.retryable
            # Sent once on the kept connection; aiohttp's own retry would have opened a second
            # connection and answered 200 without the gateway knowing.
            assert seen == [1, 1]
    finally:
        await transport.close()


@pytest.mark.parametrize(("retries", "recovered"), [(0, False), (1, True)])
async def test_the_gateways_own_retry_decides(retries: int, recovered: bool) -> None:
    config = settings(upstream_retries=retries, breaker_failure_threshold=100)
    transport = AiohttpTransport(config)
    try:
        async with closing_keepalive_server() as (url, seen):
            upstream = Upstream("pledge", url, config, transport)
            await upstream.request("GET", "/", [], b"", idempotent=True)
            if recovered:
                response = await upstream.request("GET", "/", [], b"", idempotent=True)
                assert response.status == 200
                assert seen == [1, 1, 2]  # the retry went out on a new connection
            else:
                with pytest.raises(UpstreamError) as error:
                    await upstream.request("GET", "/", [], b"", idempotent=True)
                assert error.value.kind == "bad_response"
                assert seen == [1, 1]
    finally:
        await transport.close()


async def test_an_aiohttp_without_the_switch_is_refused() -> None:
    class Renamed:
        """Stands in for a future ClientSession whose private switch is gone."""

    with pytest.raises(RuntimeError):
        _disable_silent_retry(Renamed())  # type: ignore[arg-type]
    async with aiohttp.ClientSession() as session:
        _disable_silent_retry(session)


def test_the_pool_lets_go_of_a_connection_before_the_service_does() -> None:
    # uvicorn closes an idle kept-alive connection after 5 s (its timeout_keep_alive default); a
    # pooled connection kept longer was picked after the service had closed it, and the write
    # of the next request failed as a 502 (seen in the access matrix on a loaded machine).
    assert UPSTREAM_KEEPALIVE_SECONDS < 5
