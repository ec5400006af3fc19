"""The embedded mode (SQLite) runs the same core scenario as PostgreSQL, and the daily docket job
wired in `ServiceDefinition.jobs` runs at start-up and sends the day's reminders."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from ipops.identifiers import make_patent_number
from tests import testing
from tests.testing import eventually
from tests.trusteeship.helpers import BASE, as_agency, as_operator, credit_code, enrol, outbox_types, register_agency
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import create_app

A = "agency-a"


async def test_core_scenario_on_both_databases(
    any_db_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
) -> None:
    settings = settings_for(TrusteeshipSettings, any_db_url, run_background_tasks=False)
    async with serve_app(create_app(settings)) as client:
        await register_agency(client, tokens, A)
        codes = [credit_code(300 + i) for i in range(3)]
        for code in codes:
            await enrol(client, tokens, A, code)
        patent = await client.post(
            f"{BASE}/enterprises/{codes[0]}/patents",
            json={
                "number": make_patent_number(2024, "2", 9),
                "title": "x",
                "filing_date": "2024-02-29",
                "grant_date": "2025-06-10",
            },
            headers=as_agency(tokens, A),
        )
        assert patent.status_code == 201, patent.text
        run = await client.post(f"{BASE}/docket/run", json={"as_of": "2031-02-28"}, headers=as_operator(tokens))
        assert run.status_code == 200 and run.json()["patents_lapsed"] == 1

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["credit_code", "service_type", "work_date", "hours", "description"])
        for i in range(300):
            writer.writerow([codes[i % 3], "training" if i % 2 else "search", f"2025-0{1 + i % 3}-15", "2", f"w{i}"])
        uploaded = await client.post(
            f"{BASE}/work-logs/bulk",
            content=out.getvalue().encode(),
            headers={**as_agency(tokens, A), "Content-Type": "text/csv"},
        )
        assert uploaded.status_code == 201, uploaded.text
        stats = (
            await client.get(
                f"{BASE}/statistics/work",
                params={"from_date": "2025-01-01", "to_date": "2025-12-31"},
                headers=as_agency(tokens, A, keyed=False),
            )
        ).json()["rows"]
        assert [(r["month"], r["service_type"], r["count"], r["hours"]) for r in stats] == [
            ("2025-01", "search", 50, "100.00"),
            ("2025-01", "training", 50, "100.00"),
            ("2025-02", "search", 50, "100.00"),
            ("2025-02", "training", 50, "100.00"),
            ("2025-03", "search", 50, "100.00"),
            ("2025-03", "training", 50, "100.00"),
        ]
        coverage = (await client.get(f"{BASE}/statistics/coverage", headers=as_operator(tokens, keyed=False))).json()
        assert coverage["covered"] == 3 and coverage["agencies"][0]["quota_used_percent"] == "6.00"


async def test_daily_job_sends_todays_reminders_at_start(
    pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    quiet = settings_for(TrusteeshipSettings, pg_url, run_background_tasks=False)
    async with serve_app(create_app(quiet)) as client:
        await register_agency(client, tokens, A)
        code = credit_code(400)
        await enrol(client, tokens, A, code)
        # an invention whose 9th anniversary (fee of year 10) is 30 days from today
        due = today + timedelta(days=30)
        filed = due - relativedelta(years=9)
        created = await client.post(
            f"{BASE}/enterprises/{code}/patents",
            json={
                "number": make_patent_number(filed.year, "1", 4),
                "title": "x",
                "filing_date": filed.isoformat(),
                "grant_date": (filed + relativedelta(years=3)).isoformat(),
            },
            headers=as_agency(tokens, A),
        )
        assert created.status_code == 201, created.text
    assert "ipops.trusteeship.fee.due.v1" not in await outbox_types(pg_url)

    live = settings_for(TrusteeshipSettings, pg_url)
    async with serve_app(create_app(live)):

        async def reminded() -> bool:
            return "ipops.trusteeship.fee.due.v1" in await outbox_types(pg_url)

        await eventually(reminded, timeout=30, message="the daily job sent no reminder")
    assert (await outbox_types(pg_url)).count("ipops.trusteeship.fee.due.v1") == 1
