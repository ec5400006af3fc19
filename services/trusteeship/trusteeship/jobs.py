"""The daily docket job: once at start-up, then shortly after each local midnight."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ipops.runtime import ServiceRuntime
from trusteeship import service
from trusteeship.config import TrusteeshipSettings

log = logging.getLogger(__name__)


def today_in(timezone: str) -> date:
    """Today's date in the district (the docket's calendar)."""
    return datetime.now(ZoneInfo(timezone)).date()


def _seconds_until_next_run(settings: TrusteeshipSettings) -> float:
    zone = ZoneInfo(settings.docket_timezone)
    now = datetime.now(zone)
    run_at = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    run_at += timedelta(minutes=settings.docket_run_minute_after_midnight)
    return max(1.0, (run_at - now).total_seconds())


async def daily_docket(runtime: ServiceRuntime) -> None:
    """Run the docket for today, then every day; a failed run is retried in a minute."""
    settings = runtime.settings
    assert isinstance(settings, TrusteeshipSettings)
    if not settings.docket_job_enabled:
        return
    while True:
        as_of = today_in(settings.docket_timezone)
        try:
            async with runtime.transaction() as session:
                result = await service.run_docket(session, as_of)
            log.info("docket run", extra=result.model_dump(mode="json"))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("docket run failed; retrying in a minute", extra={"as_of": str(as_of), "error": repr(exc)})
            await asyncio.sleep(60)
            continue
        await asyncio.sleep(_seconds_until_next_run(settings))
