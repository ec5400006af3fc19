"""Daily background jobs (days past due, the overdue scan, the annual-fee docket) written once.

A job is a use case `work(session, as_of)` that is idempotent for a given date, so it is safe to
run at start-up (to catch up on days the service was down) and again at the scheduled time. The
loop runs it in one transaction for the district's date, sleeps until the next scheduled local
time, and never dies: a failed run (a database outage) is logged and retried after
`retry_after` seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.clock import DISTRICT_TZ, utc_now
from ipops.settings import ServiceSettings

if TYPE_CHECKING:
    from ipops.runtime import Job, ServiceRuntime

log = logging.getLogger(__name__)

Work = Callable[[AsyncSession, date], Awaitable[Any]]
S = TypeVar("S", bound=ServiceSettings)


@dataclass(frozen=True)
class DailySchedule:
    """When a daily job runs: `at` local time in `zone`; first at start-up when `at_start`."""

    at: time = time(0, 5)
    zone: tzinfo = DISTRICT_TZ
    at_start: bool = True
    enabled: bool = True
    retry_after: float = 60.0


def seconds_until(schedule: DailySchedule, now: datetime) -> float:
    """Seconds from the aware instant `now` to the next `schedule.at` in its zone (never 0)."""
    local = now.astimezone(schedule.zone)
    target = datetime.combine(local.date(), schedule.at, tzinfo=schedule.zone)
    if target <= local:
        target = datetime.combine(local.date() + timedelta(days=1), schedule.at, tzinfo=schedule.zone)
    return max((target - local).total_seconds(), 1.0)


def date_in(schedule: DailySchedule, now: datetime) -> date:
    """The date the job runs for: the date in the schedule's zone."""
    return now.astimezone(schedule.zone).date()


def daily_job(name: str, work: Work, schedule: Callable[[S], DailySchedule], *, settings: type[S]) -> Job:
    """A runtime job running `work` once a day as `schedule(settings)` says, until cancelled.
    `settings` is the service's settings class: the schedule reads its own knobs, typed."""

    async def job(runtime: ServiceRuntime) -> None:
        plan = schedule(runtime.settings_as(settings))
        if not plan.enabled:
            return
        if not plan.at_start:
            await asyncio.sleep(seconds_until(plan, utc_now()))
        while True:
            await _run_until_done(runtime, name, work, plan)
            await asyncio.sleep(seconds_until(plan, utc_now()))

    job.__name__ = name
    return job


async def _run_until_done(runtime: ServiceRuntime, name: str, work: Work, plan: DailySchedule) -> None:
    while True:
        as_of = date_in(plan, utc_now())
        try:
            async with runtime.transaction() as session:
                result = await work(session, as_of)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # an outage must not end the job: try again shortly
            log.warning(f"{name} failed; retrying", extra={"as_of": str(as_of), "error": repr(exc)})
            await asyncio.sleep(plan.retry_after)
            continue
        log.info(f"{name} done", extra={"as_of": str(as_of), "result": _loggable(result)})
        return


def _loggable(result: Any) -> Any:
    dump = getattr(result, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    if isinstance(result, list | tuple) and all(isinstance(v, int | str) for v in result):
        return list(result)  # counts, as (marked overdue, recomputed)
    if isinstance(result, list | tuple | set):
        return len(result)  # the rows a run touched
    return result
