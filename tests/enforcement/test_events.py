"""Events out on the real broker: `case.opened` names the case's rights and parties, and the
pledge service, consuming it, raises a collateral alert for the named patent."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from enforcement.config import EnforcementSettings
from enforcement.jobs import overdue_scan_schedule
from enforcement.main import create_app
from ipops.contracts.enforcement import CASE_TOPIC
from ipops.contracts.indicators import INDICATOR_TOPIC
from ipops.events.envelope import CloudEvent
from ipops.identifiers import make_patent_number
from ipops.jobs import date_in, seconds_until
from pledge.config import PledgeSettings
from pledge.main import create_app as create_pledge_app
from tests import testing
from tests.enforcement.helpers import BASE, REQUESTER_CODE, RESPONDENT_CODE, at, key, move, open_case, walk


async def read_events(
    settings: EnforcementSettings, expected: int, timeout: float = 20, topic: str = CASE_TOPIC.name
) -> list[CloudEvent]:
    """Every event on a topic (the case topic by default), from the start, once at least
    `expected` arrived."""
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


class TestIndicatorEvents:
    async def test_contributions_and_the_source_reach_the_broker(
        self, pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
    ) -> None:
        settings: EnforcementSettings = settings_for(EnforcementSettings, pg_url)
        operator = tokens.headers("operator")
        async with serve_app(create_app(settings)) as client:
            case = await open_case(client, operator, received_at=at("2021-05-10"))
            await move(client, operator, case["id"], "withdraw")
            events = await read_events(settings, 5, topic=INDICATOR_TOPIC.name)
        source = [e for e in events if e.type == "ipops.indicator.source.announced.v1"]
        assert source and source[0].data["indicators"] == ["enforcement_cases", "enterprises_protected", "satisfaction"]
        recorded = [e for e in events if e.type == "ipops.indicator.contribution.recorded.v1"]
        enterprise = f"2021:{hashlib.sha256(REQUESTER_CODE.encode()).hexdigest()[:32]}"
        # one key's versions stay in order (one partition); keys may interleave
        assert sorted((e.partitionkey, e.data["revision"], e.data["quantity"]) for e in recorded) == [
            (f"enforcement_cases:{case['id']}", 1, 1),
            (f"enforcement_cases:{case['id']}", 2, 0),
            (f"enterprises_protected:{enterprise}", 1, 1),
            (f"enterprises_protected:{enterprise}", 2, 0),
        ]
        for key_ in {e.partitionkey for e in recorded}:
            assert [e.data["revision"] for e in recorded if e.partitionkey == key_] == [1, 2]
        assert all(e.data["owner"] == "enforcement" and e.data["start_on"] == "2021-05-10" for e in recorded)


class TestIntake:
    async def test_operator_opens_and_reads_back(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        case = await open_case(client, operator)
        assert case["status"] == "received" and case["allowed_moves"] == ["accept", "reject", "withdraw", "cancel"]
        fetched = await client.get(f"{BASE}/cases/{case['id']}", headers=operator)
        assert fetched.status_code == 200
        assert fetched.json()["rights"][0]["patent_type"] == "invention"


class TestLifecycleEvents:
    async def test_every_event_names_its_case_rights_and_requester(
        self, pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
    ) -> None:
        # the start-up scan (today's date) would race this test's own scan of a past day
        settings: EnforcementSettings = settings_for(EnforcementSettings, pg_url, overdue_scan_at_startup=False)
        operator = tokens.headers("operator")
        patent = make_patent_number(2022, "2", 99)
        async with serve_app(create_app(settings)) as client:
            case = await open_case(
                client, operator, patent_numbers=[patent], trademark_numbers=["7654321"], received_at=at("2026-01-05")
            )
            closed = await walk(
                client,
                operator,
                case["id"],
                [
                    ("accept", "2026-01-07"),
                    ("start_review", "2026-01-08"),
                    ("decide", "2026-03-20"),
                    ("close", "2026-03-25"),
                ],
            )
            rated = await client.post(f"{BASE}/ratings", json={"token": closed["rating_token"], "score": 88})
            assert rated.status_code == 201
            mediation = await open_case(client, operator, case_type="patent_mediation", received_at=at("2026-02-02"))
            await walk(
                client,
                operator,
                mediation["id"],
                [
                    ("accept", "2026-02-03"),
                    ("start_review", "2026-02-04"),
                    ("mediate", "2026-02-20"),
                ],
            )
            late = await open_case(client, operator, received_at=at("2026-01-05"))
            await client.post(
                f"{BASE}/cases/{late['id']}/handlers",
                json={"handler_id": "officer-9", "name": "Zhao"},
                headers={**operator, **key()},
            )
            scan = await client.post(
                f"{BASE}/overdue-scans", json={"as_of": "2026-01-13"}, headers={**operator, **key()}
            )
            assert [i["case_id"] for i in scan.json()["flagged"]] == [late["id"]]
            events = await read_events(settings, 10)

        by_case: dict[str, list[CloudEvent]] = {}
        for event in events:
            assert event.subject == event.partitionkey
            by_case.setdefault(event.subject or "", []).append(event)
        short = [e.type.removeprefix("ipops.enforcement.case.").removesuffix(".v1") for e in by_case[case["id"]]]
        assert short == ["opened", "accepted", "decided", "closed", "rated"]
        accepted, decided, closed_event, rated_event = (e.data for e in by_case[case["id"]][1:])
        assert accepted["handling_due_date"] == "2026-04-07" and accepted["requester_credit_codes"] == [REQUESTER_CODE]
        for data in (decided, closed_event):
            assert data["patent_numbers"] == [patent] and data["trademark_numbers"] == ["7654321"]
            assert data["requester_credit_codes"] == [REQUESTER_CODE]
        assert closed_event["outcome"] == "decided" and closed_event["within_deadline"] is True
        assert rated_event["score"] == 88
        assert [e.type for e in by_case[mediation["id"]]][-1] == "ipops.enforcement.case.mediated.v1"
        overdue = by_case[late["id"]][-1]
        assert overdue.type == "ipops.enforcement.case.overdue.v1"
        assert overdue.data["clock"] == "acceptance" and overdue.data["due_date"] == "2026-01-12"
        assert overdue.data["handler_ids"] == ["officer-9"] and overdue.data["requester_credit_codes"] == [
            REQUESTER_CODE
        ]


class TestOverdueJob:
    def test_next_run(self) -> None:
        now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
        at_one = overdue_scan_schedule(EnforcementSettings(overdue_scan_hour_utc=1))
        assert seconds_until(at_one, now) == 1800
        assert seconds_until(overdue_scan_schedule(EnforcementSettings(overdue_scan_hour_utc=0)), now) == 23.5 * 3600
        assert at_one.at_start  # the scan catches up at start-up by default
        assert not overdue_scan_schedule(EnforcementSettings(overdue_scan_at_startup=False)).at_start

    def test_scan_is_for_the_district_today(self) -> None:
        # Deadlines are Beijing dates: at 20:00 UTC on the 23rd it is already the 24th there,
        # and a run then (at start-up, say) scans for the 24th.
        evening = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
        assert date_in(overdue_scan_schedule(EnforcementSettings()), evening) == date(2026, 11, 24)
        morning = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
        assert date_in(overdue_scan_schedule(EnforcementSettings()), morning) == date(2026, 11, 23)

    async def test_startup_scan_flags_a_late_case(
        self, pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
    ) -> None:
        operator = tokens.headers("operator")
        quiet: EnforcementSettings = settings_for(EnforcementSettings, pg_url, run_background_tasks=False)
        async with serve_app(create_app(quiet)) as client:
            late = await open_case(client, operator, received_at=at("2026-01-05"))
        settings: EnforcementSettings = settings_for(EnforcementSettings, pg_url)
        async with serve_app(create_app(settings)) as client:

            async def flagged() -> bool:
                timeline = (await client.get(f"{BASE}/cases/{late['id']}/timeline", headers=operator)).json()
                return any(e["kind"] == "overdue" for e in timeline["items"])

            await testing.eventually(flagged, message="the start-up scan flagged nothing")
            events = await read_events(settings, 2)
        assert [e.type for e in events][-1] == "ipops.enforcement.case.overdue.v1"
