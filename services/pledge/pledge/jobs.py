"""The pledge service's daily job: days past due, recomputed just after the district's midnight.

The run is idempotent for a date (a loan past maturity is marked overdue once; DPD is a function
of the date), so it also runs at start-up to catch up on nights the service was down.
"""

from __future__ import annotations

from datetime import time

from ipops.jobs import DailySchedule, daily_job
from pledge.config import PledgeSettings
from pledge.loans import service as loans


def dpd_schedule(settings: PledgeSettings) -> DailySchedule:
    """At start-up, then 00:05 each day in the district; the run is for the district's date."""
    return DailySchedule(at=time(0, 5))


daily_dpd = daily_job("daily_dpd", loans.recompute_dpd, dpd_schedule, settings=PledgeSettings)
