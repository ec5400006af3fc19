"""Write docs/RELIABILITY.md from what the reliability suite recorded in var/reliability/*.json.

Each part of the suite (faults, fuzzing, access, soak) appends its own JSON; this script only
renders them, so the document always says what the last run did, failures included.
"""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "var" / "reliability"
OUT = ROOT / "docs" / "RELIABILITY.md"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _faults(entries: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Faults injected",
        "",
        "| fault | writes | acknowledged | errors answered | hung | final state | lost | applied twice |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        final = e["final"]
        lost = e["writes"] - final["distinct_effects"]
        twice = final["effects"] - final["distinct_effects"]
        errors = e.get("errors") or e.get("errors_answered") or e.get("write_errors_while_down") or {}
        lines.append(
            f"| {e['fault']} | {e['writes']} | {e.get('acknowledged', e['writes'])} | "
            f"{', '.join(f'{k}: {v}' for k, v in errors.items()) or 'none'} | {e.get('hung', 0)} | "
            f"items {final['items']}, effects {final['effects']}, unpublished {final['unpublished']} | "
            f"{lost} | {twice} |"
        )
    total_lost = sum(e["writes"] - e["final"]["distinct_effects"] for e in entries)
    total_twice = sum(e["final"]["effects"] - e["final"]["distinct_effects"] for e in entries)
    events = sum(e["final"]["effects"] for e in entries)
    lines += ["", f"Events checked: {events}. Lost: {total_lost}. Applied twice: {total_twice}.", ""]
    extra = [e for e in entries if "readyz_while_down" in e or "retry_replayed" in e or "slowest_response_s" in e]
    for e in extra:
        notes = {
            k: e[k] for k in ("readyz_while_down", "retry_replayed", "slowest_response_s", "state_at_kill") if k in e
        }
        lines.append(f"- {e['fault']}: {json.dumps(notes, ensure_ascii=False)}")
    lines.append("")
    return lines


def _fuzz(entries: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Inputs tried: OpenAPI fuzzing (Schemathesis, on the running services)",
        "",
        "Checks: no server error, only documented status codes, documented content types.",
        "",
        "| service | token | result | summary |",
        "| --- | --- | --- | --- |",
    ]
    for e in sorted(entries, key=lambda e: (e["service"], e["role"])):
        summary = "; ".join(s.strip() for s in e.get("summary", []) if "NDJSON" not in s)
        lines.append(f"| {e['service']} | {e['role']} | {'pass' if e['exit'] == 0 else 'FAIL'} | {summary} |")
    return [*lines, ""]


def _access(entries: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Requests refused: another tenant's objects (OWASP API1)",
        "",
        "Each object route was called by another tenant with an existing id and with an id that does "
        "not exist; the answers must be the same refusal.",
        "",
        "| route | caller | existing id | missing id |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{e['route']}` | {e['as']} | {e['existing']} | {e['missing']} |" for e in entries]
    leaks = sum(1 for e in entries if e["existing"] != e["missing"])
    return [*lines, "", f"Routes that told an existing object from a missing one: {leaks}.", ""]


def _soak(entries: list[dict[str, Any]]) -> list[str]:
    lines = ["## Load: soak of mixed traffic through the gateway", ""]
    for e in entries:
        lines += [
            f"{e['requests']} requests at {e['rate_per_s']}/s for {e['seconds']} s: throughput "
            f"{e['throughput_per_s']}/s, 5xx rate {e['error_rate_5xx']}, hung {e['hung']}, statuses {e['statuses']}.",
            "",
            "| traffic | p50 ms | p99 ms |",
            "| --- | --- | --- |",
            *[f"| {name} | {v['p50']} | {v['p99']} |" for name, v in e["latency_ms"].items()],
            "",
            f"Consumer lag at the end: {e['consumer_lag_at_end']}; five seconds later: {e['consumer_lag_5s_later']}.",
            "",
        ]
    return lines


def _generic(name: str, entries: list[dict[str, Any]]) -> list[str]:
    lines = [f"## {name.capitalize()}", ""]
    for e in entries:
        lines.append(f"- {json.dumps(e, ensure_ascii=False)}")
    lines.append("")
    return lines


def main() -> None:
    sections: list[str] = [
        "# Reliability report",
        "",
        "Written by `scripts/reliability_report.py` from the last run of the reliability suite "
        "(`make test-faults` and the fuzzing/access parts of `make test`); do not edit by hand.",
        "",
        f"- run: {datetime.now(UTC).isoformat(timespec='seconds')}, commit {_commit()}",
        f"- machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}",
        "",
    ]
    found = sorted(RESULTS.glob("*.json")) if RESULTS.exists() else []
    if not found:
        sections.append("No results recorded yet: run `make test-faults`.")
    for path in found:
        if path.stem == "access-matrix":
            # every cell of the matrix: docs/ACCESS.md is its report, written by its own test
            sections += ["## Access matrix", "", "Every cell, with counts and leaks: `docs/ACCESS.md`.", ""]
            continue
        entries = json.loads(path.read_text())
        render = {"faults": _faults, "fuzz": _fuzz, "access": _access, "soak": _soak}.get(path.stem)
        sections += render(entries) if render else _generic(path.stem, entries)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(sections) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
