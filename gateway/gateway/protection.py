"""What the gateway does to every request before routing it: body-size limit, token
verification, rate limits, and security headers on every answer. Pure ASGI middleware, so no
request body is buffered and no task is spawned per request.

Rate limits are token buckets, one per client (the token's subject) and one per anonymous
address. Each bucket holds `requests` tokens and refills them evenly over `window` seconds, so a
client may burst up to `requests` and then sustain `requests / window` per second. The answer
carries the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy`
states the quota, `RateLimit` what is left and when the bucket is full again; a refusal is 429
with `Retry-After`. Buckets live in the process: with several gateway replicas each enforces
its own share (set the quotas per replica accordingly).
"""

from __future__ import annotations

import base64
import json
import math
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipops.auth import Principal, TokenVerifier
from ipops.errors import Unauthorized
from ipops.http import problem

# Probes, static files and the JWKS (services fetch it to verify tokens: refusing them would
# lock everyone out) are never rate limited.
EXEMPT_PREFIXES = ("/healthz", "/readyz", "/metrics", "/static/", "/.well-known/")


@dataclass(frozen=True)
class Policy:
    """A quota: `requests` per `window` seconds (also the largest burst)."""

    name: str
    requests: int
    window: float

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return self.requests / self.window

    def header(self) -> str:
        """`RateLimit-Policy` field value."""
        return f'"{self.name}";q={self.requests};w={math.ceil(self.window)}'


@dataclass
class Decision:
    """The outcome of taking one token."""

    allowed: bool
    remaining: int
    reset_seconds: int  # until the bucket is full again
    retry_after: int  # until one token is available (0 when allowed)


class TokenBuckets:
    """Buckets by key; least recently used ones are forgotten beyond `max_keys` (a forgotten
    bucket comes back full, which only errs in the caller's favour)."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._max_keys = max_keys

    def take(self, policy: Policy, key: str, now: float | None = None) -> Decision:
        """Take one token from `key`'s bucket under `policy`."""
        now = time.monotonic() if now is None else now
        bucket_key = (policy.name, key)
        tokens, updated = self._buckets.pop(bucket_key, (float(policy.requests), now))
        tokens = min(float(policy.requests), tokens + (now - updated) * policy.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[bucket_key] = (tokens, now)
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        reset = math.ceil((policy.requests - tokens) / policy.rate) if tokens < policy.requests else 0
        retry = 0 if allowed else max(1, math.ceil((1.0 - tokens) / policy.rate))
        return Decision(allowed, int(tokens), reset, retry)


class VerifiedTokens:
    """Tokens verified lately, with their principal, until they expire (at most `max_age`).

    Verifying a token costs more than forwarding the request it comes with (RSA, and PyJWT's
    per-character base64 checks); a client sends the same token for its whole life, so the
    result is kept. A token is immutable and carries its own expiry, so a kept result cannot
    grow stale, except that a rotated-out key would still be accepted until the token's `exp`,
    which is when it would have stopped being published anyway."""

    def __init__(self, *, max_entries: int = 20_000, max_age: float = 300.0) -> None:
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._max_entries = max_entries
        self._max_age = max_age

    def get(self, token: str) -> Principal | None:
        """The principal of a token verified before and not yet expired."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        if entry[1] <= time.time():
            self._entries.pop(token, None)
            return None
        return entry[0]

    def put(self, token: str, principal: Principal) -> None:
        """Remember a token that just verified."""
        try:
            payload = token.split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            expires = float(claims["exp"])
        except (IndexError, ValueError, KeyError, TypeError):
            return
        self._entries[token] = (principal, min(expires, time.time() + self._max_age))
        if len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class AccessMiddleware:
    """Verifies a bearer token (401 when it does not verify) and applies the rate limit of the
    caller: the token's subject, or the client address when there is no token."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        verifier_of: VerifierSource,
        client_policy: Policy,
        anonymous_policy: Policy,
        token_policy: Policy | None = None,
    ) -> None:
        self.app = app
        self._verifier_of = verifier_of
        self._client = client_policy
        self._anonymous = anonymous_policy
        self._token = token_policy
        self.buckets = TokenBuckets()
        self.verified = VerifiedTokens()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        authorization = _header(scope, b"authorization")
        principal = None
        if authorization and authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
            try:
                principal = self.verified.get(token)
                if principal is None:
                    principal = await self._verifier_of().verify(token)
                    self.verified.put(token, principal)
            except Unauthorized as exc:
                response = problem(
                    401,
                    type_slug="unauthorized",
                    detail=exc.detail,
                    instance=scope["path"],
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
                await response(scope, receive, send)
                return
            scope.setdefault("state", {})["principal"] = principal
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if self._token is not None and scope["path"] == "/oauth/token":
            policy, key = self._token, f"ip:{address}"
        elif principal is not None:
            policy, key = self._client, f"sub:{principal.subject}"
        else:
            policy, key = self._anonymous, f"ip:{address}"
        decision = self.buckets.take(policy, key)
        fields = [
            (b"ratelimit-policy", policy.header().encode()),
            (
                b"ratelimit",
                f'"{policy.name}";r={decision.remaining};t={decision.reset_seconds}'.encode(),
            ),
        ]
        if not decision.allowed:
            response = problem(
                429,
                type_slug="rate-limited",
                detail=f"rate limit {policy.requests} requests per {policy.window:g} s exceeded; retry later",
                instance=scope["path"],
                headers={"Retry-After": str(decision.retry_after)},
            )
            response.raw_headers.extend(fields)
            await response(scope, receive, send)
            return

        async def send_with_fields(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *fields]}
            await send(message)

        await self.app(scope, receive, send_with_fields)


class VerifierSource:
    """Gives the current verifier (it is made in the lifespan, after the middleware)."""

    def __init__(self) -> None:
        self.verifier: TokenVerifier | None = None

    def __call__(self) -> TokenVerifier:
        if self.verifier is None:
            raise Unauthorized("the gateway is starting; retry")
        return self.verifier


class BodyTooLarge(Exception):
    """The request body passed the limit while being read."""


class BodyLimitMiddleware:
    """413 for a body over `max_bytes`: at once from Content-Length, or as soon as a chunked
    body passes the limit while the app reads it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False
        refused = False

        async def limited_receive() -> Message:
            # Past the limit the 413 is sent at once and the app is told the client left: a
            # framework that reads the body itself (FastAPI turns any error while reading into
            # a 400) then stops without answering a second time.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    if started:
                        raise BodyTooLarge
                    refused = True
                    await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 went out already
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            type_slug="payload-too-large",
            detail=f"the request body is larger than {self.max_bytes} bytes",
            instance=scope["path"],
            max_bytes=self.max_bytes,
        )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets style attributes as it renders: /docs alone allows inline styles (still no
# inline script and nothing from elsewhere).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def security_headers(*, hsts_seconds: int) -> list[tuple[bytes, bytes]]:
    """The headers every answer carries: no external sources, no framing, no sniffing."""
    out = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    if hsts_seconds > 0:
        out.append((b"strict-transport-security", f"max-age={hsts_seconds}; includeSubDomains".encode()))
    return out


class SecurityHeadersMiddleware:
    """Sets the security headers on every answer, replacing any an upstream sent."""

    def __init__(self, app: ASGIApp, *, headers: Iterable[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = list(headers)
        self._names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = self.headers
        if scope["path"] == "/docs":
            headers = [(k, DOCS_CSP.encode()) if k == b"content-security-policy" else (k, v) for k, v in headers]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self._names]
                message = {**message, "headers": [*kept, *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
