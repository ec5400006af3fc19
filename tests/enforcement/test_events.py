"""Events out on the real broker: `case.opened` names the case's rights and parties, and the
pledge service, consuming it, raises a collateral alert for the named patent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from enforcement.config import EnforcementSettings
from enforcement.main import create_app
from ipops import testing
from ipops.contracts.enforcement import CASE_TOPIC
from ipops.events.envelope import CloudEvent
from ipops.identifiers import make_patent_number
from pledge.config import PledgeSettings
from pledge.main import create_app as create_pledge_app
from tests.enforcement.helpers import BASE, REQUESTER_CODE, RESPONDENT_CODE, open_case


async def read_events(settings: EnforcementSettings, expected: int, timeout: float = 20) -> list[CloudEvent]:
    """Every event on the case topic (from the start) once at least `expected` arrived."""
    consumer = AIOKafkaConsumer(
        settings.topic(CASE_TOPIC.name),
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


class TestCaseOpened:
    async def test_event_names_rights_and_parties(
        self, pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
    ) -> None:
        settings: EnforcementSettings = settings_for(EnforcementSettings, pg_url)
        patent = make_patent_number(2021, "3", 765432)
        async with serve_app(create_app(settings)) as client:
            case = await open_case(
                client,
                tokens.headers("operator"),
                channel="rapid",
                patent_numbers=[f"ZL{patent}"],
                trademark_numbers=["12345678"],
            )
            events = await read_events(settings, 1)
        opened = [e for e in events if e.type == "ipops.enforcement.case.opened.v1"]
        assert len(opened) == 1
        event = opened[0]
        assert event.subject == case["id"] and event.partitionkey == case["id"]
        assert event.data["patent_numbers"] == [patent]
        assert event.data["trademark_numbers"] == ["12345678"]
        assert event.data["channel"] == "rapid"
        assert {(p["role"], p["credit_code"]) for p in event.data["parties"]} == {
            ("requester", REQUESTER_CODE),
            ("respondent", RESPONDENT_CODE),
        }

    async def test_pledge_raises_collateral_alert(
        self, pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
    ) -> None:
        pledge_db = await testing.create_database()
        try:
            enforcement = create_app(settings_for(EnforcementSettings, pg_url))
            pledge = create_pledge_app(settings_for(PledgeSettings, pledge_db))
            patent = make_patent_number(2019, "1", 4242)
            async with serve_app(enforcement) as e_client, serve_app(pledge) as p_client:
                case = await open_case(e_client, tokens.headers("operator"), patent_numbers=[patent])

                async def alert() -> list[dict[str, Any]]:
                    response: httpx.Response = await p_client.get(
                        "/api/v1/pledge/collateral-alerts", headers=tokens.headers("operator")
                    )
                    return [a for a in response.json()["items"] if a["case_id"] == case["id"]]

                alerts = await testing.eventually(alert, timeout=30, message="pledge raised no collateral alert")
            assert [a["patent_number"] for a in alerts] == [patent]
            assert alerts[0]["case_type"] == "patent_infringement_adjudication"
        finally:
            await testing.drop_database(pledge_db)


class TestIntake:
    async def test_operator_opens_and_reads_back(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        assert case["status"] == "received" and case["allowed_moves"] == ["accept", "reject", "withdraw"]
        fetched = await client.get(f"{BASE}/cases/{case['id']}", headers=operator)
        assert fetched.status_code == 200
        assert fetched.json()["rights"][0]["patent_type"] == "invention"
