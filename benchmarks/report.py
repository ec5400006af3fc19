"""Render docs/BENCHMARKS.md from the outputs `scripts/bench.sh` kept in var/bench/."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "BENCHMARKS.md"


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


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
        f"- date: {datetime.now(UTC).isoformat(timespec='minutes')}; commit {_run('git', 'rev-parse', '--short', 'HEAD')}",
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
    lines = ["| figure | value |", "| --- | --- |"]
    for key, value in result.items():
        if key == "benchmark":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines += ["", "", "| " + " | ".join(value[0]) + " |", "| " + " | ".join("---" for _ in value[0]) + " |"]
            lines += ["| " + " | ".join(str(v) for v in row.values()) + " |" for row in value]
            lines += ["", "| figure | value |", "| --- | --- |"]
        else:
            lines.append(f"| {key} | {value} |")
    return [*lines, ""]


def main() -> None:
    sections = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/bench.sh`, then `benchmarks/report.py`); every figure comes from",
        "the run below on this machine. Each benchmark is a plain script in `benchmarks/` others can run;",
        "ratios compare against a baseline measured in the same run. None of this is a test assertion.",
        "",
        *machine(),
        "",
    ]
    outputs = sorted((ROOT / "var" / "bench").glob("*.txt"))
    if not outputs:
        sections.append("No benchmark has run yet: `make bench`.")
    for path in outputs:
        sections += render(path.stem, path.read_text())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(sections) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
