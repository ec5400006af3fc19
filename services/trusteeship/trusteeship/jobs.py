"""The daily docket job: once at start-up, then shortly after each midnight of the docket's
calendar (`TRUSTEESHIP_DOCKET_TIMEZONE`); a failed run is retried in a minute."""

from __future__ import annotations

from datetime import time

from ipops.jobs import DailySchedule, daily_job
from trusteeship.common import docket_zone
from trusteeship.config import TrusteeshipSettings
from trusteeship.docket.service import run_docket


def docket_schedule(settings: TrusteeshipSettings) -> DailySchedule:
    """When the docket runs: `docket_run_minute_after_midnight` past midnight in the docket's zone."""
    hours, minutes = divmod(settings.docket_run_minute_after_midnight % (24 * 60), 60)
    return DailySchedule(
        at=time(hours, minutes),
        zone=docket_zone(settings),
        enabled=settings.docket_job_enabled,
        retry_after=60,
    )


daily_docket = daily_job("docket run", run_docket, docket_schedule, settings=TrusteeshipSettings)
