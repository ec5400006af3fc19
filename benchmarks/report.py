"""Render docs/BENCHMARKS.md from the outputs `scripts/bench.sh` kept in var/bench/: first the
goals of issue #17 against the machine's figures of the same run (benchmarks/goals.py), then where
the time goes (benchmarks/profile.md, written from py-spy profiles), then every benchmark's own
figures."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.goals import goal_rows, machine_rows

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "BENCHMARKS.md"


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _measured_commit() -> str:
    """The commit `scripts/bench.sh` started from (others may commit while it runs)."""
    kept = ROOT / "var" / "bench" / "commit.log"
    return kept.read_text().strip() if kept.exists() else _run("git", "rev-parse", "--short", "HEAD")


def machine() -> list[str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = _run("free", "-g").splitlines()
    return [
        f"- date: {datetime.now(UTC).isoformat(timespec='minutes')}; code measured: commit {_measured_commit()}",
        f"- machine: {os.cpu_count()} cores ({cpu}), {mem[1].split()[1] if len(mem) > 1 else '?'} GiB memory",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}",
        f"- {_run('psql', '--version')}; Kafka 4.1.1 (KRaft, single node); {(_run('java', '-version') or 'java').splitlines()[0] if _run('java', '-version') else 'Java 17'}",
    ]


def render(name: str, text: str) -> list[str]:
    results = [json.loads(line[7:]) for line in text.splitlines() if line.startswith("RESULT ")]
    lines = [f"## {name}", ""]
    if results:
        for result in results:
            lines += _table(result)
    tail = [line for line in text.splitlines() if not line.startswith("RESULT ")][-25:]
    if tail:
        lines += ["<details><summary>output</summary>", "", "```", *tail, "```", "</details>", ""]
    return lines


def _table(result: dict[str, Any]) -> list[str]:
    """Scalars as one figure/value table, each list of rows as a table of its own."""
    scalars = {k: v for k, v in result.items() if k != "benchmark" and not _is_rows(v)}
    lines: list[str] = []
    for key, value in result.items():
        if _is_rows(value):
            columns = list(value[0])
            lines += [f"**{key}**", "", "| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
            lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in value]
            lines.append("")
    if scalars:
        lines += ["| figure | value |", "| --- | --- |", *[f"| {k} | {v} |" for k, v in scalars.items()], ""]
    return lines


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def collect(outputs: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """Every RESULT line of the run, by benchmark name."""
    results: dict[str, list[dict[str, Any]]] = {}
    for path in outputs:
        for line in path.read_text().splitlines():
            if line.startswith("RESULT "):
                row = json.loads(line[7:])
                results.setdefault(row["benchmark"], []).append(row)
    return results


def main() -> None:
    outputs = sorted((ROOT / "var" / "bench").glob("*.txt"))
    results = collect(outputs)
    duration = ROOT / "var" / "bench" / "duration.log"
    sections = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/bench.sh`, then `benchmarks/report.py`); every figure comes from",
        "the run below on this machine. Each benchmark is a plain script in `benchmarks/` others can run;",
        "every goal is set beside the machine's own figures (pgbench, wrk against a bare FastAPI app)",
        "measured in the same run, before and after the others. None of this is a test assertion.",
        "",
        *machine(),
        f"- {duration.read_text().strip() if duration.exists() else 'duration not recorded'}"
        + ("; BENCH_QUICK=1 (a smoke run, not the figures)" if os.environ.get("BENCH_QUICK") == "1" else ""),
        "",
        "## Goals of issue #17",
        "",
        *goal_rows(results),
        "",
        "The machine's figures in this run (before and after the other benchmarks) and in the issue:",
        "",
        *machine_rows(results),
        "",
    ]
    profile = ROOT / "benchmarks" / "profile.md"
    if profile.exists():
        sections += [profile.read_text().rstrip(), ""]
    if not outputs:
        sections.append("No benchmark has run yet: `make bench`.")
    for path in outputs:
        sections += render(path.stem, path.read_text())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(sections) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
