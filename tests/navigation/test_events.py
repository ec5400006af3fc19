"""Events out on the real broker, through the outbox: project created, approved, phase completed,
accepted (in order, keyed by project), portfolio qualified (once), the indicator contributions and
the source announcement; and trusteeship, consuming `project.accepted`, shows the project in the
beneficiary's profile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from ipops.contracts.indicators import INDICATOR_TOPIC
from ipops.contracts.navigation import PORTFOLIO_TOPIC, PROJECT_TOPIC
from ipops.events.envelope import CloudEvent
from navigation.config import NavigationSettings
from navigation.main import create_app
from tests import testing
from tests.navigation.helpers import BASE, BENEFICIARY, key, propose, walk_to_accepted
from tests.navigation.test_api_portfolios import portfolio_body
from tests.trusteeship.helpers import enrol, register_agency
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import create_app as create_trusteeship_app


async def read_events(settings: NavigationSettings, topic: str, expected: int, timeout: float = 20) -> list[CloudEvent]:
    """Every event on `topic` (from the start) once at least `expected` arrived."""
    consumer = AIOKafkaConsumer(
        settings.topic(topic),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    events: list[CloudEvent] = []
    try:
        async with asyncio.timeout(timeout):
            while len(events) < expected:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    events.extend(CloudEvent.from_record(r.key, r.value, r.headers) for r in records)
    finally:
        await consumer.stop()
    return events


async def own_indicator_events(settings: NavigationSettings, expected: int) -> list[CloudEvent]:
    """Navigation's events on the indicator topic, which every producer shares (trusteeship runs
    beside it here), once at least `expected` of them arrived."""
    for total in range(expected, expected + 20):
        ours = [
            e for e in await read_events(settings, INDICATOR_TOPIC.name, total) if e.data.get("owner") == "navigation"
        ]
        if len(ours) >= expected:
            return ours
    raise AssertionError(f"fewer than {expected} navigation events on the indicator topic")


class TestEventsOut:
    async def test_project_life_and_portfolio_qualification(
        self,
        pg_url: str,
        settings_for: Callable[..., Any],
        serve_app: Any,
        tokens: testing.TokenFactory,
        tmp_path: Any,
    ) -> None:
        navigation_settings: NavigationSettings = settings_for(NavigationSettings, pg_url, data_dir=tmp_path / "nav")
        trusteeship_db = await testing.create_database()
        try:
            trusteeship_settings = settings_for(TrusteeshipSettings, trusteeship_db, docket_job_enabled=False)
            async with (
                serve_app(create_app(navigation_settings)) as client,
                serve_app(create_trusteeship_app(trusteeship_settings)) as trusteeship,
            ):
                await register_agency(trusteeship, tokens, "agency-a")
                await enrol(trusteeship, tokens, "agency-a", BENEFICIARY)

                project = await propose(client, tokens, "agency-a")
                await walk_to_accepted(client, tokens, project["id"])
                org = tokens.headers("agency", "agency-a")
                portfolio = (
                    await client.post(f"{BASE}/portfolios", json=portfolio_body(), headers={**org, **key()})
                ).json()
                # replacing the list keeps it qualified: no second event
                await client.put(
                    f"{BASE}/portfolios/{portfolio['id']}/patents",
                    json={"patents": portfolio_body()["patents"]},
                    headers={**org, **key()},
                )

                project_events = await read_events(navigation_settings, PROJECT_TOPIC.name, 7)
                portfolio_events = await read_events(navigation_settings, PORTFOLIO_TOPIC.name, 1)
                # the source announced at start, the accepted project and the qualifying list
                indicator_events = await own_indicator_events(navigation_settings, 3)

                async def in_profile() -> bool:
                    response = await trusteeship.get(
                        f"/api/v1/trusteeship/enterprises/{BENEFICIARY}", headers=tokens.headers("operator")
                    )
                    return any(p["project_id"] == project["id"] for p in response.json()["projects"])

                await testing.eventually(in_profile, timeout=30, message="the accepted project reached trusteeship")
        finally:
            await testing.drop_database(trusteeship_db)

        mine = [e for e in project_events if e.subject == project["id"]]
        assert [e.type.split(".")[-2] for e in mine] == [
            "created",
            "approved",
            "phase_completed",
            "phase_completed",
            "phase_completed",
            "phase_completed",
            "accepted",
        ]
        assert all(e.partitionkey == project["id"] for e in mine)
        phases = [e.data["completed_phase"] for e in mine if e.type.endswith("phase_completed.v1")]
        assert phases == ["preparation", "retrieval", "analysis", "review"]
        accepted = mine[-1].data
        assert accepted["kind"] == "enterprise_operation" and accepted["beneficiary_credit_code"] == BENEFICIARY
        assert accepted["undertaking_org"] == "agency-a" and accepted["gbt_part"] == 4
        assert mine[0].data["budget"] == "300000.00"

        qualified = [e for e in portfolio_events if e.type == "ipops.navigation.portfolio.qualified.v1"]
        assert len(qualified) == 1
        engine = create_async_engine(pg_url)
        async with engine.connect() as conn:
            written = await conn.scalar(
                text("SELECT count(*) FROM outbox_message WHERE event_type = 'ipops.navigation.portfolio.qualified.v1'")
            )
        await engine.dispose()
        assert written == 1  # the replacement that kept it qualified announced nothing
        assert qualified[0].data["invention_count"] == 50 and qualified[0].data["pct_count"] == 10
        assert qualified[0].partitionkey == BENEFICIARY

        by_type = {e.type: e for e in indicator_events}
        assert set(by_type["ipops.indicator.source.announced.v1"].data["indicators"]) == {
            "navigation_industry_planning", "navigation_enterprise_operation", "high_value_portfolios"
        }  # fmt: skip
        counted = sorted(
            (e.data["indicator"], e.data["quantity"])
            for e in indicator_events
            if e.type == "ipops.indicator.contribution.recorded.v1"
        )
        assert counted == [("high_value_portfolios", 1), ("navigation_enterprise_operation", 1)]
