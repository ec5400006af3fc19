"""Gateway overhead: throughput and latency of a real authenticated read through the gateway
against calling the pledge service directly, on the same machine in one run.

Starts the pledge service and a gateway as real processes from their console scripts, on PostgreSQL when IPOPS_TEST_PG_URL names a
server (fresh databases, dropped afterwards), else on SQLite files in a temporary directory (no
Kafka needed: background tasks off). The pledge service trusts the gateway's JWKS, as deployed.
A bank client gets its token from the gateway's /oauth/token; the load is
`GET /api/v1/pledge/banks` (bearer token verified by the gateway and again by the service),
from one process with N concurrent connections for D seconds per target.

    .venv/bin/python benchmarks/gateway_overhead.py [--concurrency 32] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from stdnum.cn import uscc

from benchmarks.common import emit, median
from benchmarks.nginx_proxy import nginx_proxy

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-operator-secret-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc), to report CPU per request, which the
    other load on a shared machine does not distort the way throughput is distorted."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all cores spent on anything but idle and I/O wait since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def loadavg() -> list[str]:
    """The machine's 1, 5 and 15 minute load averages."""
    return Path("/proc/loadavg").read_text().split()[:3]


def start(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / name)], cwd=ROOT, env={**os.environ, **env}, stdout=handle, stderr=handle
    )


async def wait_up(session: aiohttp.ClientSession, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            async with session.get(url + "/healthz") as r:
                if r.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def enterprise_write() -> tuple[str, dict[str, Any], dict[str, str]]:
    """A keyed bank write: a new enterprise with a fresh valid credit code and Idempotency-Key."""
    body = f"9112011{next(_serial):010d}"[:17]
    return (
        "POST",
        {"credit_code": body + uscc.calc_check_digit(body), "name": "Bench Co."},
        {"Idempotency-Key": uuid.uuid4().hex},
    )


_serial = itertools.count(random.randint(1, 10**8))


async def load(
    url: str,
    headers: dict[str, str],
    concurrency: int,
    seconds: float,
    write: Callable[[], tuple[str, dict[str, Any], dict[str, str]]] | None = None,
) -> dict[str, float]:
    """Closed-loop load: each worker sends its next request when the last one is answered; GET
    unless `write` makes each request a keyed POST."""
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        # warm-up: open the connections, fill caches (JWKS)
        warm_until = time.monotonic() + 1.5
        stop_at = warm_until + seconds

        async def worker() -> None:
            nonlocal errors
            while True:
                started = time.perf_counter()
                if time.monotonic() >= stop_at:
                    return
                if write is None:
                    request = session.get(url, headers=headers)
                else:
                    method, body, extra = write()
                    request = session.request(method, url, json=body, headers={**headers, **extra})
                async with request as r:
                    await r.read()
                    ok = r.status in (200, 201)
                elapsed = time.perf_counter() - started
                if time.monotonic() < warm_until:
                    continue
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    latencies.sort()
    count = len(latencies)
    return {
        "requests": count,
        "errors": errors,
        "throughput": count / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if count else float("nan"),
        "p99_ms": latencies[min(count - 1, int(count * 0.99))] * 1000 if count else float("nan"),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--runs", type=int, default=3, help="rounds over all targets; medians are reported")
    parser.add_argument("--quick", action="store_true", help="one round of 3 s: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.seconds = 1, 3.0

    work = Path(tempfile.mkdtemp(prefix="gw-bench-"))
    pledge_port = free_port()
    gateway_port = free_port()
    keys = work / "keys"
    pledge_url = f"http://127.0.0.1:{pledge_port}"
    gw = f"http://127.0.0.1:{gateway_port}"
    procs: list[subprocess.Popen[bytes]] = []
    databases: list[str] = []

    async def database(name: str) -> str:
        if not os.environ.get("IPOPS_TEST_PG_URL"):
            return f"sqlite+aiosqlite:///{work}/{name}.sqlite"
        from tests import testing

        url = await testing.create_database(f"bench_{name.replace('-', '_')}_")
        databases.append(url)
        return url

    try:
        procs.append(
            start(
                "gateway",
                {
                    "GATEWAY_DATABASE_URL": await database("gateway"),
                    "GATEWAY_RUN_BACKGROUND_TASKS": "false",
                    "GATEWAY_PORT": str(gateway_port),
                    "GATEWAY_KEYS_DIR": str(keys),
                    "GATEWAY_LOG_LEVEL": "WARNING",
                    "GATEWAY_PLEDGE_URL": pledge_url,
                    "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_ID": "operator",
                    "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET": SECRET,
                    # the benchmark measures overhead, not the limiter refusing it
                    "GATEWAY_RATE_LIMIT_CLIENT_REQUESTS": "100000000",
                },
                work / "gateway.log",
            )
        )
        async with aiohttp.ClientSession() as s:
            await wait_up(s, gw)
        procs.append(
            start(
                "pledge",
                {
                    "PLEDGE_DATABASE_URL": await database("pledge"),
                    "PLEDGE_RUN_BACKGROUND_TASKS": "false",
                    "PLEDGE_PORT": str(pledge_port),
                    "PLEDGE_LOG_LEVEL": "WARNING",
                    "PLEDGE_JWT_JWKS_URL": f"{gw}/.well-known/jwks.json",
                    "PLEDGE_JWT_ISSUER": "ipops-gateway",
                },
                work / "pledge.log",
            )
        )
        async with aiohttp.ClientSession() as s:
            await wait_up(s, pledge_url)
            form = {"grant_type": "client_credentials", "client_id": "operator", "client_secret": SECRET}
            async with s.post(f"{gw}/oauth/token", data=form) as r:
                operator = {"Authorization": f"Bearer {(await r.json())['access_token']}"}
            async with s.post(
                f"{gw}/api/v1/gateway/clients",
                json={"name": "bench bank", "role": "bank", "tenant_id": "bank-1"},
                headers=operator,
            ) as r:
                bank_client = await r.json()
            form = {
                "grant_type": "client_credentials",
                "client_id": bank_client["client_id"],
                "client_secret": bank_client["client_secret"],
            }
            async with s.post(f"{gw}/oauth/token", data=form) as r:
                bank = {"Authorization": f"Bearer {(await r.json())['access_token']}"}
            for i in range(1, 6):
                async with s.post(
                    f"{gw}/api/v1/pledge/banks",
                    json={"id": f"bank-{i}", "name": f"Bank {i}"},
                    headers={**operator, "Idempotency-Key": f"bench-bank-{i}"},
                ) as r:
                    assert r.status in (200, 201), await r.text()

        path = "/api/v1/pledge/banks?limit=50"
        results: dict[str, list[dict[str, float]]] = {}
        gateway_pid = procs[0].pid
        pledge_pid = procs[1].pid

        async def measured(name: str, url: str, through_gateway: bool, write: Any = None) -> None:
            pids = {"pledge": pledge_pid, **({"gateway": gateway_pid} if through_gateway else {})}
            pids["load generator"] = os.getpid()
            before = {k: cpu_seconds(p) for k, p in pids.items()}
            busy_before = machine_busy_seconds()
            result = await load(url, bank, args.concurrency, args.seconds, write)
            # CPU is counted over the warm-up too (1.5 s more than the measured requests), so the
            # per-request figures are a little high, equally for every target.
            total = max(result["requests"] + result["errors"], 1) * (args.seconds + 1.5) / args.seconds
            for k, p in pids.items():
                result[f"{k}_cpu_ms"] = (cpu_seconds(p) - before[k]) * 1000 / total
            result["machine_cpu_ms"] = (machine_busy_seconds() - busy_before) * 1000 / total
            results.setdefault(name, []).append(result)

        backend = "PostgreSQL" if databases else "SQLite"
        load_before = loadavg()
        write_path = "/api/v1/pledge/enterprises"
        print(
            f"GET {path} and keyed POST {write_path} as a bank, {args.concurrency} concurrent, "
            f"{args.seconds:g} s each, {args.runs} rounds, pledge on {backend}"
        )
        with contextlib.ExitStack() as stack:
            nginx_url = stack.enter_context(nginx_proxy(pledge_port, free_port()))
            for _ in range(args.runs):
                # the same round order each time; the direct call is each round's baseline
                await measured("read: direct", pledge_url + path, False)
                await measured("read: nginx", nginx_url + path, False)
                await measured("read: gateway", gw + path, True)
                await measured("write: direct", pledge_url + write_path, False, enterprise_write)
                await measured("write: nginx", nginx_url + write_path, False, enterprise_write)
                await measured("write: gateway", gw + write_path, True, enterprise_write)
        print(f"load average before/after: {load_before} / {loadavg()}")
        summary: dict[str, dict[str, float]] = {}
        for name, runs in results.items():
            kind = name.split(":")[0]
            direct = median([r["throughput"] for r in results[f"{kind}: direct"]])
            summary[name] = {
                "requests_per_s": round(median([r["throughput"] for r in runs]), 1),
                "p50_ms": round(median([r["p50_ms"] for r in runs]), 2),
                "p99_ms": round(median([r["p99_ms"] for r in runs]), 2),
                "errors": sum(r["errors"] for r in runs),
                "vs_direct": round(median([r["throughput"] for r in runs]) / direct, 2),
                "gateway_cpu_ms_per_req": round(median([r.get("gateway_cpu_ms", 0.0) for r in runs]), 2),
            }
        print("\n| target | requests/s | p50 ms | p99 ms | errors | vs direct | gateway CPU ms/req |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, r in summary.items():
            print(
                f"| {name} | {r['requests_per_s']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']:.0f} "
                f"| {r['vs_direct']:.2f} | {r['gateway_cpu_ms_per_req']:.2f} |"
            )
        emit(
            "gateway_overhead",
            {
                "targets": [{"target": name, **r} for name, r in summary.items()],
                "concurrency": args.concurrency,
                "seconds_per_target": args.seconds,
                "rounds": args.runs,
                "load_average_before": " ".join(load_before),
                "backend": backend,
            },
        )
        if args.json:
            print(json.dumps(results, indent=2))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if databases:
            from tests import testing

            for url in databases:
                await testing.drop_database(url)


if __name__ == "__main__":
    asyncio.run(main())
