"""How the gateway talks to the four services: one connection pool per upstream, connect and
read timeouts, retries for idempotent requests only, and a circuit breaker per upstream.

Failures are sorted into what the caller is told:
- the service cannot be reached (refused, reset, DNS) -> `unavailable` (503, retryable);
- the circuit is open after repeated failures -> `circuit_open` (503 with Retry-After);
- the service took too long -> `timeout` (504);
- the service answered with something that is not HTTP, or hung up mid-answer -> `bad_response` (502).

Two client libraries sit behind one small interface: aiohttp (the default) and httpx. httpx's
AsyncClient pool is known to be slow under many concurrent requests (httpx issue 3215); the
benchmark script measures both, and the README records the figures that led to the choice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import aiohttp
import httpx

from gateway.breaker import CircuitBreaker
from gateway.config import GatewaySettings

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


class Transport(Protocol):
    """One HTTP client library, reduced to what forwarding needs."""

    async def send(
        self, method: str, url: str, headers: Sequence[tuple[str, str]], body: bytes, *, timeout: float | None = None
    ) -> UpstreamResponse: ...

    async def close(self) -> None: ...


class AiohttpTransport:
    """aiohttp ClientSession with a per-host connection pool."""

    def __init__(self, settings: GatewaySettings) -> None:
        connector = aiohttp.TCPConnector(
            limit=0,  # no global cap; each upstream host gets its own
            limit_per_host=settings.upstream_pool_size,
            ttl_dns_cache=300,
            keepalive_timeout=30,
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
        # aiohttp silently repeats a GET once after a disconnect; retries are the gateway's
        # decision (counted, backed off, and visible to the breaker), so its own is switched off.
        self._session._retry_connection = False

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


class HttpxTransport:
    """httpx AsyncClient with explicit pool limits (kept to measure against aiohttp)."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=settings.upstream_connect_timeout,
                read=settings.upstream_read_timeout,
                write=settings.upstream_read_timeout,
                pool=settings.upstream_connect_timeout,
            ),
            limits=httpx.Limits(
                max_connections=settings.upstream_pool_size * 4,
                max_keepalive_connections=settings.upstream_pool_size * 4,
            ),
            follow_redirects=False,
            # httpx asks for gzip by default and decodes it, which would leave the forwarded
            # Content-Encoding header wrong: ask for the body as the service has it.
            headers={"accept-encoding": "identity"},
        )

    async def send(
        self, method: str, url: str, headers: Sequence[tuple[str, str]], body: bytes, *, timeout: float | None = None
    ) -> UpstreamResponse:
        try:
            response = await self._client.request(
                method,
                url,
                headers=list(headers),
                content=body or None,
                timeout=httpx.Timeout(timeout) if timeout else httpx.USE_CLIENT_DEFAULT,
            )
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransportFailure("timeout", f"connect timeout: {exc!r}", retryable=True) from exc
        except httpx.TimeoutException as exc:
            raise TransportFailure("timeout", f"read timeout: {exc!r}", retryable=False) from exc
        except httpx.ConnectError as exc:
            raise TransportFailure("unavailable", f"cannot connect: {exc!r}", retryable=True) from exc
        except httpx.RemoteProtocolError as exc:
            raise TransportFailure("bad_response", f"invalid response: {exc!r}", retryable=True) from exc
        except httpx.HTTPError as exc:
            raise TransportFailure("bad_response", f"invalid response: {exc!r}", retryable=False) from exc
        return UpstreamResponse(response.status_code, list(response.headers.multi_items()), response.content)

    async def close(self) -> None:
        await self._client.aclose()


def make_transport(settings: GatewaySettings) -> Transport:
    """The configured client library."""
    if settings.upstream_client == "httpx":
        return HttpxTransport(settings)
    return AiohttpTransport(settings)


class Upstream:
    """One service behind the gateway."""

    def __init__(self, name: str, base_url: str, settings: GatewaySettings, transport: Transport) -> None:
        self.name = name
        self.base_url = base_url
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold, open_seconds=settings.breaker_open_seconds
        )
        self._settings = settings
        self._transport = transport

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
        for attempt in range(attempts):
            if use_breaker and not self.breaker.allow():
                raise UpstreamError(
                    self.name,
                    "circuit_open",
                    "the service failed repeatedly; the gateway is not sending it requests for now",
                    retry_after=self.breaker.retry_after(),
                )
            try:
                response = await self._transport.send(method, url, headers, body, timeout=timeout)
            except TransportFailure as failure:
                if use_breaker:
                    self.breaker.record_failure()
                if failure.retryable and attempt + 1 < attempts:
                    await asyncio.sleep(self._settings.upstream_retry_backoff * 2**attempt)
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


class UpstreamPool:
    """All upstreams, sharing one client (which pools connections per host)."""

    def __init__(self, settings: GatewaySettings, urls: Mapping[str, str] | None = None) -> None:
        self._transport = make_transport(settings)
        self.upstreams = {
            name: Upstream(name, url, settings, self._transport)
            for name, url in (urls or settings.upstream_urls()).items()
        }

    def get(self, name: str) -> Upstream | None:
        """The upstream called `name`, None when there is none."""
        return self.upstreams.get(name)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._transport.close()

    async def get_json(self, name: str, path: str, timeout: float) -> tuple[int, Any]:
        """A GET for the gateway's own use (readiness, OpenAPI); not counted by the breaker."""
        import json

        response = await self.upstreams[name].request(
            "GET", path, [("accept", "application/json")], b"", idempotent=False, timeout=timeout, use_breaker=False
        )
        try:
            return response.status, json.loads(response.body)
        except ValueError as exc:
            raise UpstreamError(name, "bad_response", "answer is not JSON") from exc
