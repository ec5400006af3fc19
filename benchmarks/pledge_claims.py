"""Pledge benchmark: the compensation arithmetic alone, and claims end to end on PostgreSQL.

- `split_loss` calls per second (pure domain: band lookup, exact IP share, absent parties,
  allocate, caps).
- Claims through POST /loans/{id}/claims, in-process HTTP app on PostgreSQL, fired `concurrency`
  at a time against ONE pool: every claim locks the pool row (SELECT ... FOR UPDATE), so this
  measures the serialised path that keeps the pool from being overdrawn. Reported: claims/s and
  p50/p95 latency, and the pool's final balance checked against the expected one.
- Loan submissions per second (rights, appraisal look-ups, live-collateral check, outbox) for scale.
Usage: python -m benchmarks.pledge_claims [--claims 100] [--concurrency 1 8] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from decimal import Decimal
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from stdnum.cn import uscc

from benchmarks.common import emit, median, percentile, profiled, service_settings
from ipops.identifiers import make_patent_number
from ipops.money import to_fen
from pledge.config import PledgeSettings
from pledge.domain.compensation import AgreementTerms, Band, Collateral, PaidSoFar, split_loss
from pledge.enums import Party
from pledge.main import create_app
from tests import testing

BASE = "/api/v1/pledge"
D = Decimal


def bench_split(n: int) -> float:
    terms = AgreementTerms(
        shares={Party.POOL: D(54), Party.BANK: D(26), Party.INSURER: D(16), Party.VALUER: D(4)},
        bands=(
            Band(to_fen("5000000"), {Party.POOL: D(40), Party.BANK: D(60)}),
            Band(to_fen("30000000"), {Party.POOL: D(20), Party.BANK: D(80)}),
        ),
        per_loan_cap_fen=to_fen("2000000"),
        per_enterprise_cap_fen=to_fen("3000000"),
        yearly_agreement_cap_fen=to_fen("1500000000"),
    )
    parties = [frozenset(Party), frozenset({Party.POOL, Party.BANK, Party.VALUER})]  # with and without an insurer
    start = time.perf_counter()
    for i in range(n):
        principal = 100_000 + i * 997 % 2_000_000_000
        split_loss(
            terms,
            loss_fen=principal // 2,
            principal_fen=principal,
            collateral=Collateral(principal * (7 + i % 3), principal * (i % 4)),
            parties=parties[i % 2],
            paid=PaidSoFar(enterprise_fen=i % 1_000_000, agreement_year_fen=i * 1000),
        )
    return n / (time.perf_counter() - start)


async def keyed(client: httpx.AsyncClient, headers: dict[str, str], path: str, body: Any) -> httpx.Response:
    response = await client.post(BASE + path, json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
    if response.status_code >= 300:
        raise RuntimeError(f"{path}: {response.status_code} {response.text}")
    return response


async def fire_claims(
    client: httpx.AsyncClient, bank: dict[str, str], loan_ids: list[str], concurrency: int
) -> tuple[list[float], float]:
    """File a claim on every loan, `concurrency` at a time; (latencies, elapsed seconds)."""
    latencies: list[float] = []
    queue = list(loan_ids)

    async def worker() -> None:
        while queue:
            loan_id = queue.pop()
            t = time.perf_counter()
            r = await keyed(client, bank, f"/loans/{loan_id}/claims", {"loss": "1000000.00"})
            latencies.append(time.perf_counter() - t)
            if r.json()["status"] != "paid":
                raise RuntimeError(r.text)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - start


async def run(claims: int, concurrencies: list[int]) -> None:
    # enough for every claim's 54 % share, with room: a refusal would measure the wrong path
    funds = Decimal("600000.00") * claims + Decimal("1000000.00")
    tokens = testing.TokenFactory()
    url = await testing.create_database("bench_pledge_")
    settings = service_settings(PledgeSettings, url, tokens)
    op = tokens.headers("operator")
    bank = tokens.headers("bank", "bench-bank")
    try:
        app = create_app(settings)
        async with LifespanManager(app, startup_timeout=60):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                await keyed(client, op, "/banks", {"id": "bench-bank", "name": "Bench Bank"})
                serial = 0
                for concurrency in concurrencies:
                    pool_id = f"pool-{concurrency}"
                    await keyed(client, op, "/pools", {"id": pool_id, "name": "bench"})
                    await keyed(
                        client, op, f"/pools/{pool_id}/contributions", {"source": "district", "amount": str(funds)}
                    )
                    await keyed(
                        client,
                        op,
                        "/pool-agreements",
                        {
                            "pool_id": pool_id,
                            "bank_id": "bench-bank",
                            "terms": {"shares": {"pool": "54", "bank": "26", "insurer": "16", "valuer": "4"}},
                        },
                    )
                    loan_ids: list[str] = []
                    submit_times: list[float] = []
                    for _ in range(claims):
                        serial += 1
                        body = f"91120110{serial:09d}"
                        code = body + uscc.calc_check_digit(body)
                        await keyed(client, bank, "/enterprises", {"credit_code": code, "name": f"E{serial}"})
                        right = (
                            await keyed(
                                client,
                                bank,
                                "/rights",
                                {
                                    "kind": "patent",
                                    "number": make_patent_number(2021, "1", serial),
                                    "title": "m",
                                    "owner_credit_code": code,
                                },
                            )
                        ).json()
                        await keyed(
                            client,
                            bank,
                            f"/rights/{right['id']}/appraisals",
                            {"value": "2000000.00", "valuer": "v", "appraised_date": "2026-01-01"},
                        )
                        t0 = time.perf_counter()
                        loan = (
                            await keyed(
                                client,
                                bank,
                                "/loans",
                                {
                                    "enterprise_credit_code": code,
                                    "amount": "1000000.00",
                                    "term_months": 12,
                                    "right_ids": [right["id"]],
                                },
                            )
                        ).json()
                        submit_times.append(time.perf_counter() - t0)
                        for move, extra in [
                            ("approve", {}),
                            ("register", {"registration_number": "Y", "registered_date": "2026-01-02"}),
                            ("disburse", {}),
                            ("mark_overdue", {"overdue_since": "2026-06-01"}),
                            ("default", {}),
                        ]:
                            await keyed(client, bank, f"/loans/{loan['id']}/transitions", {"move": move, **extra})
                        loan_ids.append(loan["id"])
                    with profiled(f"claims-{concurrency}"):
                        latencies, elapsed = await fire_claims(client, bank, loan_ids, concurrency)
                    pool = (await client.get(f"{BASE}/pools/{pool_id}", headers=op)).json()
                    expected = funds - Decimal("540000.00") * claims
                    emit(
                        "pledge_claims",
                        {
                            "claims": claims,
                            "concurrency": concurrency,
                            "claims_per_s": round(claims / elapsed, 1),
                            "p50_ms": round(median(latencies) * 1000, 1),
                            "p95_ms": round(percentile(latencies, 95) * 1000, 1),
                            "submit_p50_ms": round(median(submit_times) * 1000, 1),
                            "pool_balance_ok": Decimal(pool["balance"]) == expected,
                        },
                    )
    finally:
        await testing.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    claims = 30 if args.quick else args.claims
    emit("pledge_split", {"calls": 20000, "split_loss_per_s": round(bench_split(20000))})
    asyncio.run(run(claims, args.concurrency))


if __name__ == "__main__":
    main()
