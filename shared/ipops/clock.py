"""The district's clock: one definition of "now" and of "today" for every service and the gateway.

Guarantees:
- instants are aware UTC datetimes (`utc_now()`); nothing in ipops reads a naive clock;
- a date that counts for the district (a statistic's year, a deadline's start, the day a daily
  job runs for) is the date in Beijing (UTC+8, no daylight saving): a receipt at 20:00 UTC on
  31 December belongs to 1 January there, and to the next year's figures;
- the zone is a fixed offset rather than the tz database's `Asia/Shanghai`, because China has kept
  UTC+8 without daylight saving since 1991 and a fixed offset needs no tz data on the machine.

Pure: no I/O, so `domain/` modules may import it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

DISTRICT_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def district_date(at: datetime) -> date:
    """The date in the district (Beijing) of an aware instant."""
    if at.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return at.astimezone(DISTRICT_TZ).date()


def district_today() -> date:
    """Today in the district."""
    return district_date(utc_now())


def district_year(at: datetime) -> int:
    """The district's calendar year of an aware instant (the year a statistic counts it in)."""
    return district_date(at).year
