"""Enforcement benchmark: deadline arithmetic alone, then intake, the deadline lists and the
overdue scan on PostgreSQL.

- Handling deadlines computed per second (pure domain: rule choice, months, a pause, the
  official holiday calendar of the library with the operator's table over it, rolling to a
  working day), and building that calendar (each intake and move does it once).
- Case intake through POST /cases (in-process HTTP app on PostgreSQL; parties, rights, acceptance
  deadline, timeline, outbox, idempotency record): cases/s, p50/p95.
- GET /deadlines/overdue and /deadlines/at-risk with `cases` open cases: p50/p95 (they judge
  every open case in Python against the calendar).
- POST /overdue-scans flagging every case once (row lock, timeline entry, outbox event each), then
  a second scan flagging none.
- What production sees (issue #17): the service as its own uvicorn process (`enforcement`, one
  worker) on a fresh database, `--concurrency` clients over HTTP (aiohttp): intake, then an accept
  and a start of review of every case: requests/s, p50/p95, the process's CPU seconds, and the SQL
  statements one intake and each move send (counted in-process with a `before_cursor_execute`
  listener). `--code DIR` serves the enforcement package found in DIR/services/enforcement (a
  `git archive` of an older commit), so two versions are measured in one run.
Usage: python -m benchmarks.enforcement_deadlines [--cases 1000] [--quick] [--served-only]
       [--concurrency 8] [--code DIR ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from stdnum.cn import uscc

from benchmarks.common import emit, env, free_port, median, percentile, profiled, service_settings, wait_http
from enforcement.config import EnforcementSettings
from enforcement.domain.calendar import SpecialDay, combine, load_seed
from enforcement.domain.deadline import Pause, deadline, load_rules
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import CaseType, Channel
from enforcement.main import create_app
from ipops.identifiers import make_patent_number
from tests import testing

BASE = "/api/v1/enforcement"
ROOT = Path(__file__).resolve().parents[1]


def bench_calendar(n: int) -> float:
    """Calendars built per second from the library and an operator table of 2025-2026's days."""
    operator: list[SpecialDay] = load_seed()
    start = time.perf_counter()
    for _ in range(n):
        combine(OFFICIAL, operator, (2027,))
    return n / (time.perf_counter() - start)


def bench_deadlines(n: int) -> float:
    calendar = combine(OFFICIAL, load_seed(), ())
    rules = load_rules()
    types = list(CaseType)
    start_day = date(2024, 1, 1)  # + 600 days + 5 months stays within the library's years
    start = time.perf_counter()
    for i in range(n):
        case_type = types[i % len(types)]
        channel = Channel.RAPID if i % 3 == 0 else Channel.ORDINARY
        accepted = start_day + timedelta(days=i % 600)
        pauses = [Pause(accepted + timedelta(days=5), accepted + timedelta(days=9))] if i % 2 else []
        deadline(
            rules.handling_rules(case_type, channel, ("design", "invention")[: 1 + i % 2]),
            accepted,
            calendar,
            pauses=pauses,
            as_of=accepted + timedelta(days=30),
        )
    return n / (time.perf_counter() - start)


def keyed(headers: dict[str, str]) -> dict[str, str]:
    """Every write is keyed; each scan is its own request (the second is not a replay)."""
    return {**headers, "Idempotency-Key": uuid.uuid4().hex}


def case_body(i: int) -> dict[str, Any]:
    body = f"91120110{i:09d}"
    return {
        "case_type": ["patent_infringement_adjudication", "patent_mediation", "counterfeit_patent"][i % 3],
        "channel": "rapid" if i % 4 == 0 else "ordinary",
        "title": f"Case {i}",
        "parties": [
            {
                "role": "requester",
                "kind": "enterprise",
                "name": f"E{i}",
                "credit_code": body + uscc.calc_check_digit(body),
            },
            {"role": "respondent", "kind": "person", "name": "Someone"},
        ],
        "patent_numbers": [make_patent_number(2021, "13"[i % 2], i)],
        "received_at": f"2026-01-{1 + i % 28:02d}T02:00:00+00:00",
    }


async def timed_get(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], params: dict[str, str], n: int
) -> tuple[list[float], int]:
    latencies, items = [], 0
    for _ in range(n):
        t = time.perf_counter()
        r = await client.get(BASE + path, headers=headers, params=params)
        latencies.append(time.perf_counter() - t)
        r.raise_for_status()
        items = len(r.json()["items"])
    return latencies, items


async def concurrent_intake(client: httpx.AsyncClient, op: dict[str, str], cases: int, concurrency: int) -> float:
    """Cases taken in per second with `concurrency` requests in flight (intake only)."""
    numbers = iter(range(cases, 2 * cases))

    async def worker() -> None:
        for i in numbers:
            r = await client.post(
                f"{BASE}/cases", json=case_body(i), headers={**op, "Idempotency-Key": uuid.uuid4().hex}
            )
            if r.status_code != 201:
                raise RuntimeError(r.text)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return cases / (time.perf_counter() - start)


async def run(cases: int) -> None:
    tokens = testing.TokenFactory()
    url = await testing.create_database("bench_enforcement_")
    settings = settings_of(url, tokens)
    op = tokens.headers("operator")
    try:
        app = create_app(settings)
        async with LifespanManager(app, startup_timeout=60):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                intake: list[float] = []
                start = time.perf_counter()
                for i in range(cases):
                    t = time.perf_counter()
                    r = await client.post(
                        f"{BASE}/cases", json=case_body(i), headers={**op, "Idempotency-Key": uuid.uuid4().hex}
                    )
                    intake.append(time.perf_counter() - t)
                    if r.status_code != 201:
                        raise RuntimeError(r.text)
                    if i % 2:  # half accepted: their handling clock runs
                        case_id = r.json()["id"]
                        await client.post(
                            f"{BASE}/cases/{case_id}/transitions",
                            json={"move": "accept", "occurred_at": "2026-02-02T02:00:00+00:00"},
                            headers={**op, "Idempotency-Key": uuid.uuid4().hex},
                        )
                elapsed = time.perf_counter() - start
                emit(
                    "enforcement_intake",
                    {
                        "cases": cases,
                        "cases_per_s_with_accept_half": round(cases / elapsed, 1),
                        "intake_per_s_serial": round(len(intake) / sum(intake), 1),
                        "intake_p50_ms": round(median(intake) * 1000, 1),
                        "intake_p95_ms": round(percentile(intake, 95) * 1000, 1),
                    },
                )
                for path, params in [
                    ("/deadlines/overdue", {"as_of": "2026-03-01"}),
                    ("/deadlines/at-risk", {"as_of": "2026-01-20", "within_working_days": "5"}),
                ]:
                    latencies, items = await timed_get(client, path, op, params, 10)
                    emit(
                        "enforcement_deadline_list",
                        {
                            "path": path,
                            "open_cases": cases,
                            "items": items,
                            "p50_ms": round(median(latencies) * 1000, 1),
                            "p95_ms": round(percentile(latencies, 95) * 1000, 1),
                        },
                    )
                t = time.perf_counter()
                first = await client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-12-31"}, headers=keyed(op))
                first_s = time.perf_counter() - t
                t = time.perf_counter()
                second = await client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-12-31"}, headers=keyed(op))
                second_s = time.perf_counter() - t
                emit(
                    "enforcement_overdue_scan",
                    {
                        "open_cases": cases,
                        "flagged": len(first.json()["flagged"]),
                        "scan_s": round(first_s, 2),
                        "flagged_again": len(second.json()["flagged"]),
                        "rescan_s": round(second_s, 2),
                    },
                )
                # after the lists and scans, so their figures are over the `cases` above only
                emit(
                    "enforcement_intake_concurrent",
                    {
                        "cases": cases,
                        "concurrency": 8,
                        "cases_per_s": round(await concurrent_intake(client, op, cases, 8), 1),
                    },
                )
    finally:
        await testing.drop_database(url)


# --- the service as production runs it -----------------------------------------------------------


def code_env(code: Path) -> dict[str, str]:
    """The environment that makes Python import enforcement from `code` (PYTHONPATH comes before
    the editable install's finder)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(code / "services" / "enforcement"), str(ROOT)])}


async def count_statements(cases: int) -> dict[str, float]:
    """Statements per intake and per move, in this process (mean over `cases` cases)."""
    seen: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.startswith("NOTIFY"):  # the outbox wake-up after a commit, not the request's
            seen.append(statement)

    tokens = testing.TokenFactory()
    url = await testing.create_database("bench_enforcement_")
    counts: dict[str, list[int]] = {"intake": [], "accept": [], "start_review": []}
    try:
        app = create_app(settings_of(url, tokens))
        async with LifespanManager(app, startup_timeout=60):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                op = tokens.headers("operator")
                sa_event.listen(Engine, "before_cursor_execute", listener)
                try:
                    for i in range(cases):
                        seen.clear()
                        r = await client.post(f"{BASE}/cases", json=case_body(i), headers=keyed(op))
                        counts["intake"].append(len(seen))
                        for name, at in (("accept", "2026-02-02"), ("start_review", "2026-02-03")):
                            seen.clear()
                            await client.post(
                                f"{BASE}/cases/{r.json()['id']}/transitions",
                                json={"move": name, "occurred_at": f"{at}T02:00:00+00:00"},
                                headers=keyed(op),
                            )
                            counts[name].append(len(seen))
                finally:
                    sa_event.remove(Engine, "before_cursor_execute", listener)
    finally:
        await testing.drop_database(url)
    return {name: round(sum(v) / len(v), 1) for name, v in counts.items()}


def statements_per_request(code: Path) -> None:
    """Statements per intake and move of the enforcement in `code` (its own process)."""
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "benchmarks.enforcement_deadlines", "--count-statements"],
        env=code_env(code),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    emit("enforcement_statements_per_request", {"code": str(code), **json.loads(out.strip().splitlines()[-1])})


def settings_of(url: str, tokens: testing.TokenFactory) -> EnforcementSettings:
    return service_settings(EnforcementSettings, url, tokens)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _phase(
    http: aiohttp.ClientSession, requests: list[tuple[str, dict[str, Any]]], op: dict[str, str], concurrency: int
) -> tuple[float, list[float], list[dict[str, Any]]]:
    """POST every (path, body) with `concurrency` in flight: seconds, latencies, answers."""
    latencies: list[float] = []
    answers: list[dict[str, Any]] = [{} for _ in requests]
    work = iter(enumerate(requests))

    async def worker() -> None:
        for n, (path, body) in work:
            t = time.perf_counter()
            async with http.post(path, json=body, headers=keyed(op)) as r:
                answers[n] = await r.json()
                if r.status not in (200, 201):
                    raise RuntimeError(f"{path}: {r.status} {answers[n]}")
            latencies.append(time.perf_counter() - t)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies, answers


async def served(code: Path, cases: int, concurrency: int) -> None:
    """Intake, then an accept and a start of review per case, against `enforcement` in its own
    uvicorn process (one worker, migrations by its lifespan, no relay or jobs)."""
    tokens = testing.TokenFactory()
    url = await testing.create_database("bench_enforcement_")
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        extra = {
            "ENFORCEMENT_DATABASE_URL": url,
            "ENFORCEMENT_KAFKA_BOOTSTRAP_SERVERS": env("IPOPS_TEST_KAFKA"),
            "ENFORCEMENT_TOPIC_PREFIX": testing.unique_name("b") + ".",
            "ENFORCEMENT_JWT_PUBLIC_KEYS": json.dumps([tokens.public_pem]),
            "ENFORCEMENT_JWT_ISSUER": tokens.issuer,
            "ENFORCEMENT_JWT_AUDIENCE": tokens.audience,
            "ENFORCEMENT_ENVIRONMENT": "test",
            "ENFORCEMENT_RUN_BACKGROUND_TASKS": "false",
            "ENFORCEMENT_LOG_LEVEL": "WARNING",
            "ENFORCEMENT_PORT": str(port),
            "ENFORCEMENT_WORKERS": "1",
        }
        log = (Path(work) / "enforcement.log").open("ab")
        command = [str(ROOT / ".venv" / "bin" / "python"), "-c", "from enforcement.main import run; run()"]
        proc = subprocess.Popen(command, cwd=ROOT, env={**code_env(code), **extra}, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(base + "/healthz")
            op = tokens.headers("operator")
            connector = aiohttp.TCPConnector(limit=concurrency)
            async with aiohttp.ClientSession(base, connector=connector) as http:
                warm = [(f"{BASE}/cases", case_body(10_000 + i)) for i in range(20)]
                await _phase(http, warm, op, concurrency)
                cpu = cpu_seconds(proc.pid)
                with profiled("enforcement-served-intake", proc.pid):  # BENCH_PROFILE=1: py-spy
                    seconds, latencies, answers = await _phase(
                        http, [(f"{BASE}/cases", case_body(i)) for i in range(cases)], op, concurrency
                    )
                result: dict[str, Any] = {"code": str(code), "cases": cases, "concurrency": concurrency}
                result |= figures("intake", cases, seconds, latencies, cpu_seconds(proc.pid) - cpu)
                for name, at in (("accept", "2026-02-02"), ("start_review", "2026-02-03")):
                    body = {"move": name, "occurred_at": f"{at}T02:00:00+00:00"}
                    cpu = cpu_seconds(proc.pid)
                    moves = [(f"{BASE}/cases/{a['id']}/transitions", body) for a in answers]
                    with profiled(f"enforcement-served-{name}", proc.pid):
                        seconds, latencies, _ = await _phase(http, moves, op, concurrency)
                    result |= figures(name, cases, seconds, latencies, cpu_seconds(proc.pid) - cpu)
                result["load_average_1m"] = round(os.getloadavg()[0], 2)
                emit("enforcement_served", result)
        finally:
            proc.terminate()
            proc.wait(30)
            await testing.drop_database(url)


def figures(name: str, n: int, seconds: float, latencies: list[float], cpu: float) -> dict[str, float]:
    """Per second, p50/p95 in ms, and the service's CPU milliseconds per request."""
    return {
        f"{name}_per_s": round(n / seconds, 1),
        f"{name}_p50_ms": round(median(latencies) * 1000, 1),
        f"{name}_p95_ms": round(percentile(latencies, 95) * 1000, 1),
        f"{name}_cpu_ms_each": round(cpu * 1000 / n, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--served-only", action="store_true", help="only the uvicorn process measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--code", action="append", default=[], help="a checkout whose enforcement to serve")
    parser.add_argument("--count-statements", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_statements:  # the child of statements_per_request: one JSON line
        print(json.dumps(asyncio.run(count_statements(20))))
        return
    cases = 100 if args.quick else args.cases
    if not args.served_only:
        emit("enforcement_deadline_math", {"calls": 20000, "deadlines_per_s": round(bench_deadlines(20000))})
        emit("enforcement_calendar_build", {"calls": 2000, "calendars_per_s": round(bench_calendar(2000))})
        asyncio.run(run(cases))
    for code in args.code or [str(ROOT)]:
        statements_per_request(Path(code))
        asyncio.run(served(Path(code), max(cases, 200), args.concurrency))


if __name__ == "__main__":
    main()
