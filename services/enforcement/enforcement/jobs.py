"""Background jobs of the enforcement service: the daily overdue scan.

The scan is idempotent (each case and clock is flagged once, ever), so the job runs once at
start-up to catch up on days the service was down, then every day at the configured hour.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from enforcement import service
from enforcement.config import EnforcementSettings
from ipops.runtime import ServiceRuntime

log = logging.getLogger(__name__)


def seconds_until(hour_utc: int, now: datetime) -> float:
    """Seconds from `now` to the next `hour_utc`:00 UTC."""
    target = now.replace(hour=hour_utc, minute=0, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds()


async def run_scan(runtime: ServiceRuntime) -> int:
    """One scan for today (China date); returns how many cases it flagged."""
    async with runtime.transaction() as session:
        flagged = await service.scan_overdue(session, service.today())
    return len(flagged)


async def daily_overdue_scan(runtime: ServiceRuntime) -> None:
    """Scan now, then every day at ENFORCEMENT_OVERDUE_SCAN_HOUR_UTC, until cancelled."""
    settings = runtime.settings
    assert isinstance(settings, EnforcementSettings)
    if not settings.overdue_scan_at_startup:
        await asyncio.sleep(seconds_until(settings.overdue_scan_hour_utc, datetime.now(UTC)))
    while True:
        try:
            flagged = await run_scan(runtime)
            log.info("overdue scan done", extra={"flagged": flagged})
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a database outage must not end the job: try again tomorrow
            log.warning("overdue scan failed", extra={"error": repr(exc)})
        await asyncio.sleep(seconds_until(settings.overdue_scan_hour_utc, datetime.now(UTC)))
