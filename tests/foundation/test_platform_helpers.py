"""The platform code every service shares: the district's clock, back-off, daily schedules,
`flush_or_conflict` and typed settings access."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ipops import db
from ipops.backoff import Backoff
from ipops.clock import DISTRICT_TZ, district_date, district_today, district_year, utc_now
from ipops.errors import Conflict
from ipops.events.inbox import InboxEntry
from ipops.jobs import DailySchedule, date_in, seconds_until
from ipops.runtime import ServiceDefinition, ServiceRuntime
from ipops.settings import ServiceSettings


class TestDistrictClock:
    def test_an_evening_in_utc_is_the_next_day_in_the_district(self) -> None:
        assert district_date(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == date(2026, 1, 1)
        assert district_date(datetime(2025, 12, 31, 15, 59, tzinfo=UTC)) == date(2025, 12, 31)
        assert district_year(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == 2026

    def test_naive_instants_are_refused(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            district_date(datetime(2025, 1, 1))

    def test_today_is_the_district_date_of_now(self) -> None:
        before = utc_now()
        today = district_today()
        assert today in {district_date(before), district_date(utc_now())}
        assert utc_now().tzinfo is UTC


class TestBackoff:
    def test_doubles_up_to_the_cap_and_starts_again_after_success(self) -> None:
        backoff = Backoff(first=0.1, cap=0.5)
        assert [backoff.next_delay() for _ in range(5)] == pytest.approx([0.1, 0.2, 0.4, 0.5, 0.5])
        backoff.reset()
        assert backoff.next_delay() == pytest.approx(0.1)


class TestDailySchedule:
    @pytest.mark.parametrize(
        ("now_utc", "at", "expected"),
        [
            # 23:00 UTC is 07:00 the next day in Beijing: 00:05 is 17 h 5 min away
            (datetime(2026, 1, 1, 23, 0, tzinfo=UTC), time(0, 5), timedelta(hours=17, minutes=5)),
            # 15:00 UTC is 23:00 in Beijing: 00:05 is 65 minutes away
            (datetime(2026, 1, 1, 15, 0, tzinfo=UTC), time(0, 5), timedelta(minutes=65)),
            # exactly at the time: the next run is tomorrow, never now again
            (datetime(2026, 1, 1, 16, 5, tzinfo=UTC), time(0, 5), timedelta(days=1)),
        ],
    )
    def test_next_run_is_the_next_local_time(self, now_utc: datetime, at: time, expected: timedelta) -> None:
        assert seconds_until(DailySchedule(at=at), now_utc) == expected.total_seconds()

    def test_a_zone_other_than_the_district_can_be_named(self) -> None:
        schedule = DailySchedule(at=time(2, 0), zone=UTC)
        assert seconds_until(schedule, datetime(2026, 1, 1, 1, 0, tzinfo=UTC)) == 3600

    def test_the_run_date_is_the_date_in_the_schedule_zone(self) -> None:
        evening = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
        assert date_in(DailySchedule(), evening) == date(2026, 3, 2)
        assert date_in(DailySchedule(zone=UTC), evening) == date(2026, 3, 1)
        assert DailySchedule().zone is DISTRICT_TZ


def _entry(event_id: str) -> InboxEntry:
    return InboxEntry(consumer_group="g", event_id=event_id, event_type="t", handled_at=utc_now())


class TestFlushOrConflict:
    async def test_a_taken_unique_key_is_a_conflict_with_the_message(self, probe_db: db.SessionMaker) -> None:
        async with db.transaction(probe_db) as session:
            session.add(_entry("e1"))
        with pytest.raises(Conflict, match="already there"):
            async with db.transaction(probe_db) as session:
                await _add_again(session)
        async with db.transaction(probe_db) as session:  # the failed one left nothing behind
            assert await session.get(InboxEntry, ("g", "e1")) is not None

    async def test_a_free_key_flushes(self, probe_db: db.SessionMaker) -> None:
        async with db.transaction(probe_db) as session:
            session.add(_entry("e2"))
            await db.flush_or_conflict(session, "unused")
        async with db.transaction(probe_db) as session:
            assert await session.get(InboxEntry, ("g", "e2")) is not None


async def _add_again(session: AsyncSession) -> None:
    session.add(_entry("e1"))
    await db.flush_or_conflict(session, "that event is already there")


class _OtherSettings(ServiceSettings):
    pass


def test_settings_as_gives_the_service_its_own_class_or_says_why_not() -> None:
    definition = ServiceDefinition(name="probe", title="probe", version="0", alembic_ini=Path(__file__), routers=[])
    runtime = ServiceRuntime(definition, _OtherSettings(database_url="sqlite+aiosqlite:///:memory:"))
    assert isinstance(runtime.settings_as(_OtherSettings), _OtherSettings)

    class Unrelated(ServiceSettings):
        pass

    with pytest.raises(TypeError, match="runs with _OtherSettings, not Unrelated"):
        runtime.settings_as(Unrelated)


class TestOwnReadinessChecks:
    async def _report(self, sqlite_url: str, settings_for: Any, **checks: Any) -> dict[str, Any]:
        definition = ServiceDefinition(
            name="probe", title="probe", version="0", alembic_ini=Path(__file__), routers=[], readiness_checks=checks
        )
        settings = settings_for(ServiceSettings, sqlite_url, run_background_tasks=False)
        runtime = ServiceRuntime(definition, settings)
        try:
            return await runtime.readiness()
        finally:
            await runtime.stop()

    async def test_a_warning_is_reported_and_keeps_the_service_ready(self, sqlite_url: str, settings_for: Any) -> None:
        async def calendar(runtime: ServiceRuntime) -> dict[str, Any]:
            return {"status": "warn", "missing_years": [2027]}

        report = await self._report(sqlite_url, settings_for, holiday_calendar=calendar)
        assert report["checks"]["holiday_calendar"] == {"status": "warn", "missing_years": [2027]}
        assert report["status"] == "ready"

    async def test_a_failing_or_broken_check_makes_it_not_ready(self, sqlite_url: str, settings_for: Any) -> None:
        async def down(runtime: ServiceRuntime) -> dict[str, Any]:
            return {"status": "down"}

        async def broken(runtime: ServiceRuntime) -> dict[str, Any]:
            raise RuntimeError("no table")

        report = await self._report(sqlite_url, settings_for, down=down, broken=broken)
        assert report["status"] == "not_ready"
        assert report["checks"]["broken"]["status"] == "down" and "no table" in report["checks"]["broken"]["error"]


class TestLoopbackWithoutTls:
    @pytest.mark.parametrize(
        ("url", "plain"),
        [
            ("postgresql+asyncpg://u:p@127.0.0.1:5432/d", True),
            ("postgresql+asyncpg://u:p@localhost/d", True),
            ("postgresql+asyncpg://u@/d?host=/var/run/postgresql", True),
            ("postgresql+asyncpg://u:p@db.example:5432/d", False),
            ("postgresql+asyncpg://u:p@127.0.0.1/d?ssl=require", False),
            ("postgresql+asyncpg://u:p@localhost/d?sslmode=verify-full", False),
        ],
    )
    def test_only_a_loopback_url_that_names_no_tls_is_plain(self, url: str, plain: bool) -> None:
        assert db._plain_loopback(url) is plain

    async def test_a_loopback_connection_is_not_encrypted(self, pg_url: str) -> None:
        # The test server offers TLS (Debian's cluster does); the engine does not take it on loopback.
        engine = db.create_engine(pg_url)
        try:
            async with engine.connect() as conn:
                ssl = await conn.scalar(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        finally:
            await engine.dispose()
        assert ssl is False
