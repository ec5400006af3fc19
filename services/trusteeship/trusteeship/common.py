"""What every trusteeship aggregate shares: the events' source, the docket's calendar ("today"),
and how a credit code arriving from another service is read."""

from __future__ import annotations

from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from ipops.clock import DISTRICT_TZ, district_today, utc_now
from ipops.identifiers import normalize_uscc
from ipops.runtime import ServiceRuntime
from trusteeship.config import TrusteeshipSettings

SOURCE = "/ipops/trusteeship"


def docket_zone(settings: TrusteeshipSettings) -> tzinfo:
    """The zone of the docket's calendar (`TRUSTEESHIP_DOCKET_TIMEZONE`): the daily job runs after
    its midnight, and "today" for every route is the date there."""
    return ZoneInfo(settings.docket_timezone)


def docket_today(settings: TrusteeshipSettings) -> date:
    """Today on the docket's calendar: the district's date (`ipops.clock`) unless the setting
    names another zone."""
    if settings.docket_timezone == DISTRICT_TZ.tzname(None):
        return district_today()
    return utc_now().astimezone(docket_zone(settings)).date()


def today(runtime: ServiceRuntime) -> date:
    """Today on the docket's calendar of the running service."""
    return docket_today(runtime.settings_as(TrusteeshipSettings))


def known_credit_code(value: str | None) -> str | None:
    """A credit code from another service's event, normalised; None when absent or not valid."""
    if not value:
        return None
    try:
        return normalize_uscc(value)
    except ValueError:
        return None  # a party we cannot identify is no enterprise of ours
