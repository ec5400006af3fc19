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
Usage: python -m benchmarks.enforcement_deadlines [--cases 1000] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from stdnum.cn import uscc

from benchmarks.common import emit, env, median, percentile
from enforcement.config import EnforcementSettings
from enforcement.domain.calendar import SpecialDay, combine, load_seed
from enforcement.domain.deadline import Pause, deadline, load_rules
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import CaseType, Channel
from enforcement.main import create_app
from ipops.identifiers import make_patent_number
from tests import testing

BASE = "/api/v1/enforcement"


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
    settings = EnforcementSettings(
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    emit("enforcement_deadline_math", {"calls": 20000, "deadlines_per_s": round(bench_deadlines(20000))})
    emit("enforcement_calendar_build", {"calls": 2000, "calendars_per_s": round(bench_calendar(2000))})
    asyncio.run(run(100 if args.quick else args.cases))


if __name__ == "__main__":
    main()
