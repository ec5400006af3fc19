"""Trusteeship bulk-upload benchmark: work-log rows per second through POST /work-logs/bulk on
PostgreSQL, end to end in-process (HTTP app, idempotency record, parse, validate every row, rule
checks, COPY, outbox event, commit).

Formats: CSV (UTF-8), CSV in GB18030 as Chinese Excel saves it (Chinese headers, detected without
a charset parameter), JSON Lines, and XLSX (the template's Chinese headers, typed date and number
cells). Reported per size and format: median rows/s over the repeats, and for comparison the
rows/s of parsing and validating alone (no database; the garbage collector paused, as the route
does) and, for CSV and XLSX, of a rejected upload (one bad row at the end, so every row is
checked and nothing is written).
Usage: python -m benchmarks.trusteeship_bulk [--sizes 1000 10000] [--repeat 3] [--formats csv xlsx] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import openpyxl
from asgi_lifespan import LifespanManager
from stdnum.cn import uscc

from benchmarks.common import emit, env, median
from ipops.uploads import XLSX_MEDIA_TYPE
from tests import testing
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import create_app
from trusteeship.worklogs import collector, columns, upload

BASE = "/api/v1/trusteeship"
AGENCY = "bench-agency"
ENTERPRISES = 200
TYPES = ["deadline_watch", "search", "filing_assistance", "training", "consultation", "management_system"]
HEADER = [
    "credit_code",
    "service_type",
    "work_date",
    "hours",
    "description",
    "outcome",
    "patent_numbers",
    "trademark_numbers",
    "document_refs",
]


def credit_code(serial: int) -> str:
    body = f"91120110{serial:09d}"
    return body + uscc.calc_check_digit(body)


def records(n: int) -> Iterator[dict[str, str]]:
    start = date(2025, 1, 2)
    for i in range(n):
        yield {
            "credit_code": credit_code(i % ENTERPRISES),
            "service_type": TYPES[i % len(TYPES)],
            "work_date": (start + timedelta(days=i % 300)).isoformat(),
            "hours": "1.50",
            "description": f"annual-fee watch and consultation, item {i}",
            "outcome": "reported to the enterprise",
            "patent_numbers": "202010123456.2" if i % 5 == 0 else "",
            "trademark_numbers": "",
            "document_refs": f"archive://bench/{i}" if i % 10 == 0 else "",
        }


def as_csv(n: int, *, bad_last: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    rows = list(records(n))
    if bad_last:
        rows[-1]["service_type"] = "astrology"
    writer.writerows(rows)
    return out.getvalue().encode()


def as_chinese_csv(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in columns.COLUMNS])
    for r in records(n):
        writer.writerow([r[name] if name != "work_date" else r[name].replace("-", "/") for name in HEADER])
    return out.getvalue().encode("gb18030")


def as_xlsx(n: int, *, bad_last: bool = False) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("工作记录")
    sheet.append([c.label for c in columns.COLUMNS])
    for i, r in enumerate(records(n)):
        row: list[Any] = [r[name] or None for name in HEADER]
        row[2] = date.fromisoformat(r["work_date"])
        row[3] = 1.5
        if bad_last and i == n - 1:
            row[1] = "astrology"
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_jsonl(n: int) -> bytes:
    lines = []
    for r in records(n):
        obj: dict[str, Any] = {k: v for k, v in r.items() if v}
        for name in ("patent_numbers", "trademark_numbers", "document_refs"):
            obj[name] = [v for v in r[name].split(";") if v]
        lines.append(json.dumps(obj))
    return ("\n".join(lines) + "\n").encode()


@asynccontextmanager
async def running_app(tokens: testing.TokenFactory) -> Any:
    url = await testing.create_database("bench_trusteeship_")
    settings = TrusteeshipSettings(
        database_url=url,
        kafka_bootstrap_servers="127.0.0.1:1",  # not used: no relay, consumers or jobs here
        run_background_tasks=False,
        jwt_public_keys=[tokens.public_pem],
        jwt_issuer=tokens.issuer,
        jwt_audience=tokens.audience,
        environment="test",
        log_level="WARNING",
    )
    app = create_app(settings)
    try:
        async with LifespanManager(app, startup_timeout=60):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=600) as client:
                yield client
    finally:
        await testing.drop_database(url)


async def setup(client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
    op = {**tokens.headers("operator"), "Idempotency-Key": uuid.uuid4().hex}
    r = await client.post(
        f"{BASE}/agencies",
        headers=op,
        json={
            "id": AGENCY,
            "name": "Bench agency",
            "contract_number": "BENCH-1",
            "contract_start_date": "2019-01-01",
            "contract_end_date": "2030-12-31",
            "quota": ENTERPRISES,
        },
    )
    assert r.status_code == 201, r.text
    for i in range(ENTERPRISES):
        code = credit_code(i)
        r = await client.post(
            f"{BASE}/enrolments",
            headers={**tokens.headers("agency", AGENCY), "Idempotency-Key": uuid.uuid4().hex},
            json={
                "enterprise": {
                    "credit_code": code,
                    "name": f"E{i}",
                    "industry": "manufacturing",
                    "size": "small",
                    "address": "Dongli",
                },
                "start_date": "2025-01-01",
                "reason": "bench",
            },
        )
        assert r.status_code == 201, r.text


async def post(client: httpx.AsyncClient, tokens: testing.TokenFactory, body: bytes, media: str) -> tuple[int, float]:
    headers = {**tokens.headers("agency", AGENCY), "Idempotency-Key": uuid.uuid4().hex, "Content-Type": media}
    started = time.perf_counter()
    response = await client.post(f"{BASE}/work-logs/bulk", content=body, headers=headers)
    return response.status_code, time.perf_counter() - started


FORMATS = ("csv", "csv-gb18030", "jsonl", "xlsx")


def bodies(size: int, formats: list[str]) -> Iterator[tuple[str, str, bytes]]:
    """(format, media type, body) of each format asked for."""
    makers = {
        "csv": ("text/csv", as_csv),
        "csv-gb18030": ("text/csv", as_chinese_csv),
        "jsonl": ("application/x-ndjson", as_jsonl),
        "xlsx": (XLSX_MEDIA_TYPE, as_xlsx),
    }
    for fmt in formats:
        media, make = makers[fmt]
        yield fmt, media, make(size)


async def main(sizes: list[int], repeat: int, formats: list[str]) -> None:
    env("IPOPS_TEST_PG_URL")
    tokens = testing.TokenFactory()
    async with running_app(tokens) as client:
        await setup(client, tokens)
        for size in sizes:
            for fmt, media, body in bodies(size, formats):
                accepted = []
                for _ in range(repeat):
                    status, seconds = await post(client, tokens, body, media)
                    assert status == 201, status
                    accepted.append(size / seconds)
                parse_rates = []
                for _ in range(repeat):
                    with collector.paused():  # as the route parses
                        started = time.perf_counter()
                        upload.parse(media, body, max_rows=1_000_000)
                        parse_rates.append(size / (time.perf_counter() - started))
                result = {
                    "rows": size,
                    "format": fmt,
                    "bytes": len(body),
                    "accepted_rows_per_s": round(median(accepted)),
                    "parse_validate_only_rows_per_s": round(median(parse_rates)),
                    "repeats": repeat,
                }
                if fmt in ("csv", "xlsx"):
                    rejected = []
                    bad = as_csv(size, bad_last=True) if fmt == "csv" else as_xlsx(size, bad_last=True)
                    for _ in range(repeat):
                        status, seconds = await post(client, tokens, bad, media)
                        assert status == 422, status
                        rejected.append(size / seconds)
                    result["rejected_rows_per_s"] = round(median(rejected))
                mb = len(body) / 1e6
                print(
                    f"{size:>7} rows {fmt:<11} {mb:6.1f} MB: accepted {result['accepted_rows_per_s']:>7} rows/s"
                    f" | parse+validate only {result['parse_validate_only_rows_per_s']:>7} rows/s"
                    + (
                        f" | rejected {result['rejected_rows_per_s']:>7} rows/s"
                        if "rejected_rows_per_s" in result
                        else ""
                    ),
                    flush=True,
                )
                emit("trusteeship_bulk_upload", result)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 rows, once")
    args = parser.parse_args()
    asyncio.run(main([1_000] if args.quick else args.sizes, 1 if args.quick else args.repeat, args.formats))
