"""How the gateway talks to the four services: one connection pool per upstream, connect and
read timeouts, retries for idempotent requests only, and a circuit breaker per upstream.

Failures are sorted into what the caller is told:
- the service cannot be reached (refused, reset, DNS) -> `unavailable` (503, retryable);
- the circuit is open after repeated failures -> `circuit_open` (503 with Retry-After);
- the service took too long -> `timeout` (504);
- the service answered with something that is not HTTP, or hung up mid-answer -> `bad_response` (502).

While an upstream's circuit is open the gateway asks the service's `/readyz` every
`breaker_probe_seconds`; the first ready answer (to that probe or to the gateway's own readiness)
closes the circuit, so a restarted service is served as soon as it is ready.

The client is aiohttp: httpx's AsyncClient pool is slow under many concurrent requests (httpx
issue 3215); the README records the figures that led to the choice. Retries are the gateway's
own (counted by the breaker, backed off with `ipops.backoff.Backoff`), so aiohttp's silent retry
of idempotent requests is switched off (see `AiohttpTransport`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp

from gateway.breaker import BreakerState, CircuitBreaker
from gateway.config import GatewaySettings
from ipops.backoff import Backoff

log = logging.getLogger(__name__)

FailureKind = Literal["unavailable", "circuit_open", "timeout", "bad_response"]


@dataclass(frozen=True)
class UpstreamResponse:
    """A complete answer of an upstream (the gateway buffers: bodies are small JSON)."""

    status: int
    headers: Sequence[tuple[str, str]]
    body: bytes


class UpstreamError(Exception):
    """The upstream could not give an answer."""

    def __init__(self, service: str, kind: FailureKind, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{service}: {kind}: {detail}")
        self.service = service
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


class TransportFailure(Exception):
    """One attempt failed; `retryable` when the request surely did not reach the application."""

    def __init__(self, kind: FailureKind, detail: str, *, retryable: bool) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.retryable = retryable


UPSTREAM_KEEPALIVE_SECONDS = 4.0


class AiohttpTransport:
    """aiohttp ClientSession with a per-host connection pool."""

    def __init__(self, settings: GatewaySettings) -> None:
        connector = aiohttp.TCPConnector(
            limit=0,  # no global cap; each upstream host gets its own
            limit_per_host=settings.upstream_pool_size,
            ttl_dns_cache=300,
            # Below uvicorn's keep-alive (5 s): a connection the service has closed as idle is
            # never picked from the pool, where writing to it failed as a 502.
            keepalive_timeout=UPSTREAM_KEEPALIVE_SECONDS,
        )
        self._connect = settings.upstream_connect_timeout
        self._read = settings.upstream_read_timeout
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._connect, sock_read=self._read),
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding"),
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        _disable_silent_retry(self._session)

    async def send(
        self, method: str, url: str, headers: Sequence[tuple[str, str]], body: bytes, *, timeout: float | None = None
    ) -> UpstreamResponse:
        request_timeout = (
            aiohttp.ClientTimeout(total=timeout, sock_connect=min(self._connect, timeout)) if timeout else None
        )
        try:
            async with self._session.request(
                method,
                url,
                headers=list(headers),  # a list of pairs keeps repeated headers
                data=body or None,
                allow_redirects=False,
                timeout=request_timeout or aiohttp.helpers.sentinel,
            ) as response:
                payload = await response.read()
                out = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
                return UpstreamResponse(response.status, out, payload)
        except aiohttp.ConnectionTimeoutError as exc:
            raise TransportFailure("timeout", f"connect timeout: {exc}", retryable=True) from exc
        except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
            raise TransportFailure("timeout", f"read timeout: {exc}", retryable=False) from exc
        except aiohttp.ClientConnectorError as exc:
            raise TransportFailure("unavailable", f"cannot connect: {exc}", retryable=True) from exc
        except aiohttp.ServerDisconnectedError as exc:
            # Often a kept-alive connection the server had just closed: safe to retry if idempotent.
            raise TransportFailure("bad_response", f"server disconnected: {exc}", retryable=True) from exc
        except aiohttp.ClientError as exc:
            raise TransportFailure("bad_response", f"invalid response: {exc!r}", retryable=False) from exc

    async def close(self) -> None:
        await self._session.close()


def _disable_silent_retry(session: aiohttp.ClientSession) -> None:
    """Switch off aiohttp's own retry: it repeats an idempotent request (GET, PUT, DELETE, ...)
    once when a kept-alive connection turns out closed, unseen by the caller. Retries are the
    gateway's decision (only idempotent or keyed requests, counted by the breaker, backed off).

    aiohttp offers no public way to do this: ClientSession has no parameter for it (up to 3.14;
    aio-libs/aiohttp issue 10790 asked for one), and when the switch was added for aiohttp's own
    test client the maintainers chose a private attribute (pull request 9396). So that attribute
    is set here, and tests/gateway/test_upstream.py checks that a request on a connection the
    service closed is sent once, not twice; should a new aiohttp drop the attribute, this fails
    at start-up rather than retrying silently."""
    if not hasattr(session, "_retry_connection"):
        raise RuntimeError("this aiohttp has no ClientSession._retry_connection; see gateway/upstream.py")
    session._retry_connection = False


def is_ready(status: int, body: Any) -> bool:
    """Whether a service's `/readyz` answer says it is ready."""
    return status == 200 and isinstance(body, dict) and body.get("status") == "ready"


class Upstream:
    """One service behind the gateway."""

    def __init__(self, name: str, base_url: str, settings: GatewaySettings, transport: AiohttpTransport) -> None:
        self.name = name
        self.base_url = base_url
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold, open_seconds=settings.breaker_open_seconds
        )
        self._settings = settings
        self._transport = transport
        self._probe: asyncio.Task[None] | None = None

    async def get_json(self, path: str, timeout: float) -> tuple[int, Any]:
        """A GET for the gateway's own use (readiness, OpenAPI); not counted by the breaker."""
        response = await self.request(
            "GET", path, [("accept", "application/json")], b"", idempotent=False, timeout=timeout, use_breaker=False
        )
        try:
            return response.status, json.loads(response.body)
        except ValueError as exc:
            raise UpstreamError(self.name, "bad_response", "answer is not JSON") from exc

    async def readiness(self, timeout: float) -> tuple[int, Any]:
        """The service's `/readyz` answer; a ready one closes the circuit at once."""
        status, body = await self.get_json("/readyz", timeout)
        if is_ready(status, body) and self.breaker.state is not BreakerState.CLOSED:
            self.breaker.close()
            log.info("circuit closed: the service is ready", extra={"upstream": self.name})
        return status, body

    def _probe_while_open(self) -> None:
        """Start asking the service whether it is ready, unless that is under way."""
        if self.breaker.state is BreakerState.OPEN and (self._probe is None or self._probe.done()):
            self._probe = asyncio.create_task(self._probe_until_closed(), name=f"probe-{self.name}")

    async def _probe_until_closed(self) -> None:
        while self.breaker.state is not BreakerState.CLOSED:
            await asyncio.sleep(self._settings.breaker_probe_seconds)
            with contextlib.suppress(UpstreamError):
                await self.readiness(self._settings.readiness_timeout)

    def stop_probing(self) -> None:
        """Cancel the readiness probe (the gateway is stopping)."""
        if self._probe is not None:
            self._probe.cancel()

    async def request(
        self,
        method: str,
        path: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        *,
        idempotent: bool,
        timeout: float | None = None,
        use_breaker: bool = True,
    ) -> UpstreamResponse:
        """Send one request (retrying idempotent ones after connection failures)."""
        attempts = 1 + (self._settings.upstream_retries if idempotent else 0)
        url = self.base_url + path
        # 0.05 s, then 0.1 s with the default settings (doubling; never over a second unless the
        # first delay is longer).
        first = self._settings.upstream_retry_backoff
        backoff = Backoff(first=first, cap=max(1.0, first))
        for attempt in range(attempts):
            self._check_breaker(use_breaker)
            try:
                response = await self._transport.send(method, url, headers, body, timeout=timeout)
            except TransportFailure as failure:
                if use_breaker:
                    self.breaker.record_failure()
                    self._probe_while_open()
                if failure.retryable and attempt + 1 < attempts:
                    await backoff.wait()
                    continue
                # Probes (readiness, OpenAPI) fail every few seconds while a service is down: quieter.
                log.log(
                    logging.WARNING if use_breaker else logging.DEBUG,
                    "upstream failed",
                    extra={"upstream": self.name, "kind": failure.kind, "error": failure.detail},
                )
                raise UpstreamError(self.name, failure.kind, failure.detail) from failure
            if use_breaker:
                self.breaker.record_success()
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _check_breaker(self, use_breaker: bool) -> None:
        if use_breaker and not self.breaker.allow():
            raise UpstreamError(
                self.name,
                "circuit_open",
                "the service failed repeatedly; the gateway is not sending it requests for now",
                retry_after=self.breaker.retry_after(),
            )


class UpstreamPool:
    """All upstreams, sharing one client (which pools connections per host): one per gateway."""

    def __init__(self, settings: GatewaySettings, urls: Mapping[str, str] | None = None) -> None:
        self._transport = AiohttpTransport(settings)
        self.upstreams = {
            name: Upstream(name, url, settings, self._transport)
            for name, url in (urls or settings.upstream_urls()).items()
        }

    def get(self, name: str) -> Upstream | None:
        """The upstream called `name`, None when there is none."""
        return self.upstreams.get(name)

    async def close(self) -> None:
        """Stop the probes and close every pooled connection."""
        for upstream in self.upstreams.values():
            upstream.stop_probing()
        await self._transport.close()

    async def get_json(self, name: str, path: str, timeout: float) -> tuple[int, Any]:
        """A GET for the gateway's own use (readiness, OpenAPI); not counted by the breaker."""
        return await self.upstreams[name].get_json(path, timeout)
