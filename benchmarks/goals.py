"""The goals of issue #17, each as the measured value beside the machine's figure from the same
`make bench` run (benchmarks/machine.py: pgbench and wrk), the ratio, and met / not met.

A goal stated as a ratio to the machine (a claim's latency against pgbench's) is judged on the
ratio. A goal stated as an absolute rate (1,000 events/s) is judged on the rate; the ratio to the
machine is shown beside it so a reader can tell a slow program from a busy machine: the table also
gives the target scaled by how fast the machine was in this run against the figure the issue was
written with (issue #17's quiet-machine figures: TPC-B 1 client 1,639 tps, 0.61 ms; 8 clients
4,383 tps; bare FastAPI 7,800 req/s)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ISSUE_MACHINE = {
    "pgbench_tpcb_1_client_latency_ms": 0.61,
    "pgbench_tpcb_1_client_tps": 1639.0,
    "pgbench_tpcb_8_clients_tps": 4383.0,
    "wrk_bare_fastapi_1_worker_rps": 7800.0,
}
Results = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Goal:
    name: str
    measured: str  # what the figure is
    machine_key: str | None  # the machine figure it is set beside (benchmarks/machine.py), or
    # the name of a figure another benchmark measured on the machine in the same run (`base`)
    # (value from the results, or None if not measured); lower-is-better goals say so
    value: Callable[[Results], float | None]
    target: float  # on the ratio when `on_ratio`, else on the value
    on_ratio: bool
    lower_is_better: bool = False
    extra: Callable[[Results], str] = lambda _r: ""
    base: Callable[[Results], float | None] | None = None  # when the machine figure is not machine.py's


def _first(results: Results, name: str, **match: Any) -> dict[str, Any] | None:
    for row in results.get(name, []):
        if all(row.get(k) == v for k, v in match.items()):
            return row
    return None


def _get(name: str, key: str, **match: Any) -> Callable[[Results], float | None]:
    def read(results: Results) -> float | None:
        row = _first(results, name, **match)
        value = row.get(key) if row else None
        return float(value) if isinstance(value, int | float) else None

    return read


def _event_rate(results: Results) -> float | None:
    """The highest steady rate that was sustained with p99 <= 100 ms."""
    row = _first(results, "event_path")
    if not row:
        return None
    ok = [r["rate_per_s"] for r in row["steady"] if r["sustained"] and r["p99_ms"] <= 100]
    return float(max(ok)) if ok else 0.0


def _event_bound(results: Results) -> str:
    """What bounds the path: the CPU each part spent per event at the highest offered rate, and
    the rate the machine's cores could carry at that cost."""
    row = _first(results, "event_path")
    steady = row.get("steady", []) if row else []
    if not steady or "cpu_ms_total" not in steady[-1]:
        return ""
    top = steady[-1]
    parts = ", ".join(
        f"{k.removeprefix('cpu_ms_')} {top[k]:.2f}" for k in top if k.startswith("cpu_ms_") and k != "cpu_ms_total"
    )
    return (
        f"at {top['rate_per_s']}/s offered ({top['committed_per_s']}/s committed) the path cost "
        f"{top['cpu_ms_total']:.2f} ms of CPU per event ({parts}): the cores carry at most "
        f"{top['cpu_bound_per_s']}/s at that cost"
    )


def _gateway_read(results: Results) -> float | None:
    row = _first(results, "gateway_overhead")
    if not row:
        return None
    return max((t["requests_per_s"] for t in row["targets"] if t["target"] == "gateway"), default=None)


def _public_hit(results: Results) -> float | None:
    row = _first(results, "public_progress")
    if not row:
        return None
    return max((max(r.get("hit_1_worker_rps", 0), r.get("hit_2_workers_rps", 0)) for r in row["rows"]), default=None)


def _balance(results: Results) -> str:
    row = _first(results, "pledge_claims", concurrency=8)
    return "" if not row else ("balance exact" if row["pool_balance_ok"] else "BALANCE WRONG")


def _drain_bound(results: Results) -> str:
    row = _first(results, "event_path")
    if not row or "drain_one_consumer_core_share" not in row:
        return ""
    return (
        f"one consumer used {row['drain_one_consumer_core_share']:.0%} of a core, the machine was "
        f"{row['drain_one_machine_busy_share']:.0%} busy; with two: busiest consumer "
        f"{row['drain_two_busiest_consumer_core_share']:.0%}, machine {row['drain_two_machine_busy_share']:.0%}"
    )


GOALS = [
    Goal(
        "a claim, serial: p50 ≤ 5 x pgbench 1-client latency",
        "claim p50 ms",
        "pgbench_tpcb_1_client_latency_ms",
        _get("pledge_claims", "p50_ms", concurrency=1),
        5.0,
        on_ratio=True,
        lower_is_better=True,
    ),
    Goal(
        "claims on one pool, 8 concurrent: ≥ 10 % of pgbench 8-client tps, balance exact",
        "claims/s",
        "pgbench_tpcb_8_clients_tps",
        _get("pledge_claims", "claims_per_s", concurrency=8),
        0.10,
        on_ratio=True,
        extra=_balance,
    ),
    Goal(
        "event path: sustained ≥ 1,000 events/s commit → applied, p99 ≤ 100 ms",
        "events/s sustained",
        "pgbench_tpcb_1_client_tps",
        _event_rate,
        1000.0,
        on_ratio=False,
        extra=_event_bound,
    ),
    Goal(
        "one consumer drains a backlog at ≥ 1 x pgbench 1-client tps",
        "events/s",
        "pgbench_tpcb_1_client_tps",
        _get("event_path", "drain_one_replica_per_s"),
        1.0,
        on_ratio=True,
        extra=_drain_bound,
    ),
    Goal(
        "two replicas drain faster than one",
        "events/s, two replicas",
        "one replica's drain (same run)",
        _get("event_path", "drain_two_replicas_per_s"),
        1.0,
        on_ratio=True,
        base=_get("event_path", "drain_one_replica_per_s"),
    ),
    Goal(
        "case intake ≥ 300/s",
        "cases/s, 8 concurrent",
        "pgbench_tpcb_1_client_tps",
        _get("enforcement_intake_concurrent", "cases_per_s"),
        300.0,
        on_ratio=False,
    ),
    Goal(
        "authenticated list read through the gateway ≥ 3 x today's 700 req/s",
        "req/s (best worker count)",
        "wrk_bare_fastapi_1_worker_rps",
        _gateway_read,
        2100.0,
        on_ratio=False,
    ),
    Goal(
        "public progress, cache hit ≥ 5,000 req/s",
        "req/s (best worker count)",
        "wrk_bare_fastapi_1_worker_rps",
        _public_hit,
        5000.0,
        on_ratio=False,
    ),
    Goal(
        "bulk work logs ≥ 40,000 rows/s for a 10,000-row file",
        "rows/s (csv)",
        "pgbench_tpcb_1_client_tps",
        _get("trusteeship_bulk_upload", "accepted_rows_per_s", rows=10000, format="csv"),
        40000.0,
        on_ratio=False,
    ),
    Goal(
        "landscape of 1M records ≤ 5 s",
        "seconds",
        "DuckDB reading the same file, nothing computed (same run)",
        _get("navigation_landscape", "analyse_seconds", records=1000000),
        5.0,
        on_ratio=False,
        lower_is_better=True,
        base=_get("navigation_landscape", "bare_scan_seconds", records=1000000),
    ),
    Goal(
        "landscape of 1M records ≤ 1 GB peak",
        "peak RSS MB",
        "the analysed file's size, MB",
        _get("navigation_landscape", "peak_rss_mb", records=1000000),
        1024.0,
        on_ratio=False,
        lower_is_better=True,
        base=_get("navigation_landscape", "file_mb", records=1000000),
    ),
]


def machine_figures(results: Results) -> dict[str, float]:
    """The mean of the machine's figures measured before and after the other benchmarks."""
    rows = results.get("machine", [])
    keys = {k for row in rows for k, v in row.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    return {k: statistics.mean(row[k] for row in rows if k in row) for k in keys}


def _fmt(value: float | None) -> str:
    if value is None:
        return "not measured"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def goal_rows(results: Results) -> list[str]:
    machine = machine_figures(results)
    lines = [
        "| goal | measured | value | machine figure (this run) | ratio | target | scaled target | status |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for goal in GOALS:
        value = goal.value(results)
        if goal.base is not None:
            base = goal.base(results)
        else:
            base = machine.get(goal.machine_key) if goal.machine_key else None
        ratio = value / base if value is not None and base else None
        judged = ratio if goal.on_ratio else value
        met = None
        if judged is not None:
            met = judged <= goal.target if goal.lower_is_better else judged >= goal.target
        scaled = ""
        if not goal.on_ratio and goal.machine_key and base and goal.machine_key in ISSUE_MACHINE:
            factor = base / ISSUE_MACHINE[goal.machine_key]
            scaled = _fmt(goal.target * factor)
        status = "not measured" if met is None else ("**met**" if met else "not met")
        if (
            met is False
            and scaled
            and value is not None
            and value >= goal.target * base / ISSUE_MACHINE[goal.machine_key]
        ):  # type: ignore[index]
            status += " (met on the scaled target)"
        machine_text = f"{_fmt(base)} ({goal.machine_key})" if base is not None else "—"
        target = (
            f"ratio {'≤' if goal.lower_is_better else '≥'} {goal.target:g}"
            if goal.on_ratio
            else (f"{'≤' if goal.lower_is_better else '≥'} {goal.target:,g}")
        )
        note = goal.extra(results)
        lines.append(
            f"| {goal.name} | {goal.measured} | {_fmt(value)} | {machine_text} | {_fmt(ratio) if ratio else '—'} "
            f"| {target} | {scaled or '—'} | {status}{'; ' + note if note else ''} |"
        )
    return lines


def machine_rows(results: Results) -> list[str]:
    lines = [
        "| machine figure | " + " | ".join(r.get("label", "?") for r in results.get("machine", [])) + " | issue #17 |"
    ]
    lines.append("| --- |" + " ---: |" * (len(results.get("machine", [])) + 1))
    keys = (
        [k for k in results.get("machine", [{}])[0] if k not in ("benchmark", "label")]
        if results.get("machine")
        else []
    )
    for key in keys:
        cells = [str(r.get(key, "")) for r in results["machine"]]
        lines.append(f"| {key} | " + " | ".join(cells) + f" | {ISSUE_MACHINE.get(key, '')} |")
    return lines
