"""Helpers the benchmark scripts share: percentiles, a result line the runner collects, and the
infrastructure addresses `scripts/bench.sh` exports."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    """The median, NaN for no values."""
    return statistics.median(values) if values else float("nan")


def emit(name: str, result: dict[str, Any]) -> None:
    """Print the result line `scripts/bench.sh` collects into docs/BENCHMARKS.md."""
    print("RESULT " + json.dumps({"benchmark": name, **result}, ensure_ascii=False, default=str), flush=True)


def env(name: str) -> str:
    """A variable `scripts/bench.sh` sets (the broker and database of the benchmark run)."""
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} is not set: run benchmarks through `make bench` (scripts/bench.sh)")
    return value


S = TypeVar("S")


def service_settings(kind: type[S], url: str, tokens: Any) -> S:
    """A service's settings for an in-process benchmark: the test broker under a fresh topic
    prefix, the benchmark's token issuer, no background work, warnings only."""
    from tests import testing  # the benchmarks' helpers from the test suite, loaded when used

    return kind(
        database_url=url,
        kafka_bootstrap_servers=env("IPOPS_TEST_KAFKA"),
        topic_prefix=testing.unique_name("b") + ".",
        jwt_public_keys=[tokens.public_pem],
        jwt_issuer=tokens.issuer,
        jwt_audience=tokens.audience,
        environment="test",
        run_background_tasks=False,
        log_level="WARNING",
    )


def wrk(
    url: str, *, seconds: float, connections: int = 32, threads: int = 2, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """Closed-loop load with wrk (scripts/install-bench-tools.sh installs it): requests/s, p50 and
    p99 latency in ms, and the non-2xx/3xx and socket errors it counted."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "--latency"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if match:
            result[key] = round(float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)], 2)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    result["requests_per_s"] = round(result["requests_per_s"], 1)
    return result


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 120) -> None:
    """Until `url` answers 200 (a process started by a benchmark is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


@contextlib.contextmanager
def profiled(name: str, pid: int | None = None) -> Iterator[None]:
    """With BENCH_PROFILE=1, py-spy samples process `pid` (default: this one) for the block and
    writes var/bench/profile-<name>.txt (collapsed stacks; `python -m benchmarks.profile_summary`
    prints the top frames). Without it, nothing: profiling slows what it watches."""
    if os.environ.get("BENCH_PROFILE") != "1":
        yield
        return
    out = Path(__file__).resolve().parents[1] / "var" / "bench" / f"profile-{name}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(pid or os.getpid()),
            "--format",
            "raw",
            "--rate",
            "200",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        spy.wait(60)
