"""Events on the real broker: operations follows trusteeship's registry of agencies (registered,
then renamed) through the idempotent inbox; a verified revenue report is announced with its
indicator contribution; a replayed older update changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer

from ipops.clock import district_today, utc_now
from ipops.contracts.indicators import INDICATOR_TOPIC
from ipops.contracts.operations import AGENCY_TOPIC
from ipops.events.envelope import CloudEvent
from ipops.settings import ServiceSettings
from operations.agencies import service as agencies
from operations.common import subject
from operations.config import OperationsSettings
from operations.main import create_app
from tests import testing
from tests.operations.helpers import BASE, key, post
from tests.trusteeship.helpers import register_agency
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import create_app as create_trusteeship_app


async def read_topic(settings: ServiceSettings, topic: str, expected: int, timeout: float = 30) -> list[CloudEvent]:
    """Every event on a topic (from the start) once at least `expected` arrived."""
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


async def test_operations_follows_the_registry_and_announces_verified_revenue(
    pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
) -> None:
    trusteeship_db = await testing.create_database()
    try:
        settings: OperationsSettings = settings_for(OperationsSettings, pg_url)
        trusteeship = create_trusteeship_app(settings_for(TrusteeshipSettings, trusteeship_db))
        operations = create_app(settings)
        operator = tokens.headers("operator")
        agency = tokens.headers("agency", "agency-k")
        async with serve_app(trusteeship) as t_client, serve_app(operations) as client:
            await register_agency(t_client, tokens, "agency-k")

            async def followed() -> Any:
                response = await client.get(f"{BASE}/agencies/agency-k", headers=agency)
                return response.json() if response.status_code == 200 else None

            assert (await testing.eventually(followed, timeout=30))["name"] == "Agency agency-k"
            renamed = await t_client.patch(
                "/api/v1/trusteeship/agencies/agency-k", json={"name": "Agency K Ltd"}, headers={**operator, **key()}
            )
            assert renamed.status_code == 200, renamed.text

            async def updated() -> Any:
                body = (await client.get(f"{BASE}/agencies/agency-k", headers=agency)).json()
                return body if body["name"] == "Agency K Ltd" else None

            await testing.eventually(updated, timeout=30)

            # A late, older update (a replay from before the rename) does not undo it.
            runtime = operations.state.runtime
            async with runtime.transaction() as session:
                await agencies.follow_agency(session, "agency-k", "Old name", None, utc_now() - timedelta(days=1))
            assert (await client.get(f"{BASE}/agencies/agency-k", headers=agency)).json()["name"] == "Agency K Ltd"

            year = district_today().year - 1
            report = await post(
                client, "/agencies/agency-k/revenue-reports", agency,
                {"year": year, "revenue": "10000000.00", "evidence": "audit.pdf"},
            )  # fmt: skip
            await post(client, f"/revenue-reports/{report['id']}/verification", operator, {}, expect=200)
            events = await read_topic(settings, AGENCY_TOPIC.name, 2)
            contributions = await read_topic(settings, INDICATOR_TOPIC.name, 2)
    finally:
        await testing.drop_database(trusteeship_db)
    assert [e.type for e in events] == [
        "ipops.operations.revenue.submitted.v1",
        "ipops.operations.revenue.verified.v1",
    ]
    assert events[1].data["revenue"] == "10000000.00" and events[1].partitionkey == "agency-k"
    counted = [e.data for e in contributions if e.type == "ipops.indicator.contribution.recorded.v1"]
    assert [(c["indicator"], c["subject"], c["quantity"]) for c in counted] == [
        ("operation_agencies", subject("agency", "agency-k"), 1)
    ]
    assert counted[0]["start_on"] == f"{year}-01-01"
