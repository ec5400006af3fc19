"""Event path benchmark: from a committed write to the effect applied in a consuming service.

The producing side commits a row and its outbox event in one transaction (as every route does);
a separate process runs the outbox relay; one or two consumer processes (one group) apply the
events into a database of their own behind the inbox. Measured:
- latency from commit to applied, p50/p99, at steady rates, and the highest rate at which the
  backlog does not grow;
- drain throughput of a backlog with one and with two consumer replicas (scaling).
Usage: python -m benchmarks.event_path [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from sqlalchemy import func, select

import ipops.idempotency  # noqa: F401  (registers the idempotency table)
from benchmarks.common import emit, env, median, percentile, profiled
from ipops import db
from ipops.db import platform_registry
from ipops.events import add_to_outbox
from tests import testing
from tests.foundation.probe import ItemRecordedV1, ProbeEffect, ProbeItem, probe_registry

ROOT = Path(__file__).resolve().parents[1]


async def fresh_db(prefix: str) -> str:
    url = await testing.create_database(prefix)
    engine = db.create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_registry.metadata.create_all)
        await conn.run_sync(probe_registry.metadata.create_all)
    await engine.dispose()
    return url


def start_probe(name: str, db_url: str, prefix: str, *, consume: bool, port: int) -> subprocess.Popen[bytes]:
    log = open(ROOT / "var" / "log" / f"bench-{name}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.probe_server"],
        cwd=ROOT,
        env={
            **os.environ,
            "PROBE_DATABASE_URL": db_url,
            "PROBE_KAFKA_BOOTSTRAP_SERVERS": env("IPOPS_TEST_KAFKA"),
            "PROBE_TOPIC_PREFIX": prefix,
            "PROBE_LOG_LEVEL": "WARNING",
            "PROBE_CONSUME": "1" if consume else "0",
            "PROBE_PORT": str(port),
            "PROBE_RELAY_IDLE_SECONDS": "0.02",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def count(url: str, table: Any) -> int:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        await engine.dispose()


async def wait_for(url: str, table: Any, n: int, timeout: float) -> float:
    started = time.monotonic()
    while await count(url, table) < n:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"only {await count(url, table)} of {n} after {timeout}s")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


IN_FLIGHT = 40  # writes the writer has open at once (its pool's size)


async def write_at_rate(sm: db.SessionMaker, rate: float, seconds: float, first_seq: int) -> int:
    """Start `rate` writes a second for `seconds`, at most IN_FLIGHT at once; returns how many were
    written. A writer that falls behind shows in the achieved rate the caller measures, not in the
    latencies: an item's `created_at` is the database's clock at its INSERT, in the flush right
    before COMMIT, as the event path begins at the commit (the writer's own clock after the
    commit returned lags by its event loop's backlog: a busy writer measured negative latencies).
    Unbounded, a writer behind its schedule held thousands of open sessions and spent a third of
    its time in the garbage collector."""
    n = int(rate * seconds)
    interval = 1 / rate
    start = time.monotonic()
    in_flight = asyncio.Semaphore(IN_FLIGHT)
    tasks = []

    async def one(seq: int) -> None:
        try:
            async with db.transaction(sm) as session:
                item = ProbeItem(item_id=f"i{seq % 64}", seq=seq)
                item.created_at = func.clock_timestamp()  # type: ignore[assignment]
                session.add(item)
                add_to_outbox(
                    session, ItemRecordedV1(item_id=f"i{seq % 64}", seq=seq), source="/bench", key=f"i{seq % 64}"
                )
        finally:
            in_flight.release()

    for i in range(n):
        delay = start + i * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await in_flight.acquire()
        tasks.append(asyncio.create_task(one(first_seq + i)))
    await asyncio.gather(*tasks)
    return n


async def latencies(src: str, dst: str, seqs: range) -> list[float]:
    """Milliseconds from each item's write (at its commit) to its effect applied in the consumer."""
    e_src, e_dst = db.create_engine(src), db.create_engine(dst)
    try:
        async with e_src.connect() as c:
            created = dict(
                (
                    await c.execute(
                        select(ProbeItem.seq, ProbeItem.created_at).where(
                            ProbeItem.seq >= seqs.start, ProbeItem.seq < seqs.stop
                        )
                    )
                ).all()
            )
        async with e_dst.connect() as c:
            applied = dict(
                (
                    await c.execute(
                        select(ProbeEffect.seq, ProbeEffect.applied_at).where(
                            ProbeEffect.seq >= seqs.start, ProbeEffect.seq < seqs.stop
                        )
                    )
                ).all()
            )
    finally:
        await e_src.dispose()
        await e_dst.dispose()
    return [(applied[s] - created[s]).total_seconds() * 1000 for s in created if s in applied]


async def steady_rates(rates: list[float], seconds: float) -> list[dict[str, Any]]:
    prefix = testing.unique_name("b") + "."
    src, dst = await fresh_db("b_src_"), await fresh_db("b_dst_")
    procs = [
        start_probe("relay", src, prefix, consume=False, port=18101),
        start_probe("consumer", dst, prefix, consume=True, port=18102),
    ]
    # the writer's pool holds every write it has open at once (IN_FLIGHT)
    sm = db.make_sessionmaker(db.create_engine(src, pool_size=IN_FLIGHT, max_overflow=0, pool_timeout=600))
    results = []
    try:
        await asyncio.sleep(6)  # processes up, topics created, group joined
        seq = 0
        # warm-up: connections, JIT of the relay/consumer loops
        seq += await write_at_rate(sm, 20, 2, seq)
        await wait_for(dst, ProbeEffect, seq, 60)
        with profiled("event-relay", procs[0].pid), profiled("event-consumer", procs[1].pid):
            seq = await measure_rates(sm, src, dst, rates, seconds, seq, results, (procs[0].pid, procs[1].pid))
    finally:
        for p in procs:
            p.terminate()
            p.wait(20)
        await sm.kw["bind"].dispose()
        await testing.drop_database(src)
        await testing.drop_database(dst)
    return results


def _cpu_of_processes(match: Callable[[str, str], bool]) -> float:
    """CPU seconds of every process whose (name, command line) `match` accepts."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            name = (proc / "comm").read_text().strip()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if match(name, cmdline):
                total += cpu_seconds(int(proc.name))
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def parts_cpu(relay: int, consumer: int) -> dict[str, float]:
    """CPU seconds so far of each part of the event path: this process (the writer), the relay's
    and the consumer's processes, every PostgreSQL process and every Kafka broker on the machine
    (the benchmark's only, on a machine nothing else runs on)."""
    return {
        "writer": cpu_seconds(os.getpid()),
        "relay": cpu_seconds(relay),
        "consumer": cpu_seconds(consumer),
        "postgresql": _cpu_of_processes(lambda name, _cmd: name == "postgres"),
        "kafka": _cpu_of_processes(lambda _name, cmd: "kafka.Kafka" in cmd),
    }


def cpu_per_event(before: dict[str, float], after: dict[str, float], events: int) -> dict[str, float]:
    """Milliseconds of CPU per event by part, their total, and the rate the machine's cores could
    carry at that cost (what bounds the path when nothing else runs)."""
    per = {f"cpu_ms_{k}": round((after[k] - before[k]) * 1000 / events, 3) for k in before}
    total = sum(per.values())
    per["cpu_ms_total"] = round(total, 3)
    per["cpu_bound_per_s"] = round((os.cpu_count() or 1) * 1000 / total) if total else 0
    return per


async def measure_rates(
    sm: db.SessionMaker,
    src: str,
    dst: str,
    rates: list[float],
    seconds: float,
    seq: int,
    results: list[dict[str, Any]],
    pids: tuple[int, int],
) -> int:
    """Each rate in turn: write at it, wait until applied, record latencies and the CPU each part
    of the path spent per event meanwhile; returns the next seq."""
    for rate in rates:
        first = seq
        t0, cpu0 = time.monotonic(), parts_cpu(*pids)
        seq += await write_at_rate(sm, rate, seconds, seq)
        written_per_s = (seq - first) / (time.monotonic() - t0)
        backlog = seq - await count(dst, ProbeEffect)
        await wait_for(dst, ProbeEffect, seq, 600)
        cpu = cpu_per_event(cpu0, parts_cpu(*pids), seq - first)
        lat = await latencies(src, dst, range(first, seq))
        # sustained: the writer kept the rate and the consumer kept up with it
        sustained = backlog <= max(rate * 0.5, 5) and written_per_s >= rate * 0.9
        results.append(
            {
                "rate_per_s": rate,
                "committed_per_s": round(written_per_s, 1),
                "events": seq - first,
                "p50_ms": round(percentile(lat, 50), 1),
                "p99_ms": round(percentile(lat, 99), 1),
                "backlog_at_end": backlog,
                "sustained": sustained,
                **cpu,
            }
        )
        print(json.dumps(results[-1]), flush=True)
    return seq


async def applied_over_time(url: str, n: int, timeout: float) -> list[tuple[float, int]]:
    """(seconds since the call, effects applied) every 20 ms until `n` are applied, on one
    connection (a new one per look would cost the database a backend per sample)."""
    engine = db.create_engine(url)
    started, samples = time.monotonic(), []
    try:
        async with engine.connect() as conn:
            while True:
                applied = int(await conn.scalar(select(func.count()).select_from(ProbeEffect)) or 0)
                await conn.commit()  # a fresh snapshot for the next look
                samples.append((time.monotonic() - started, applied))
                if applied >= n:
                    return samples
                if samples[-1][0] > timeout:
                    raise TimeoutError(f"only {applied} of {n} after {timeout}s")
                await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


def steady_rate(samples: list[tuple[float, int]], n: int, after: float = 0.0) -> float:
    """Events a second from the later of the sample where 10 % of `n` were applied and the first
    sample at or after `after` (seconds: when the group settled), to the sample where 90 % were:
    the drain itself, without the consumers' start (imports, joining the group, the rebalance a
    second member causes) before it or the tail after it."""
    t10, n10 = next(s for s in samples if s[1] >= n * 0.1 and s[0] >= after)
    t90, n90 = next(s for s in samples if s[1] >= n * 0.9)
    return (n90 - n10) / (t90 - t10) if t90 > t10 else float("nan")


async def settled_at(group: str, members: int, started: float, timeout: float = 60) -> float:
    """Seconds from `started` (time.monotonic) until the consumer group is Stable with `members`
    members, every one of them assigned partitions (the broker's DescribeGroups, every 50 ms)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=env("IPOPS_TEST_KAFKA"))
    await admin.start()
    try:
        while time.monotonic() - started < timeout:
            with contextlib.suppress(KafkaError):
                for response in await admin.describe_consumer_groups([group]):
                    for described in response.groups:
                        state, assigned = described[2], described[5]
                        if state == "Stable" and len(assigned) == members and all(m[4] for m in assigned):
                            return time.monotonic() - started
            await asyncio.sleep(0.05)
        raise TimeoutError(f"group {group} not stable with {members} members after {timeout}s")
    finally:
        await admin.close()


async def publish_backlog(sm: db.SessionMaker, src: str, backlog: int) -> None:
    """`backlog` items committed with their events, and every event published by the relay."""
    for chunk in range(0, backlog, 500):
        async with db.transaction(sm) as session:
            for seq in range(chunk, min(chunk + 500, backlog)):
                session.add(ProbeItem(item_id=f"i{seq % 64}", seq=seq))
                add_to_outbox(
                    session, ItemRecordedV1(item_id=f"i{seq % 64}", seq=seq), source="/bench", key=f"i{seq % 64}"
                )
    engine = db.create_engine(src)
    async with engine.connect() as conn:
        from ipops.events import OutboxMessage

        while await conn.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))  # type: ignore[union-attr]
        ):
            await conn.commit()
            await asyncio.sleep(0.2)
    await engine.dispose()


async def drain(replicas: int, backlog: int) -> dict[str, float]:
    """Events per second `replicas` consumers apply from a backlog published before they start:
    from the consumers' start to the last event (start-up included), and steady (from when the
    group settled with every replica, or 10 % applied if later, to 90 % applied), with the share of a core each consumer process used and the share of the whole
    machine's CPU that was busy meanwhile (which resource bounds the drain)."""
    prefix = testing.unique_name("d") + "."
    src, dst = await fresh_db("d_src_"), await fresh_db("d_dst_")
    sm = db.make_sessionmaker(db.create_engine(src, pool_size=10))
    relay = start_probe("drain-relay", src, prefix, consume=False, port=18111)
    consumers: list[subprocess.Popen[bytes]] = []
    try:
        await publish_backlog(sm, src, backlog)
        consumers = [
            start_probe(f"drain-consumer-{i}", dst, prefix, consume=True, port=18120 + i) for i in range(replicas)
        ]
        busy, launched = machine_busy_seconds(), time.monotonic()
        cpu = [cpu_seconds(c.pid) for c in consumers]
        settled = asyncio.create_task(settled_at(f"{prefix}probe.self", replicas, launched))
        with profiled(f"drain-{replicas}-consumer", consumers[0].pid):
            samples = await applied_over_time(dst, backlog, 600)
        settled_after = await settled
        elapsed = samples[-1][0]
        cpu = [cpu_seconds(c.pid) - before for c, before in zip(consumers, cpu, strict=True)]
        busy = machine_busy_seconds() - busy
    finally:
        for p in [relay, *consumers]:
            p.terminate()
            p.wait(20)
        await sm.kw["bind"].dispose()
        await testing.drop_database(src)
        await testing.drop_database(dst)
    return {
        "per_s": backlog / elapsed,
        "steady_per_s": steady_rate(samples, backlog, after=settled_after),
        "settled_after_s": settled_after,
        "consumer_core_share": max(cpu) / elapsed,
        "machine_busy_share": busy / elapsed / (os.cpu_count() or 1),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent on anything but idle and I/O wait since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


async def main(quick: bool) -> None:
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    rates = [50, 200] if quick else [50, 100, 200, 400, 1000]
    steady = await steady_rates(rates, 5 if quick else 10)
    sustained = [r["rate_per_s"] for r in steady if r["sustained"]]
    backlog = 2000 if quick else 20000
    runs = 1 if quick else 2
    one = [await drain(1, backlog) for _ in range(runs)]
    two = [await drain(2, backlog) for _ in range(runs)]

    def mid(runs: list[dict[str, float]], key: str) -> float:
        return median([r[key] for r in runs])

    one_rate, two_rate = mid(one, "steady_per_s"), mid(two, "steady_per_s")
    emit(
        "event_path",
        {
            "steady": steady,
            "highest_sustained_rate_per_s": max(sustained) if sustained else None,
            "drain_backlog": backlog,
            # steady: from the group settled (or 10 % applied) to 90 %; with start: from the launch
            "drain_one_replica_per_s": round(one_rate, 1),
            "drain_two_replicas_per_s": round(two_rate, 1),
            "drain_one_replica_with_start_per_s": round(mid(one, "per_s"), 1),
            "drain_two_replicas_with_start_per_s": round(mid(two, "per_s"), 1),
            "two_vs_one": round(two_rate / one_rate, 2),
            "drain_two_settled_after_s": round(mid(two, "settled_after_s"), 1),
            "drain_one_consumer_core_share": round(mid(one, "consumer_core_share"), 2),
            "drain_two_busiest_consumer_core_share": round(mid(two, "consumer_core_share"), 2),
            "drain_one_machine_busy_share": round(mid(one, "machine_busy_share"), 2),
            "drain_two_machine_busy_share": round(mid(two, "machine_busy_share"), 2),
            "runs": runs,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rates and one run: a smoke test")
    asyncio.run(main(parser.parse_args().quick))
