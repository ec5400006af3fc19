"""The daily DPD job: scheduled at 00:05 in the district (and at start-up), wired into the
service, and run for the district's date (real PostgreSQL: a matured loan becomes overdue)."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import update

from ipops import db
from ipops.clock import DISTRICT_TZ, district_today, utc_now
from pledge.jobs import daily_dpd, dpd_schedule
from pledge.main import DEFINITION
from pledge.models import Loan
from tests import testing
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, drive, submit


def test_scheduled_just_after_the_districts_midnight_and_at_start_up(
    tokens: testing.TokenFactory, kafka_bootstrap: str
) -> None:
    schedule = dpd_schedule(pledge_settings("sqlite+aiosqlite://", tokens, kafka_bootstrap))
    assert (schedule.at, schedule.zone, schedule.at_start, schedule.enabled) == (time(0, 5), DISTRICT_TZ, True, True)


def test_the_service_runs_the_job() -> None:
    assert list(DEFINITION.jobs) == [daily_dpd]
    assert daily_dpd.__name__ == "daily_dpd"


async def test_the_job_marks_a_matured_loan_overdue_as_of_the_districts_date(
    bank: Api, module_pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str
) -> None:
    loan = await submit(bank, amount="1000.00")  # 12 months
    await drive(bank, loan["id"], "disbursed")
    engine = db.create_engine(module_pg_url)
    sessionmaker = db.make_sessionmaker(engine)
    async with db.transaction(sessionmaker) as session:  # paid out 400 days ago: past maturity
        await session.execute(
            update(Loan)
            .where(Loan.id == loan["id"])  # type: ignore[arg-type]
            .values(disbursed_at=utc_now() - timedelta(days=400), disbursed_date=district_today() - timedelta(days=400))
        )
    settings = pledge_settings(module_pg_url, tokens, kafka_bootstrap)
    runtime = SimpleNamespace(
        settings=settings,
        settings_as=lambda kind: settings if isinstance(settings, kind) else None,
        transaction=lambda: db.transaction(sessionmaker),
    )
    job = asyncio.create_task(daily_dpd(runtime))  # type: ignore[arg-type]

    async def overdue() -> dict[str, Any] | None:
        shown: dict[str, Any] = (await bank.get(f"/loans/{loan['id']}")).json()
        return shown if shown["status"] == "overdue" else None

    try:
        shown = await testing.eventually(overdue, message="the start-up run marks the loan overdue")
    finally:
        job.cancel()
        await asyncio.gather(job, return_exceptions=True)
        await engine.dispose()
    assert shown["days_past_due"] > 0
    history = (await bank.get(f"/loans/{loan['id']}/history")).json()
    assert (history["state_changes"][-1]["move"], history["state_changes"][-1]["actor"]) == (
        "mark_overdue",
        "system:daily-dpd",
    )
    assert history["dpd_records"][-1]["as_of_date"] == str(district_today())
