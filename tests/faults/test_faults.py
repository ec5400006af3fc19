"""Faults, each followed by checks (issue 8, part 2): the broker stopped mid-stream, a service
SIGKILLed between its commit and its publish and between handling an event and committing the
offset, two replicas through rebalances, PostgreSQL restarted under load. Afterwards every
committed write produced exactly one downstream effect, nothing was lost or applied twice, and
while a part was down the API answered (with errors where it had to), never hung."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ipops import db
from ipops.events import OutboxMessage
from tests.faults.conftest import Broker, Postgres, ProbeProcess
from tests.foundation.probe import ProbeEffect, ProbeItem
from tests.testing import TokenFactory, eventually

pytestmark = pytest.mark.faults

REQUEST_TIMEOUT = 15.0  # a request that takes longer counts as hung


@dataclass
class WriteStats:
    ok: int = 0
    replayed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    hung: int = 0
    slowest: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def write(
    client: httpx.AsyncClient,
    target: ProbeProcess | Any,
    tokens: TokenFactory,
    seq: int,
    stats: WriteStats,
    *,
    restart: Any = None,
    deadline_s: float = 90,
) -> None:
    """POST item `seq` until it is acknowledged, retrying with the same Idempotency-Key."""
    headers = {**tokens.headers("bank", "bank-f"), "Idempotency-Key": f"item-{seq}", "x-probe-seq": str(seq)}
    body = {"item_id": f"item-{seq}", "seq": seq, "amount": "10.00"}
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        proc = target() if callable(target) else target
        started = time.monotonic()
        try:
            r = await client.post(f"{proc.url}/api/v1/probe/items", json=body, headers=headers)
        except httpx.TimeoutException:
            stats.hung += 1
            continue
        except httpx.TransportError as exc:
            stats.error(type(exc).__name__)
            if restart is not None:
                await restart()
            await asyncio.sleep(0.2)
            continue
        finally:
            stats.slowest = max(stats.slowest, time.monotonic() - started)
        if r.status_code == 201:
            stats.ok += 1
            stats.replayed += r.headers.get("idempotent-replayed") == "true"
            return
        assert r.status_code in (503,), f"unexpected {r.status_code}: {r.text}"
        assert r.headers["content-type"] == "application/problem+json"
        stats.error(str(r.status_code))
        await asyncio.sleep(float(r.headers.get("retry-after", "1")) / 4)
    raise AssertionError(f"item {seq} was never acknowledged")


async def state(db_url: str) -> dict[str, int]:
    engine = db.create_engine(db_url)
    try:
        async with engine.connect() as conn:
            items = await conn.scalar(select(func.count()).select_from(ProbeItem))
            distinct_items = await conn.scalar(select(func.count(func.distinct(ProbeItem.seq))))
            effects = await conn.scalar(select(func.count()).select_from(ProbeEffect))
            distinct_effects = await conn.scalar(select(func.count(func.distinct(ProbeEffect.seq))))
            unpublished = await conn.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))  # type: ignore[union-attr]
            )
    finally:
        await engine.dispose()
    return {
        "items": int(items or 0),
        "distinct_items": int(distinct_items or 0),
        "effects": int(effects or 0),
        "distinct_effects": int(distinct_effects or 0),
        "unpublished": int(unpublished or 0),
    }


async def all_applied_once(db_url: str, n: int, timeout: float = 90) -> dict[str, int]:
    async def done() -> dict[str, int] | None:
        s = await state(db_url)
        return s if s["distinct_effects"] >= n and s["unpublished"] == 0 else None

    final = await eventually(done, timeout=timeout, interval=0.5, message=f"{n} effects")
    await asyncio.sleep(2)  # room for a late duplicate to show up
    final = await state(db_url)
    assert final == {"items": n, "distinct_items": n, "effects": n, "distinct_effects": n, "unpublished": 0}
    return final


def new_process(env: dict[str, str], processes: list[ProbeProcess], name: str) -> ProbeProcess:
    p = ProbeProcess(env=env, name=name)
    processes.append(p)
    return p


async def test_broker_stopped_mid_stream(
    broker: Broker,
    fault_db: str,
    probe_env: dict[str, str],
    processes: list[ProbeProcess],
    tokens: TokenFactory,
    fault_log: list[dict[str, Any]],
) -> None:
    service = new_process(probe_env, processes, "broker-outage")
    service.start()
    await service.wait_ready()
    stats = WriteStats()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        for seq in range(60):
            await write(client, service, tokens, seq, stats)
        broker.stop()
        try:
            for seq in range(60, 120):
                await write(client, service, tokens, seq, stats)  # writes go to the outbox meanwhile
            started = time.monotonic()
            r = await client.get(f"{service.url}/readyz")
            readiness_seconds = time.monotonic() - started
            assert r.status_code == 503 and r.json()["checks"]["kafka"]["status"] == "down"
            assert (await state(fault_db))["unpublished"] > 0
        finally:
            broker.start()
        for seq in range(120, 180):
            await write(client, service, tokens, seq, stats)
    final = await all_applied_once(fault_db, 180)
    await service.wait_ready()
    assert stats.hung == 0
    fault_log.append(
        {
            "fault": "Kafka broker stopped after 60 of 180 writes, started again after 120",
            "writes": 180,
            "acknowledged": stats.ok,
            "errors": stats.errors,
            "hung": stats.hung,
            "readyz_while_down": f"503 in {readiness_seconds:.2f} s",
            "final": final,
        }
    )


async def test_sigkill_between_commit_and_publish(
    fault_db: str,
    probe_env: dict[str, str],
    processes: list[ProbeProcess],
    tokens: TokenFactory,
    fault_log: list[dict[str, Any]],
) -> None:
    # A long idle interval: the relay runs only when a commit wakes it, and the kill comes first.
    env = {**probe_env, "PROBE_RELAY_IDLE_SECONDS": "5"}
    first = new_process(env, processes, "kill-after-commit")
    first.start(FAULT_KILL_AFTER_COMMIT_SEQ="25")
    await first.wait_ready()
    stats = WriteStats()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        for seq in range(25):
            await write(client, first, tokens, seq, stats)
        with pytest.raises(httpx.TransportError):
            await client.post(
                f"{first.url}/api/v1/probe/items",
                json={"item_id": "item-25", "seq": 25, "amount": "10.00"},
                headers={**tokens.headers("bank", "bank-f"), "Idempotency-Key": "item-25", "x-probe-seq": "25"},
            )
        first.proc.wait(10)  # type: ignore[union-attr]
        assert first.exited_by_sigkill()
        at_kill = await state(fault_db)
        assert at_kill["items"] == 26, "the write of item 25 committed before the kill"
        assert at_kill["unpublished"] >= 1, "and its event was not published"
        second = new_process(probe_env, processes, "after-kill")
        second.start()
        await second.wait_ready()
        await write(client, second, tokens, 25, stats)  # the bank retries with its key
        assert stats.replayed == 1, "the retry replays the committed response"
        for seq in range(26, 50):
            await write(client, second, tokens, seq, stats)
    final = await all_applied_once(fault_db, 50)
    fault_log.append(
        {
            "fault": "service SIGKILLed after the commit of write 25, before its event was published",
            "writes": 50,
            "state_at_kill": at_kill,
            "retry_replayed": stats.replayed,
            "final": final,
        }
    )


async def test_sigkill_between_handling_and_offset_commit(
    fault_db: str,
    probe_env: dict[str, str],
    processes: list[ProbeProcess],
    tokens: TokenFactory,
    fault_log: list[dict[str, Any]],
) -> None:
    first = new_process(probe_env, processes, "kill-after-handle")
    first.start(FAULT_KILL_AFTER_HANDLE_SEQ="30")
    await first.wait_ready()
    current: list[ProbeProcess] = [first]

    async def restart_if_dead() -> None:
        proc = current[-1]
        if proc.proc is not None and proc.proc.poll() is not None:
            replacement = new_process(probe_env, processes, f"after-handle-kill-{len(current)}")
            replacement.start()
            await replacement.wait_healthy()
            current.append(replacement)

    stats = WriteStats()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        for seq in range(60):
            await write(client, lambda: current[-1], tokens, seq, stats, restart=restart_if_dead)
        await eventually(lambda: asyncio.sleep(0, result=first.proc.poll() is not None), timeout=30)  # type: ignore[union-attr]
        await restart_if_dead()
    assert first.exited_by_sigkill(), "the handler for seq 30 committed and the process died"
    final = await all_applied_once(fault_db, 60)
    fault_log.append(
        {
            "fault": "consumer SIGKILLed after applying event 30, before committing its offset",
            "writes": 60,
            "write_errors_while_down": stats.errors,
            "final": final,
        }
    )


async def test_two_replicas_through_rebalances(
    fault_db: str,
    probe_env: dict[str, str],
    processes: list[ProbeProcess],
    tokens: TokenFactory,
    fault_log: list[dict[str, Any]],
) -> None:
    a = new_process(probe_env, processes, "replica-a")
    b = new_process(probe_env, processes, "replica-b")
    a.start()
    b.start()
    await a.wait_ready()
    await b.wait_ready()
    replicas = [a, b]
    stats = WriteStats()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        for seq in range(100):
            if seq == 40:
                a.terminate()  # graceful leave: a rebalance hands its partitions to b
                c = new_process(probe_env, processes, "replica-c")
                c.start()
                await c.wait_healthy()
                replicas = [b, c]
            if seq == 70:
                b.kill()  # ungraceful: the group notices after the session timeout
                replicas = [replicas[1]]
            await write(client, replicas[seq % len(replicas)], tokens, seq, stats)
    final = await all_applied_once(fault_db, 100, timeout=120)
    fault_log.append(
        {
            "fault": "two replicas in one group; one left gracefully at 40 and a third joined; one SIGKILLed at 70",
            "writes": 100,
            "final": final,
        }
    )


async def test_postgres_restarted_under_load(
    postgres: Postgres,
    fault_db: str,
    probe_env: dict[str, str],
    processes: list[ProbeProcess],
    tokens: TokenFactory,
    fault_log: list[dict[str, Any]],
) -> None:
    service = new_process(probe_env, processes, "pg-restart")
    service.start()
    await service.wait_ready()
    stats = WriteStats()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for seq in range(150):
            queue.put_nowait(seq)

        async def worker() -> None:
            while not queue.empty():
                await write(client, service, tokens, queue.get_nowait(), stats)

        workers = [asyncio.create_task(worker()) for _ in range(8)]
        await eventually(lambda: asyncio.sleep(0, result=stats.ok >= 40), timeout=60)
        await asyncio.to_thread(postgres.restart)
        await asyncio.gather(*workers)
    final = await all_applied_once(fault_db, 150)
    assert stats.hung == 0, "no request hung while PostgreSQL restarted"
    fault_log.append(
        {
            "fault": "PostgreSQL restarted (fast shutdown) after 40 of 150 concurrent writes",
            "writes": 150,
            "acknowledged": stats.ok,
            "errors_answered": stats.errors,
            "hung": stats.hung,
            "slowest_response_s": round(stats.slowest, 2),
            "final": final,
        }
    )
