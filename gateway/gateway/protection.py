"""What the gateway does to every request before routing it: body-size limit, token
verification, rate limits, and security headers on every answer. Pure ASGI middleware, so no
request body is buffered and no task is spawned per request.

Rate limits are token buckets, one per client (the token's subject) and one per anonymous
address; an operator's client has the operator quota, a bank's or an agency's the client quota.
Each bucket holds `requests` tokens and refills them evenly over `window` seconds, so a client may
burst up to `requests` and then sustain `requests / window` per second. The answer
carries the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy`
states the quota, `RateLimit` what is left and when the bucket is full again; a refusal is 429
with `Retry-After`. Buckets live in the process: with several gateway replicas each enforces
its own share (set the quotas per replica accordingly).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cachetools import TLRUCache
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.identity import claimed_generation
from gateway.revocation import Revocations
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


@dataclass(frozen=True)
class Verified:
    """A token that verified: its caller, and the client generation it was issued under."""

    principal: Principal
    generation: int = 0


class VerifiedTokens:
    """Tokens verified lately, with their principal, until they expire (at most `max_age`).

    Verifying a token costs more than forwarding the request it comes with (RSA, and PyJWT's
    per-character base64 checks); a client sends the same token for its whole life, so the
    result is kept. A token is immutable and carries its own expiry, so a kept result cannot
    grow stale, except that a rotated-out key would still be accepted until the token's `exp`,
    which is when it would have stopped being published anyway. Revocation is checked after a
    hit as after a verification (`AccessMiddleware`), so a kept token is no way around it.

    Each entry expires at the verified token's `exp` (`Principal.expires_at`, from the claims
    the verifier checked; the token is not decoded a second time), or `max_age` after it was
    kept, whichever comes first; a principal without an expiry is not kept. At most
    `max_entries` are kept, the least recently used going first. `timer` is the wall clock in
    Unix seconds (the unit of `exp`), injectable for tests."""

    def __init__(
        self, *, max_entries: int = 20_000, max_age: float = 300.0, timer: Callable[[], float] = time.time
    ) -> None:
        self._max_age = max_age
        self._entries: TLRUCache[str, Verified] = TLRUCache(maxsize=max_entries, ttu=self._expires, timer=timer)

    def _expires(self, _token: str, verified: Verified, now: float) -> float:
        expires_at = verified.principal.expires_at
        if expires_at is None:
            return now  # expired at once: TLRUCache does not keep it
        return min(expires_at, now + self._max_age)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> Verified | None:
        """A token verified before and not yet expired."""
        verified: Verified | None = self._entries.get(token)
        return verified

    def put(self, token: str, verified: Verified) -> None:
        """Remember a token that just verified."""
        self._entries[token] = verified


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class AccessMiddleware:
    """Verifies a bearer token (401 when it does not verify or its client's tokens were revoked)
    and applies the rate limit of the caller: the token's subject, or the client address when
    there is no token."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        verifier_of: VerifierSource,
        client_policy: Policy,
        anonymous_policy: Policy,
        token_policy: Policy | None = None,
        operator_policy: Policy | None = None,
        revocations: Revocations | None = None,
    ) -> None:
        self.app = app
        self._verifier_of = verifier_of
        self._revocations = Revocations() if revocations is None else revocations
        self._client = client_policy
        self._anonymous = anonymous_policy
        self._token = token_policy
        self._operator = operator_policy or client_policy
        self.buckets = TokenBuckets()
        self.verified = VerifiedTokens()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        try:
            principal = await self._principal(scope)
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
        if principal is not None:
            scope.setdefault("state", {})["principal"] = principal
        policy, key = self._policy_for(scope, principal)
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

    async def _principal(self, scope: Scope) -> Principal | None:
        """The verified caller of a request with a bearer token (kept or verified now), None
        without one; Unauthorized when the token does not verify or has been revoked."""
        authorization = _header(scope, b"authorization")
        if not authorization or authorization[:7].lower() != "bearer ":
            return None
        token = authorization[7:].strip()
        verified = self.verified.get(token)
        if verified is None:
            verified = Verified(await self._verifier_of().verify(token), claimed_generation(token))
            self.verified.put(token, verified)
        if self._revocations.refused(verified.principal.subject, verified.generation):
            raise Unauthorized("token revoked: its client was disabled or given a new secret; obtain a new token")
        return verified.principal

    def _policy_for(self, scope: Scope, principal: Principal | None) -> tuple[Policy, str]:
        """The quota that applies and the bucket it is counted in."""
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if self._token is not None and scope["path"] == "/oauth/token":
            return self._token, f"ip:{address}"
        if principal is not None:
            policy = self._operator if principal.is_operator else self._client
            return policy, f"sub:{principal.subject}"
        return self._anonymous, f"ip:{address}"


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
            await self.refuse(scope, receive, send)
            return
        guard = _BodyGuard(self, scope, receive, send)
        try:
            await self.app(scope, guard.receive, guard.send)
        except BodyTooLarge:
            if guard.started:
                raise
            await self.refuse(scope, receive, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 and ask the client to close the connection (the rest of the body is not read)."""
        response = problem(
            413,
            type_slug="payload-too-large",
            detail=f"the request body is larger than {self.max_bytes} bytes",
            instance=scope["path"],
            max_bytes=self.max_bytes,
        )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class _BodyGuard:
    """One request's view of its body for BodyLimitMiddleware: counts what the app reads and
    answers 413 as soon as the count passes the limit.

    Past the limit the 413 is sent at once and the app is told the client left: a framework
    that reads the body itself (FastAPI turns any error while reading into a 400) then stops
    without answering a second time. Once the app has started its answer no 413 can be sent,
    and BodyTooLarge is raised instead."""

    def __init__(self, limit: BodyLimitMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
        self._limit = limit
        self._scope = scope
        self._receive = receive
        self._send = send
        self.seen = 0
        self.started = False
        self.refused = False

    async def receive(self) -> Message:
        """The next message of the request, or a disconnect once the body was refused."""
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self._limit.max_bytes:
                return await self._over_limit()
        return message

    async def _over_limit(self) -> Message:
        if self.started:
            raise BodyTooLarge
        self.refused = True
        await self._limit.refuse(self._scope, self._receive, self._send)
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        """Pass the app's answer on, unless the 413 went out already."""
        if self.refused:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


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
