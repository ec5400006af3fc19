"""PostgreSQL connections from the pool are live without a ping per checkout: a connection the
server closed is replaced unseen, and only one idle for a while is pinged (ipops.db)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

from ipops import db


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the pings sent (the adapter's own ping still runs)."""
    sent: list[int] = []
    original = AsyncAdapt_asyncpg_connection.ping

    def counted(self: Any) -> None:
        sent.append(1)
        original(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counted)
    return sent


async def backend_pid(engine: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")))


async def test_a_busy_pool_sends_no_pings_and_an_idle_connection_is_pinged(
    pg_url: str, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.create_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        pids = {await backend_pid(engine) for _ in range(5)}
        assert len(pids) == 1 and pings == []  # reused at once: never pinged
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
        assert await backend_pid(engine) in pids
        assert pings == [1]  # idle "too long": pinged once, and still the same live connection
    finally:
        await engine.dispose()


async def test_a_connection_the_server_closed_is_replaced_before_use(pg_url: str, pings: list[int]) -> None:
    engine = db.create_engine(pg_url, pool_size=1, max_overflow=0)
    admin = db.create_engine(pg_url)
    try:
        first = await backend_pid(engine)
        async with admin.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        for _ in range(50):  # the pooled connection learns of it when the loop reads the socket
            await asyncio.sleep(0.02)
        second = await backend_pid(engine)  # no error: a new connection served it
        assert second != first
        assert pings == []
    finally:
        await engine.dispose()
        await admin.dispose()
