"""Database access: async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite), one
transaction helper, and a per-service table registry with the project's naming convention.

The entry point (a route or the consumer runner) owns the transaction through `transaction()`;
use cases only add and flush, so a state change, its outbox row and its idempotency record
commit together or not at all.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import registry
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from ipops import factory_defaults
from ipops.errors import Conflict

factory_defaults.install()  # before any table row is built: see the module

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SessionMaker = async_sessionmaker[AsyncSession]


class UtcDateTime(TypeDecorator[datetime]):
    """`timestamp with time zone`, always read back as an aware UTC datetime (SQLite stores no
    zone, so without this a value written aware would come back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(*, nullable: bool = False, index: bool = False) -> Column[Any]:
    """A fresh column for an aware UTC timestamp (`sa_column=utc_column()` on a `*_at` field)."""
    return Column(UtcDateTime(), nullable=nullable, index=index)


def new_registry() -> registry:
    """A table registry (and MetaData) of one service, so two services' tables never collide
    when one process imports both (the end-to-end tests do)."""
    return registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


# The platform's own tables (outbox, inbox, idempotency records) live in every service database.
platform_registry = new_registry()


class PlatformTable(SQLModel, registry=platform_registry):
    """Base of the tables every service database holds (outbox, inbox, idempotency records)."""


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; SQLite gets foreign keys, WAL and a busy timeout."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        # aiosqlite opens transactions lazily; BEGIN IMMEDIATE takes the write lock up front so
        # two writers queue instead of failing with "database is locked" at commit.
        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine.sync_engine, "connect")
        def _no_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_timeout", 10)
    if _plain_loopback(url):
        # asyncpg's default (sslmode "prefer") encrypts even a loopback connection when the server
        # offers TLS, as Debian's cluster does: every statement then pays TLS on both ends (seen in
        # the profiles of the event path and a claim). Bytes that never leave the host gain
        # nothing from it; a URL that names ssl/sslmode keeps what it says.
        kwargs.setdefault("connect_args", {}).setdefault("ssl", False)
    engine = create_async_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _check_on_checkout(engine)
    return engine


# A connection back from the pool after this long idle is pinged before use.
PING_AFTER_IDLE_SECONDS = 2.0


def _check_on_checkout(engine: AsyncEngine) -> None:
    """Hand out only live connections, at the price of a ping only where one is needed.

    SQLAlchemy's `pool_pre_ping` pings on every checkout, and on asyncpg a ping is three round
    trips (BEGIN, an empty query, ROLLBACK): half the statements of a list read (py-spy, #17).
    Instead: a connection asyncpg already knows is closed (a restarted server closes its
    sockets) is refused for free, and one idle for `PING_AFTER_IDLE_SECONDS` (long enough for a
    silent drop) is pinged. A connection found dead raises `DisconnectionError`, which makes the
    pool replace it with a new one (SQLAlchemy's documented pessimistic-disconnect recipe); one
    that fails in use invalidates every older connection of the pool as before."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["ipops_idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _live(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "_connection", None)
        if driver is not None and driver.is_closed():
            raise DisconnectionError("the server closed the connection")
        idle_since = record.info.pop("ipops_idle_since", None)
        if idle_since is not None and time.monotonic() - idle_since > PING_AFTER_IDLE_SECONDS:
            try:
                dbapi_connection.ping()
            except Exception as exc:
                raise DisconnectionError(f"ping failed: {exc!r}") from exc


def _plain_loopback(url: str) -> bool:
    """A PostgreSQL URL to this host (or a Unix socket) that says nothing about TLS."""
    parsed = make_url(url)
    if "ssl" in parsed.query or "sslmode" in parsed.query:
        return False
    host = parsed.host or parsed.query.get("host") or ""
    return host in ("", "localhost", "127.0.0.1", "::1") or str(host).startswith("/")


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@contextlib.asynccontextmanager
async def transaction(sessionmaker: SessionMaker) -> AsyncIterator[AsyncSession]:
    """One unit of work: commits when the block ends, rolls back when it raises."""
    async with sessionmaker() as session, session.begin():
        yield session


def dialect_name(session: AsyncSession) -> str:
    """`postgresql` or `sqlite`: the few statements that differ (locks, upserts) branch on it."""
    return session.get_bind().dialect.name


async def ping(engine: AsyncEngine) -> None:
    """Raise when the database cannot answer a trivial query."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def flush_or_conflict(session: AsyncSession, message: str) -> None:
    """Flush; a unique key taken by a concurrent request (with another Idempotency-Key) is a 409
    with `message`, not a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(message) from exc


class district_year(FunctionElement[int]):
    """SQL for the district's (Beijing) calendar year of an aware timestamp column, so a figure
    grouped by year in the database agrees with `ipops.clock.district_year`: an event at 20:00 UTC
    on 31 December counts in the next year. PostgreSQL converts with the zone (independent of the
    session's TimeZone); SQLite shifts the stored UTC text by eight hours."""

    type = Integer()
    inherit_cache = True


@compiles(district_year, "postgresql")
def _district_year_pg(element: district_year, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return f"CAST(EXTRACT(YEAR FROM timezone('Asia/Shanghai', {compiler.process(column, **kw)})) AS INTEGER)"


@compiles(district_year, "sqlite")
def _district_year_sqlite(element: district_year, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return f"CAST(strftime('%Y', {compiler.process(column, **kw)}, '+8 hours') AS INTEGER)"
