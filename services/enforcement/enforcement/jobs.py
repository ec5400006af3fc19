"""Background jobs of the enforcement service: the daily overdue scan.

The scan is idempotent (each case and clock is flagged once, ever), so the job runs once at
start-up to catch up on days the service was down, then every day at
ENFORCEMENT_OVERDUE_SCAN_HOUR_UTC (01:00 UTC, 09:00 in Beijing, by default).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

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


daily_overdue_scan = daily_job("overdue scan", scan_overdue, overdue_scan_schedule, settings=EnforcementSettings)
