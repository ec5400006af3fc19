"""Test helpers on the real infrastructure: a fresh PostgreSQL database or SQLite file per test
app, a unique topic prefix per test, signed tokens, and `eventually` polling instead of sleeps.

`make test` starts a dedicated Kafka broker and PostgreSQL and exports `IPOPS_TEST_KAFKA` and
`IPOPS_TEST_PG_URL`; without them the fixtures fail (they never skip).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import asyncpg
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

T = TypeVar("T")


def require_env(name: str) -> str:
    """An environment variable the test infrastructure sets; fails loudly when absent."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the suite with `make test`, which starts Kafka and PostgreSQL")
    return value


def kafka_bootstrap() -> str:
    """The test broker."""
    return require_env("IPOPS_TEST_KAFKA")


def postgres_admin_url() -> str:
    """URL of the `postgres` database of the test server (asyncpg dialect)."""
    return require_env("IPOPS_TEST_PG_URL")


def unique_name(prefix: str) -> str:
    """`prefix` plus 8 hex characters."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(prefix: str = "t_") -> str:
    """Create an empty PostgreSQL database; returns its asyncpg URL."""
    admin = postgres_admin_url()
    name = unique_name(prefix)
    conn = await asyncpg.connect(_plain(admin))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    """Drop a database made by `create_database`, closing its leftover connections."""
    name = make_url(url).database
    conn = await asyncpg.connect(_plain(postgres_admin_url()))
    try:
        for attempt in range(10):
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except asyncpg.PostgresError:
                # A backend the server itself runs (autovacuum, a closing session) may hold the
                # database for a moment; a test database left behind is harmless, so give up quietly.
                if attempt == 9:
                    return
                await asyncio.sleep(0.3)
    finally:
        await conn.close()


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: float = 20.0,
    interval: float = 0.1,
    message: str = "condition not met",
) -> T:
    """Poll `probe` until it returns a truthy value (which is returned) or time runs out."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = await probe()
        except AssertionError as exc:
            last = exc
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} within {timeout}s (last: {last!r})")
        await asyncio.sleep(interval)


class TokenFactory:
    """Issues RS256 tokens the way the gateway does, from a key made for the test run."""

    def __init__(self, *, issuer: str = "ipops-test", audience: str = "ipops") -> None:
        self.issuer = issuer
        self.audience = audience
        self.kid = uuid.uuid4().hex[:12]
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def public_pem(self) -> str:
        """The verifying key, for `jwt_public_keys`."""
        return (
            self._key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def token(
        self,
        role: str,
        tenant: str | None = None,
        *,
        subject: str | None = None,
        ttl: timedelta = timedelta(minutes=10),
        **claims: Any,
    ) -> str:
        """A signed token for `role` (and `tenant`)."""
        now = datetime.now(UTC)
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject or f"{role}-{tenant or 'op'}",
            "role": role,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
        }
        if tenant is not None:
            body["tenant"] = tenant
        body.update(claims)
        return jwt.encode(body, self._key, algorithm="RS256", headers={"kid": self.kid})

    def headers(self, role: str, tenant: str | None = None, **claims: Any) -> dict[str, str]:
        """An Authorization header for `role` (and `tenant`)."""
        return {"Authorization": f"Bearer {self.token(role, tenant, **claims)}"}


def saved_workbook(book: Any) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file."""
    import io

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_of(rows: list[list[object]]) -> bytes:
    """An .xlsx file whose first sheet holds `rows` (the first is the header, if any)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    return saved_workbook(book)


class Statements:
    """The SQL statements every engine of this process sends while `counting()` (the outbox's
    NOTIFY after a commit not counted): round trips per request, bounded in tests (#17)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._on = False

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self._on and not statement.startswith("NOTIFY"):
            self.seen.append(statement)

    @contextlib.contextmanager
    def counting(self) -> Iterator[list[str]]:
        """The statements sent inside the block (the list fills as they are sent)."""
        self.seen = []
        event.listen(Engine, "before_cursor_execute", self._record)
        self._on = True
        try:
            yield self.seen
        finally:
            self._on = False
            event.remove(Engine, "before_cursor_execute", self._record)
