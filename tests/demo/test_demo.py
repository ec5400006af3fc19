"""`make demo` on the real platform (tests/e2e's: every service and the gateway on PostgreSQL and
the test broker), at a small scale: it completes through the gateway alone, a second run adds
nothing (every write replays), and the public progress then shows the services' figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from scripts.demo import report
from scripts.demo.runner import Options, run
from tests.stack import Stack
from tests.testing import eventually

SCALE = 0.05
# one indicator of each service the demo feeds, each dated by the fact's business date
FED = (
    "pledge_amount",
    "pledge_count",
    "trusteeship_smes",
    "navigation_industry_planning",
    "high_value_portfolios",
    "enforcement_cases",
)


def options(platform: Stack) -> Options:
    gateway = platform.apps["gateway"]
    secret = gateway.env["GATEWAY_BOOTSTRAP_OPERATOR_CLIENT_SECRET"]
    return Options(gateway=gateway.url, secret=secret, scale=SCALE, seed=7, concurrency=8, quiet=True)


async def test_demo_fills_the_platform_once_and_the_public_progress_shows_it(
    platform: Stack, gateway: httpx.AsyncClient
) -> None:
    first = await run(options(platform))
    assert first.tally.counts["created"] > 300, first.tally.counts
    assert first.tally.by_path["loan"] > 0 and first.tally.by_path["enrolment"] > 0

    second = await run(options(platform))
    assert second.tally.counts["created"] == 0, second.tally.by_path
    assert second.tally.counts["replayed"] > 300, second.tally.counts

    async def figures() -> dict[str, dict[int, Any]] | None:
        response = await gateway.get(report.PROGRESS, headers={"Cache-Control": "no-cache"})
        assert response.status_code == 200, response.text
        series = {e["indicator"]: report.year_values(e) for e in report.indicators(response.json())}
        shown = {i: v for i, v in series.items() if any(Decimal(x or 0) > 0 for x in v.values())}
        return shown if all(i in shown for i in FED) else None

    await eventually(figures, timeout=90, interval=1.0, message=f"the public progress lacks one of {FED}")
