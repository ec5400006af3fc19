"""Authenticated list read: `GET /api/v1/pledge/banks?limit=50` as a bank, directly against the
pledge service and through the gateway, with wrk (32 connections) in one run.

Starts the pledge service and a gateway as real processes from their console scripts, on fresh
PostgreSQL databases (dropped afterwards), background tasks off (no Kafka needed). The pledge
service trusts the gateway's JWKS, as deployed; the bank's token comes from the gateway's
/oauth/token, and is verified by the gateway and again by the service. Measured first with one
worker per process, then with `<SVC>_WORKERS=2` (uvicorn's processes on one socket: both cores),
so the report can set each beside wrk against a bare FastAPI app (benchmarks/machine.py).
Usage: python -m benchmarks.gateway_overhead [--seconds 10] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.common import emit, free_port, wait_http, wrk
from tests import testing

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-operator-secret-0123456789"
PATH = "/api/v1/pledge/banks?limit=50"


def call(
    url: str, *, form: dict[str, str] | None = None, body: Any = None, headers: dict[str, str] | None = None
) -> Any:
    data = urllib.parse.urlencode(form).encode() if form else json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


def token(gw: str, client_id: str, secret: str) -> dict[str, str]:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return {"Authorization": f"Bearer {call(gw + '/oauth/token', form=form)['access_token']}"}


class Stack:
    """The gateway and pledge processes, restartable with another worker count on the same data."""

    def __init__(self, work: Path, gateway_db: str, pledge_db: str) -> None:
        self.work, self.procs = work, []
        self.gw_port, self.pledge_port = free_port(), free_port()
        self.gw, self.pledge = f"http://127.0.0.1:{self.gw_port}", f"http://127.0.0.1:{self.pledge_port}"
        self.gateway_env = {
            "GATEWAY_DATABASE_URL": gateway_db,
            "GATEWAY_RUN_BACKGROUND_TASKS": "false",
            "GATEWAY_PORT": str(self.gw_port),
            "GATEWAY_KEYS_DIR": str(work / "keys"),
            "GATEWAY_LOG_LEVEL": "WARNING",
            "GATEWAY_PLEDGE_URL": self.pledge,
            "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_ID": "operator",
            "GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET": SECRET,
            # the benchmark measures serving, not the limiter refusing it
            "GATEWAY_RATE_LIMIT_CLIENT_REQUESTS": "100000000",
        }
        self.pledge_env = {
            "PLEDGE_DATABASE_URL": pledge_db,
            "PLEDGE_RUN_BACKGROUND_TASKS": "false",
            "PLEDGE_PORT": str(self.pledge_port),
            "PLEDGE_LOG_LEVEL": "WARNING",
            "PLEDGE_JWT_JWKS_URL": f"{self.gw}/.well-known/jwks.json",
            "PLEDGE_JWT_ISSUER": "ipops-gateway",
        }

    def start(self, workers: int) -> None:
        self.stop()
        for name, extra in (("gateway", self.gateway_env), ("pledge", self.pledge_env)):
            log = (self.work / f"{name}.log").open("ab")
            env = {**os.environ, **extra, f"{name.upper()}_WORKERS": str(workers)}
            self.procs.append(
                subprocess.Popen([str(ROOT / ".venv" / "bin" / name)], cwd=ROOT, env=env, stdout=log, stderr=log)
            )
            wait_http((self.gw if name == "gateway" else self.pledge) + "/healthz")
        # /healthz answers as soon as ONE worker serves; the others are still importing, building
        # the OpenAPI document and checking migrations (a CPU-second or more each), which used to
        # overlap the first measurement of two workers and depress it.
        for proc in self.procs:
            settle(proc.pid)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs = []


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live and reaped descendants (Linux /proc; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def settle(pid: int, *, quiet: float = 0.05, timeout: float = 60) -> None:
    """Until the process tree of `pid` is idle (under 10 % of a core for half a second): every
    worker has started."""
    deadline = time.monotonic() + timeout
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - before < quiet:
            return
        before = now


def seed(stack: Stack) -> dict[str, str]:
    """Five banks to list and a bank client; returns the bank's Authorization header."""
    operator = token(stack.gw, "operator", SECRET)
    for i in range(1, 6):
        call(
            f"{stack.gw}/api/v1/pledge/banks",
            body={"id": f"bank-{i}", "name": f"Bank {i}"},
            headers={**operator, "Idempotency-Key": f"bench-bank-{i}"},
        )
    client = call(
        f"{stack.gw}/api/v1/gateway/clients",
        body={"name": "bench bank", "role": "bank", "tenant_id": "bank-1"},
        headers=operator,
    )
    return token(stack.gw, client["client_id"], client["client_secret"])


def measure(stack: Stack, bank: dict[str, str], workers: int, seconds: float) -> list[dict[str, Any]]:
    rows = []
    for target, base in (("direct", stack.pledge), ("gateway", stack.gw)):
        wrk(base + PATH, seconds=1, headers=bank)  # warm-up: connections, JWKS, every worker
        rows.append({"target": target, "workers": workers, **wrk(base + PATH, seconds=seconds, headers=bank)})
        print(json.dumps(rows[-1]), flush=True)
    return rows


async def main(seconds: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="gw-bench-"))
    gateway_db = await testing.create_database("bench_gateway_")
    pledge_db = await testing.create_database("bench_pledge_")
    stack = Stack(work, gateway_db, pledge_db)
    try:
        # one worker first: migrations and the bootstrap client are made by one process only
        stack.start(1)
        bank = seed(stack)
        rows = measure(stack, bank, 1, seconds)
        stack.start(2)
        rows += measure(stack, bank, 2, seconds)
    finally:
        stack.stop()
        await testing.drop_database(gateway_db)
        await testing.drop_database(pledge_db)
    emit("gateway_overhead", {"targets": rows, "path": PATH, "connections": 32, "seconds_per_target": seconds})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="3 s per target: a smoke run")
    args = parser.parse_args()
    asyncio.run(main(3.0 if args.quick else args.seconds))
