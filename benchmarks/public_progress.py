"""Public progress benchmark: the plan-progress API of the gateway with 1,200 enterprises,
100,000 loans and 1,000,000 work logs behind it in the read model, against the same API on an
empty read model in the same run.

The read model is filled by COPY (the event path that fills it in production is measured by
benchmarks/event_path.py); what is measured here is the cost of answering: the aggregation a cache
miss runs, and requests to the running gateway as the public front end sends them.
Usage: python -m benchmarks.public_progress [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from benchmarks.common import emit, median, percentile
from gateway.main import ALEMBIC_INI
from gateway.readmodel import queries
from ipops import db
from ipops.migrations import upgrade_to_head
from tests import testing

ROOT = Path(__file__).resolve().parents[1]


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def fill(url: str, enterprises: int, loans: int, work_logs: int) -> float:
    """COPY read-model rows spread over 2019-2026; returns seconds taken."""
    started = time.perf_counter()
    rnd = random.Random(20261123)
    base = datetime(2019, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - base).total_seconds()

    def when() -> datetime:
        return base + timedelta(seconds=rnd.random() * span)

    conn = await asyncpg.connect(_plain(url))
    try:
        await conn.copy_records_to_table(
            "rm_enterprise",
            columns=["credit_code", "first_enrolled_at", "first_patent_at"],
            records=[(f"{i:018d}", when(), when() if i % 3 else None) for i in range(enterprises)],
        )
        await conn.copy_records_to_table(
            "rm_loan",
            columns=[
                "loan_id",
                "bank_id",
                "amount_fen",
                "mixed_pledge",
                "covered",
                "status",
                "approved_at",
                "disbursed_at",
            ],
            records=[
                (
                    f"loan-{i}",
                    f"bank-{i % 7}",
                    rnd.randint(10_000_000, 500_000_000),
                    i % 50 == 0,
                    True,
                    "disbursed",
                    (t := when()),
                    t + timedelta(days=10),
                )
                for i in range(loans)
            ],
        )
        batch = 200_000
        for start in range(0, work_logs, batch):
            await conn.copy_records_to_table(
                "rm_fact",
                columns=["fact_id", "metric", "quantity", "occurred_at", "attributes"],
                records=[
                    (f"work:{i}", "trusteeship_work", 1, when(), json.dumps({"service_type": "training"}))
                    for i in range(start, min(start + batch, work_logs))
                ],
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def aggregation_ms(url: str, runs: int) -> list[float]:
    """What a cache miss costs: the progress aggregation, run `runs` times."""
    engine = db.create_engine(url)
    sm = db.make_sessionmaker(engine)
    times = []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            async with sm() as session:
                await queries.progress(session)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return times


async def served(url: str, requests: int, concurrency: int) -> dict[str, Any]:
    """Requests to a running gateway on this read model, as the public front end sends them."""
    port = 18200
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": url,
        "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": os.environ["IPOPS_TEST_KAFKA"],
        "GATEWAY_TOPIC_PREFIX": testing.unique_name("pp") + ".",
        "GATEWAY_PORT": str(port),
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_KEYS_DIR": str(ROOT / "var" / "bench" / "keys"),
        "GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS": "100000000",
    }
    log = open(ROOT / "var" / "log" / "bench-gateway.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gateway")], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(200):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.25)
            await client.get("/api/v1/public/progress")  # warm
            latencies: list[float] = []
            queue = list(range(requests))

            async def worker() -> None:
                while queue:
                    queue.pop()
                    t = time.perf_counter()
                    r = await client.get("/api/v1/public/progress")
                    assert r.status_code == 200, r.text
                    latencies.append((time.perf_counter() - t) * 1000)

            started = time.perf_counter()
            await asyncio.gather(*[worker() for _ in range(concurrency)])
            elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(20)
    return {
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "requests_per_s": round(requests / elapsed, 1),
    }


async def scenario(enterprises: int, loans: int, work_logs: int, runs: int, requests: int) -> dict[str, Any]:
    url = await testing.create_database("pp_")
    try:
        await upgrade_to_head(ALEMBIC_INI, url)
        fill_s = await fill(url, enterprises, loans, work_logs) if loans else 0.0
        agg = await aggregation_ms(url, runs)
        http = await served(url, requests, 16)
    finally:
        await testing.drop_database(url)
    return {
        "enterprises": enterprises,
        "loans": loans,
        "work_logs": work_logs,
        "fill_s": round(fill_s, 1),
        "aggregation_p50_ms": round(median(agg), 1),
        "aggregation_max_ms": round(max(agg), 1),
        **http,
    }


async def main(quick: bool) -> None:
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    runs, requests = (3, 300) if quick else (7, 2000)
    empty = await scenario(0, 0, 0, runs, requests)
    full = await scenario(1200, 10_000 if quick else 100_000, 100_000 if quick else 1_000_000, runs, requests)
    for row in (empty, full):
        print(json.dumps(row), flush=True)
    emit(
        "public_progress",
        {
            "rows": [empty, full],
            "aggregation_full_vs_empty": round(full["aggregation_p50_ms"] / max(empty["aggregation_p50_ms"], 0.01), 1),
            "served_p50_full_vs_empty": round(full["p50_ms"] / max(empty["p50_ms"], 0.01), 2),
            "note": "served requests hit the gateway's 5 s cache; the aggregation is what a cache miss costs",
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    asyncio.run(main(parser.parse_args().quick))
