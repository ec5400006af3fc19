"""Background jobs of the enforcement service: the daily overdue scan.

The scan is idempotent (each case and clock is flagged once, ever), so the job runs once at
start-up to catch up on days the service was down, then every day at
ENFORCEMENT_OVERDUE_SCAN_HOUR_UTC (01:00 UTC, 09:00 in Beijing, by default).
"""

from __future__ import annotations

from datetime import UTC, time

from enforcement.config import EnforcementSettings
from enforcement.deadlines.service import scan_overdue_today
from ipops.jobs import DailySchedule, daily_job
from ipops.runtime import ServiceRuntime


def overdue_scan_schedule(settings: EnforcementSettings) -> DailySchedule:
    """When the overdue scan runs: at the configured hour (UTC), and at start-up unless turned off."""
    return DailySchedule(at=time(settings.overdue_scan_hour_utc), zone=UTC, at_start=settings.overdue_scan_at_startup)


async def daily_overdue_scan(runtime: ServiceRuntime) -> None:
    """Scan now, then every day at ENFORCEMENT_OVERDUE_SCAN_HOUR_UTC, until cancelled."""
    schedule = overdue_scan_schedule(runtime.settings_as(EnforcementSettings))
    await daily_job("overdue scan", scan_overdue_today, lambda _settings: schedule)(runtime)
