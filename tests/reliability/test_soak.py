"""A soak: mixed traffic through the gateway at a fixed rate for a set time (bank writes and reads,
agency work logs and reads, public reads), then throughput, error rate, p50/p99 latency and the
consumer lag of every group, recorded for docs/RELIABILITY.md."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from ipops.identifiers import make_patent_number
from tests.e2e.conftest import Caller, token
from tests.e2e.test_scenarios import credit_code
from tests.stack import ROOT, Stack, whole_platform
from tests.testing import kafka_bootstrap

pytestmark = pytest.mark.faults

RATE = float(os.environ.get("SOAK_RATE", "20"))  # requests a second
SECONDS = float(os.environ.get("SOAK_SECONDS", "40"))
RESULTS = ROOT / "var" / "reliability" / "soak.json"
P, T = "/api/v1/pledge", "/api/v1/trusteeship"


@pytest.fixture(scope="module")
async def soak_stack() -> AsyncIterator[Stack]:
    async with whole_platform() as stack:
        yield stack


async def consumer_lag(prefix: str) -> dict[str, int]:
    """Messages not yet committed per consumer group of this stack."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap())
    probe = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap())
    await admin.start()
    await probe.start()
    try:
        groups = [g[0] for g in await admin.list_consumer_groups() if g[0].startswith(prefix)]
        lag: dict[str, int] = {}
        for group in groups:
            offsets = await admin.list_consumer_group_offsets(group)
            parts = [TopicPartition(tp.topic, tp.partition) for tp in offsets]
            ends = await probe.end_offsets(parts) if parts else {}
            lag[group.removeprefix(prefix)] = sum(ends[tp] - meta.offset for tp, meta in offsets.items())
        return lag
    finally:
        await probe.stop()
        await admin.close()


async def test_mixed_traffic_at_a_fixed_rate(soak_stack: Stack) -> None:
    gw = soak_stack.apps["gateway"].url
    async with httpx.AsyncClient(base_url=gw, timeout=15) as client:
        secret = soak_stack.apps["gateway"].env["GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET"]
        operator = Caller(client, await token(client, "operator", secret))

        async def caller(role: str, tenant: str) -> Caller:
            created = await operator.ok("/api/v1/gateway/clients", {"name": tenant, "role": role, "tenant_id": tenant})
            return Caller(client, await token(client, created["client_id"], created["client_secret"]), tenant)

        bank, agency = await caller("bank", "bank-soak"), await caller("agency", "agency-soak")
        await operator.ok(f"{P}/banks", {"id": "bank-soak", "name": "Soak Bank"})
        await operator.ok(
            f"{T}/agencies",
            {
                "id": "agency-soak",
                "name": "Soak Agency",
                "contract_number": "DL-SOAK",
                "contract_start_date": "2019-01-01",
                "contract_end_date": "2027-12-31",
                "quota": 5000,
            },
        )
        codes = [credit_code(720000 + i) for i in range(20)]
        for code in codes:
            await agency.ok(
                f"{T}/enrolments",
                {
                    "enterprise": {
                        "credit_code": code,
                        "name": f"Soak {code[-5:]}",
                        "industry": "new materials",
                        "size": "small",
                        "address": "Dongli",
                    },
                    "start_date": "2025-01-02",
                    "reason": "soak",
                },
            )
            await bank.ok(f"{P}/enterprises", {"credit_code": code, "name": f"Soak {code[-5:]}"})

        serial = iter(range(1, 10**6))

        async def bank_write() -> httpx.Response:
            return await bank.post(
                f"{P}/rights",
                {
                    "kind": "patent",
                    "number": make_patent_number(2024, "1", 730000 + next(serial)),
                    "title": "soak",
                    "owner_credit_code": random.choice(codes),
                },
            )

        async def work_log() -> httpx.Response:
            return await agency.post(
                f"{T}/work-logs",
                {
                    "credit_code": random.choice(codes),
                    "service_type": "consultation",
                    "work_date": "2025-06-01",
                    "hours": "1.0",
                    "description": "soak",
                },
            )

        mix = [
            ("bank write", bank_write, 2),
            ("bank read", lambda: bank.get(f"{P}/loans"), 3),
            ("agency work log", work_log, 2),
            ("agency read", lambda: agency.get(f"{T}/enterprises"), 2),
            ("public read", lambda: client.get("/api/v1/enforcement/public/statistics"), 1),
        ]
        weighted = [(name, fn) for name, fn, w in mix for _ in range(w)]
        latencies: dict[str, list[float]] = {name: [] for name, _, _ in mix}
        statuses: dict[str, int] = {}
        hung = 0

        async def one(name: str, fn: Any) -> None:
            nonlocal hung
            started = time.perf_counter()
            try:
                response = await fn()
            except httpx.TimeoutException:
                hung += 1
                return
            latencies[name].append((time.perf_counter() - started) * 1000)
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1

        tasks = []
        begin = time.monotonic()
        for i in range(int(RATE * SECONDS)):
            delay = begin + i / RATE - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            name, fn = random.choice(weighted)
            tasks.append(asyncio.create_task(one(name, fn)))
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - begin
        lag_at_end = await consumer_lag(soak_stack.prefix)
        await asyncio.sleep(5)
        lag_after = await consumer_lag(soak_stack.prefix)

    from benchmarks.common import percentile

    total = sum(statuses.values())
    errors = sum(n for s, n in statuses.items() if s.startswith("5"))
    result: dict[str, Any] = {
        "rate_per_s": RATE,
        "seconds": SECONDS,
        "requests": total,
        "throughput_per_s": round(total / elapsed, 1),
        "statuses": statuses,
        "error_rate_5xx": round(errors / max(total, 1), 4),
        "hung": hung,
        "latency_ms": {
            name: {"p50": round(percentile(v, 50), 1), "p99": round(percentile(v, 99), 1)}
            for name, v in latencies.items()
        },
        "consumer_lag_at_end": lag_at_end,
        "consumer_lag_5s_later": lag_after,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps([result], indent=2))
    assert errors == 0 and hung == 0, result
    assert set(statuses) <= {"200", "201"}, result
    assert all(v == 0 for v in lag_after.values()), result
