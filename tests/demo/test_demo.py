"""`make demo` on the real platform (tests/e2e's: every service and the gateway on PostgreSQL and
the test broker), at a small scale: it completes through the gateway alone, a second run adds
nothing (every write replays), and the public progress then shows the services' figures, dated in
the district's history and equal to each owning service's own."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from scripts.demo import report
from scripts.demo.client import PlatformDown
from scripts.demo.runner import Options, main, run
from tests.stack import Stack, free_port

SCALE = 0.05
# one indicator or more of each service the demo feeds
FED = (
    "pledge_amount",
    "pledge_count",
    "insurance_amount",
    "trusteeship_smes",
    "certified_organisations",
    "navigation_industry_planning",
    "navigation_enterprise_operation",
    "enforcement_cases",
    "enterprises_protected",
    "satisfaction",
)


def options(platform: Stack) -> Options:
    gateway = platform.apps["gateway"]
    secret = gateway.env["GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET"]
    return Options(gateway=gateway.url, secret=secret, scale=SCALE, seed=7, concurrency=8, quiet=True)


async def test_demo_fills_the_platform_once_and_the_public_progress_shows_it(
    platform: Stack, gateway: httpx.AsyncClient
) -> None:
    first = await run(options(platform))
    assert first.tally.counts["created"] > 200, first.tally.counts
    assert {"loan", "enrolment", "worklogs", "project", "portfolio", "case", "survey"} <= set(first.tally.by_path)

    second = await run(options(platform))
    assert second.tally.counts["created"] == 0, second.tally.by_path
    assert second.tally.counts["replayed"] > 200, second.tally.counts
    assert not [n for n in second.notes if "differs" in n], second.notes

    response = await gateway.get(report.PROGRESS)
    assert response.status_code == 200, response.text
    series = {e["indicator"]: report.year_values(e) for e in report.indicators(response.json())}
    for indicator in FED:
        history = {y: Decimal(v) for y, v in series[indicator].items() if v is not None and y in report.YEARS}
        assert any(v > 0 for v in history.values()), (indicator, series[indicator])
    # dated by the facts' business dates: the loans of 2018 count in 2018, not on the day of the run
    assert Decimal(series["pledge_amount"][2018] or 0) > 0, series["pledge_amount"]
    assert Decimal(series["trusteeship_smes"][2018] or 0) > 0, series["trusteeship_smes"]


async def test_a_platform_that_is_not_up_is_named_as_such() -> None:
    with pytest.raises(PlatformDown, match="make up"):
        await run(Options(gateway=f"http://127.0.0.1:{free_port()}", secret="unused", quiet=True))


def test_the_command_exits_2_when_the_platform_is_not_up() -> None:
    assert main(Options(gateway=f"http://127.0.0.1:{free_port()}", secret="unused", quiet=True)) == 2
