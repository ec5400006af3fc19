"""Background jobs of the enforcement service: the daily overdue scan and the daily calendar check.

The scan is idempotent (each case and clock is flagged once, ever), so the job runs once at
start-up to catch up on days the service was down, then every day at
ENFORCEMENT_OVERDUE_SCAN_HOUR_UTC (01:00 UTC, 09:00 in Beijing, by default).

The calendar check runs at start-up and at 00:05 in the district: it recomputes open cases'
deadlines on the calendar of the day (a year just covered fills in the deadlines that waited for
it), sets the coverage gauges and logs a warning when next year's calendar is missing from
1 December (or this year's at all).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.calendar.service import check_calendar
from enforcement.config import EnforcementSettings
from enforcement.deadlines.service import scan_overdue
from ipops.clock import DISTRICT_TZ
from ipops.jobs import DailySchedule, daily_job


def overdue_scan_schedule(settings: EnforcementSettings) -> DailySchedule:
    """When the overdue scan runs: at the configured hour (given in UTC), and at start-up unless
    turned off. The schedule is kept in the district's zone, so the date each run is for is the
    district's date (deadlines are district dates): 20:00 UTC on the 23rd scans for the 24th."""
    at = datetime.combine(datetime(2000, 1, 1, tzinfo=UTC).date(), time(settings.overdue_scan_hour_utc), tzinfo=UTC)
    return DailySchedule(at=at.astimezone(DISTRICT_TZ).time(), at_start=settings.overdue_scan_at_startup)


async def overdue_scan(session: AsyncSession, as_of: date) -> list[int]:
    """The scan of the day; the counts [flagged, waiting for a calendar year] are logged."""
    judged = await scan_overdue(session, as_of)
    return [len(judged.states), len(judged.waiting)]


def calendar_check_schedule(settings: EnforcementSettings) -> DailySchedule:
    """The calendar check: at start-up and just after the district's midnight, so the alert of
    1 December is raised on 1 December."""
    return DailySchedule(at=time(0, 5), at_start=True)


daily_overdue_scan = daily_job("overdue scan", overdue_scan, overdue_scan_schedule, settings=EnforcementSettings)
daily_calendar_check = daily_job(
    "calendar check", check_calendar, calendar_check_schedule, settings=EnforcementSettings
)
