"""The machine's own figures, measured in the same `make bench` run as everything else, so each
goal of #17 is a ratio against what this machine does at that moment (other work on a shared
machine slows both sides alike):
- pgbench (PostgreSQL's own benchmark, on a database it initialises, scale 1): the TPC-B-like
  transaction with 1 client (latency and tps) and 8 clients (tps), and select-only with 8 clients;
- wrk (32 connections) against a bare FastAPI JSON app (benchmarks/bare_app.py) served by the
  services' uvicorn, with one worker and with two.
Usage: python -m benchmarks.machine [--quick] [--label before|after]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.common import emit, free_port, wait_http, wrk
from tests import testing

ROOT = Path(__file__).resolve().parents[1]


def pgbench(uri: str, *args: str) -> dict[str, float]:
    """One pgbench run; its tps and average latency in ms."""
    out = subprocess.run(["pgbench", "-n", *args, uri], capture_output=True, text=True, check=True, timeout=300).stdout
    tps = re.search(r"tps = ([\d.]+)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    if not tps or not latency:
        raise RuntimeError(f"pgbench printed no figures:\n{out}")
    return {"tps": round(float(tps.group(1))), "latency_ms": round(float(latency.group(1)), 3)}


async def postgres_figures(seconds: int) -> dict[str, float]:
    url = await testing.create_database("bench_pgbench_")
    uri = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        # nothing else runs in this process meanwhile: blocking on pgbench is what is wanted
        init = ["pgbench", "-i", "-q", "-s", "1", uri]
        subprocess.run(init, capture_output=True, check=True, timeout=300)  # noqa: ASYNC221
        one = pgbench(uri, "-c", "1", "-j", "1", "-T", str(seconds))
        eight = pgbench(uri, "-c", "8", "-j", "2", "-T", str(seconds))
        select = pgbench(uri, "-S", "-c", "8", "-j", "2", "-T", str(seconds))
    finally:
        await testing.drop_database(url)
    return {
        "pgbench_tpcb_1_client_latency_ms": one["latency_ms"],
        "pgbench_tpcb_1_client_tps": one["tps"],
        "pgbench_tpcb_8_clients_tps": eight["tps"],
        "pgbench_select_8_clients_tps": select["tps"],
    }


def bare_fastapi(seconds: int, workers: int) -> dict[str, float]:
    """wrk against the bare app: the most requests/s this machine's Python HTTP stack can answer."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "benchmarks.bare_app:app",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/json")
        wrk(f"http://127.0.0.1:{port}/json", seconds=1)  # warm-up: every worker has connections
        return wrk(f"http://127.0.0.1:{port}/json", seconds=seconds)
    finally:
        proc.terminate()
        proc.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 s runs: a smoke test")
    parser.add_argument("--label", default="before", help="before or after the other benchmarks")
    args = parser.parse_args()
    seconds = 3 if args.quick else 10
    figures = asyncio.run(postgres_figures(seconds))
    one, two = bare_fastapi(seconds, 1), bare_fastapi(seconds, 2)
    figures |= {
        "wrk_bare_fastapi_1_worker_rps": one["requests_per_s"],
        "wrk_bare_fastapi_1_worker_p50_ms": one.get("p50_ms", float("nan")),
        "wrk_bare_fastapi_2_workers_rps": two["requests_per_s"],
        "seconds_per_run": seconds,
        "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
    print(figures, flush=True)
    emit("machine", {"label": args.label, **figures})


if __name__ == "__main__":
    main()
