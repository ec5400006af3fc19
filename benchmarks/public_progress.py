"""Public progress benchmark: the gateway's plan-progress API with 1,000,000 indicator
contributions behind it in the read model, against the same API on an empty read model in the same
run.

The contributions are filled by COPY (the event path that fills them in production is measured by
benchmarks/event_path.py); what is measured here is the cost of answering: the aggregation a cache
miss runs, and cache hits to the running gateway with wrk (32 connections), with one uvicorn
worker and with `GATEWAY_WORKERS=2`. The bare FastAPI app of benchmarks/machine.py is measured in
the same run, between the two scenarios, so each hit figure is also given as a share of what this
machine's Python HTTP stack answers at that moment (others' work on a shared machine slows both).
With BENCH_PROFILE=1, py-spy samples the one-worker gateway while wrk runs (var/bench/profile-*.txt).
Usage: python -m benchmarks.public_progress [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from benchmarks.common import emit, free_port, median, profiled, wait_http, wrk
from benchmarks.machine import bare_fastapi
from gateway.main import ALEMBIC_INI
from gateway.readmodel import queries
from ipops import db
from ipops.indicators.catalogue import CATALOGUE
from ipops.migrations import upgrade_to_head
from tests import testing

ROOT = Path(__file__).resolve().parents[1]


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def fill(url: str, contributions: int) -> float:
    """COPY contributions spread over the catalogue's indicators and 2018-2026; returns seconds."""
    started = time.perf_counter()
    rnd = random.Random(20261130)
    ids = [entry.id for entry in CATALOGUE]
    now = datetime.now(UTC)
    conn = await asyncpg.connect(_plain(url))
    try:
        batch = 200_000
        for first in range(0, contributions, batch):
            records = []
            for i in range(first, min(first + batch, contributions)):
                year = 2018 + rnd.randrange(9)
                start_on = date(year, 1 + rnd.randrange(12), 1 + rnd.randrange(28))
                records.append(
                    (
                        ids[i % len(ids)],
                        f"s{i}",
                        "bench",
                        1 + rnd.randrange(5),
                        start_on,
                        None,
                        year,
                        None,
                        1,
                        "bench",
                        now,
                    )
                )
            await conn.copy_records_to_table(
                "indicator_contribution",
                columns=[
                    "indicator",
                    "subject",
                    "owner",
                    "quantity",
                    "start_on",
                    "end_on",
                    "start_year",
                    "end_year",
                    "revision",
                    "reason",
                    "recorded_at",
                ],
                records=records,
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
                await queries.progress(session, datetime.now(UTC).year, 2018)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return times


def served(url: str, seconds: float, workers: int, name: str) -> dict[str, Any]:
    """Cache hits on a running gateway on this read model, as the public front end sends them."""
    port = free_port()
    env = {
        **os.environ,
        "GATEWAY_DATABASE_URL": url,
        "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": os.environ["IPOPS_TEST_KAFKA"],
        "GATEWAY_TOPIC_PREFIX": testing.unique_name("pp") + ".",
        "GATEWAY_PORT": str(port),
        "GATEWAY_WORKERS": str(workers),
        "GATEWAY_RUN_BACKGROUND_TASKS": "false",
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_KEYS_DIR": str(ROOT / "var" / "bench" / "keys"),
        "GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS": "100000000",
    }
    log = open(ROOT / "var" / "log" / "bench-gateway.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gateway")], env=env, stdout=log, stderr=subprocess.STDOUT)
    target = f"http://127.0.0.1:{port}/api/v1/public/progress"
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        wrk(target, seconds=1)  # warm-up: every worker's cache filled
        # with several workers the pid is uvicorn's supervisor, which serves nothing
        with profiled(name, proc.pid) if workers == 1 else contextlib.nullcontext():
            return {"workers": workers, **wrk(target, seconds=seconds)}
    finally:
        proc.terminate()
        proc.wait(20)


async def scenario(contributions: int, runs: int, seconds: float) -> dict[str, Any]:
    url = await testing.create_database("pp_")
    try:
        await upgrade_to_head(ALEMBIC_INI, url)
        fill_s = await fill(url, contributions) if contributions else 0.0
        agg = await aggregation_ms(url, runs)
        one = served(url, seconds, 1, f"public-progress-{contributions}")
        two = served(url, seconds, 2, "")
    finally:
        await testing.drop_database(url)
    return {
        "contributions": contributions,
        "fill_s": round(fill_s, 1),
        "aggregation_p50_ms": round(median(agg), 1),
        "aggregation_max_ms": round(max(agg), 1),
        "hit_1_worker_rps": one["requests_per_s"],
        "hit_1_worker_p50_ms": one.get("p50_ms"),
        "hit_2_workers_rps": two["requests_per_s"],
        "hit_2_workers_p99_ms": two.get("p99_ms"),
        "errors": one["errors"] + two["errors"],
    }


async def main(quick: bool) -> None:
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    runs, seconds = (3, 3.0) if quick else (7, 10.0)
    empty = await scenario(0, runs, seconds)
    bare = {workers: bare_fastapi(round(seconds), workers)["requests_per_s"] for workers in (1, 2)}
    full = await scenario(100_000 if quick else 1_000_000, runs, seconds)
    for row in (empty, full):
        for workers, key in ((1, "hit_1_worker"), (2, "hit_2_workers")):
            row[f"{key}_vs_bare"] = round(row[f"{key}_rps"] / max(bare[workers], 1.0), 2)
        print(json.dumps(row), flush=True)
    emit(
        "public_progress",
        {
            "rows": [empty, full],
            "bare_fastapi_1_worker_rps": bare[1],
            "bare_fastapi_2_workers_rps": bare[2],
            "aggregation_full_vs_empty": round(full["aggregation_p50_ms"] / max(empty["aggregation_p50_ms"], 0.01), 1),
            "note": "wrk's requests hit the gateway's 5 s cache; the aggregation is what a cache miss costs; "
            "*_vs_bare: the hit rate as a share of the bare FastAPI app's, measured between the two scenarios",
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    asyncio.run(main(parser.parse_args().quick))
