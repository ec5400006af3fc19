"""The docket's calendar, pure: the daily job's schedule comes from the settings, and "today" for
the routes is the date in the same zone (the district's clock by default)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ipops.clock import district_today
from ipops.jobs import date_in
from tests.trusteeship.helpers import credit_code
from trusteeship import common
from trusteeship.config import TrusteeshipSettings
from trusteeship.jobs import daily_docket, docket_schedule


def settings(**values: object) -> TrusteeshipSettings:
    return TrusteeshipSettings(database_url="sqlite+aiosqlite:///:memory:", **values)  # type: ignore[arg-type]


class TestDocketSchedule:
    def test_defaults(self) -> None:
        plan = docket_schedule(settings())
        assert plan.at == time(0, 5)
        assert plan.zone == ZoneInfo("Asia/Shanghai")
        assert plan.at_start and plan.enabled
        assert plan.retry_after == 60

    @pytest.mark.parametrize(("minutes", "at"), [(0, time(0, 0)), (75, time(1, 15)), (1439, time(23, 59))])
    def test_minute_after_midnight(self, minutes: int, at: time) -> None:
        assert docket_schedule(settings(docket_run_minute_after_midnight=minutes)).at == at

    def test_disabled_and_other_zone(self) -> None:
        plan = docket_schedule(settings(docket_job_enabled=False, docket_timezone="Europe/Berlin"))
        assert not plan.enabled
        assert plan.zone == ZoneInfo("Europe/Berlin")

    def test_the_job_is_named(self) -> None:
        assert daily_docket.__name__ == "docket run"


class TestDocketToday:
    def test_the_district_by_default(self) -> None:
        assert common.docket_today(settings()) == district_today()

    def test_the_same_date_as_the_job(self) -> None:
        for zone in ("Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
            configured = settings(docket_timezone=zone)
            before = date_in(docket_schedule(configured), datetime.now(UTC))
            today = common.docket_today(configured)
            after = date_in(docket_schedule(configured), datetime.now(UTC))
            assert today in (before, after)


class TestKnownCreditCode:
    def test_normalised(self) -> None:
        code = credit_code(1)  # ends in a letter
        assert code == "91120110000000001A"
        assert common.known_credit_code(code.lower()) == code
        assert common.known_credit_code(f" {code} ") == code

    @pytest.mark.parametrize("value", [None, "", "not a code"])
    def test_unknown_is_none(self, value: str | None) -> None:
        assert common.known_credit_code(value) is None
