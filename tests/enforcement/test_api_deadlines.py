"""Deadlines over HTTP on PostgreSQL: pauses, extensions, operator calendar edits, the overdue and
at-risk lists and the overdue scan, on real 2026 dates."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import httpx
import pytest
from sqlalchemy import select

from enforcement.config import EnforcementSettings
from enforcement.domain.calendar import load_seed
from ipops import db
from ipops.events import OutboxMessage
from tests import testing
from tests.enforcement.helpers import BASE, at, key, move, open_case, walk


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["clock"] == name)


class TestPauses:
    @pytest.fixture
    def client(self, shared_client: httpx.AsyncClient) -> httpx.AsyncClient:
        """These tests make their own cases: one app and database for the module."""
        return shared_client

    async def test_pause_and_resume_move_the_handling_deadline(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-01-05"))
        accepted = await move(client, operator, case["id"], "accept", occurred_at=at("2026-01-07"))
        assert accepted["handling_due_date"] == "2026-04-07"
        url = f"{BASE}/cases/{case['id']}/pauses"
        wrong_clock = await client.post(
            url, json={"clock": "acceptance", "started_on": "2026-02-01", "reason": "x"}, headers={**operator, **key()}
        )
        assert wrong_clock.status_code == 409
        pause = await client.post(
            url,
            json={"started_on": "2026-02-01", "reason": "awaiting invalidation decision"},
            headers={**operator, **key()},
        )
        assert pause.status_code == 201, pause.text
        assert re.fullmatch(r"[0-9a-f]{32}", pause.json()["id"])  # random, not a sequence (#15)
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        assert clock(detail, "handling")["paused"] is True and clock(detail, "handling")["overdue"] is False
        second = await client.post(
            url, json={"started_on": "2026-02-05", "reason": "again"}, headers={**operator, **key()}
        )
        assert second.status_code == 409
        ended = await client.post(
            f"{url}/{pause.json()['id']}/end", json={"ended_on": "2026-02-11"}, headers={**operator, **key()}
        )
        assert ended.status_code == 200, ended.text
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        # ten days stopped: Apr 7 + 10 = Friday Apr 17
        assert detail["handling_due_date"] == "2026-04-17"
        overlapping = await client.post(
            url, json={"started_on": "2026-02-10", "reason": "x"}, headers={**operator, **key()}
        )
        assert overlapping.status_code == 422 and overlapping.json()["errors"][0]["field"] == "body.started_on"
        kinds = [
            e["kind"]
            for e in (await client.get(f"{BASE}/cases/{case['id']}/timeline", headers=operator)).json()["items"]
        ]
        assert kinds[-2:] == ["clock_paused", "clock_resumed"]

    async def test_outcome_during_a_pause_ends_it_on_that_day(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-01-05"))
        await walk(client, operator, case["id"], [("accept", "2026-01-07"), ("start_review", "2026-01-08")])
        pause = await client.post(
            f"{BASE}/cases/{case['id']}/pauses",
            json={"started_on": "2026-02-01", "reason": "expert opinion"},
            headers={**operator, **key()},
        )
        assert pause.status_code == 201
        decided = await move(client, operator, case["id"], "decide", occurred_at=at("2026-04-15"))
        # stopped Feb 1 to Apr 14 (73 days): Apr 7 + 73 = Jun 19, Dragon Boat Festival -> Monday Jun 22
        assert decided["handling_due_date"] == "2026-06-22"
        closed = await move(client, operator, case["id"], "close", occurred_at=at("2026-04-16"))
        assert closed["closed_within_deadline"] is True
        timeline = (await client.get(f"{BASE}/cases/{case['id']}/timeline", headers=operator)).json()["items"]
        resumed = [e for e in timeline if e["kind"] == "clock_resumed"]
        assert [e["details"]["ended_on"] for e in resumed] == ["2026-04-15"]

    async def test_acceptance_clock_pause_counts_working_days(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-11-20"))
        assert case["acceptance_due_date"] == "2026-11-27"
        url = f"{BASE}/cases/{case['id']}/pauses"
        pause = await client.post(
            url,
            json={"clock": "acceptance", "started_on": "2026-11-21", "reason": "materials"},
            headers={**operator, **key()},
        )
        assert pause.status_code == 201, pause.text
        # paused Saturday to Sunday, restarting Monday: no working day lost
        await client.post(
            f"{url}/{pause.json()['id']}/end", json={"ended_on": "2026-11-23"}, headers={**operator, **key()}
        )
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        assert detail["acceptance_due_date"] == "2026-11-27"


class TestExtensions:
    @pytest.fixture
    def client(self, shared_client: httpx.AsyncClient) -> httpx.AsyncClient:
        """These tests make their own cases: one app and database for the module."""
        return shared_client

    async def test_extension_to_the_five_month_maximum(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-01-05"))
        url = f"{BASE}/cases/{case['id']}/extensions"
        early = await client.post(url, json={"amount": 1, "reason": "complex"}, headers={**operator, **key()})
        assert early.status_code == 409
        await move(client, operator, case["id"], "accept", occurred_at=at("2026-01-07"))
        granted = await client.post(
            url, json={"amount": 2, "reason": "expert appraisal needed"}, headers={**operator, **key()}
        )
        assert granted.status_code == 201 and granted.json()["unit"] == "months"
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        assert detail["handling_due_date"] == "2026-06-08"  # Jun 7 2026 is a Sunday
        refused = await client.post(url, json={"amount": 1, "reason": "more"}, headers={**operator, **key()})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "amount"


class TestCalendar:
    async def test_seeded_calendar_matches_the_data_file(self, client: httpx.AsyncClient) -> None:
        listed = (await client.get(f"{BASE}/calendar")).json()["items"]  # public
        assert [(d["day"], d["kind"], d["name"]) for d in listed] == [
            (d.day.isoformat(), d.kind.value, d.name) for d in load_seed()
        ]

    async def test_operator_edits_move_open_deadlines(
        self, client: httpx.AsyncClient, operator: dict[str, str], tokens: testing.TokenFactory
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-11-20"))
        assert case["acceptance_due_date"] == "2026-11-27"
        holiday = await client.put(
            f"{BASE}/calendar/2026-11-24",
            json={"kind": "holiday", "name": "Typhoon closure"},
            headers={**operator, **key()},
        )
        assert holiday.status_code == 200, holiday.text

        async def due() -> str:
            return (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()["acceptance_due_date"]

        assert await due() == "2026-11-30"
        await client.put(
            f"{BASE}/calendar/2026-11-28", json={"kind": "workday", "name": "Make-up"}, headers={**operator, **key()}
        )
        assert await due() == "2026-11-28"
        assert (await client.delete(f"{BASE}/calendar/2026-11-24", headers={**operator, **key()})).status_code == 204
        keyed = {**operator, **key()}
        deleted = await client.delete(f"{BASE}/calendar/2026-11-28", headers=keyed)
        assert (deleted.status_code, deleted.content) == (204, b"")
        assert await due() == "2026-11-27"
        # the same key again replays the deletion (an empty 204), a fresh one finds nothing
        replayed = await client.delete(f"{BASE}/calendar/2026-11-28", headers=keyed)
        assert (replayed.status_code, replayed.content, replayed.headers.get("idempotent-replayed")) == (
            204,
            b"",
            "true",
        )
        assert (await client.delete(f"{BASE}/calendar/2026-11-28", headers={**operator, **key()})).status_code == 404
        agency = await client.put(
            f"{BASE}/calendar/2026-11-24",
            json={"kind": "holiday", "name": "x"},
            headers=tokens.headers("agency", "agency-a"),
        )
        assert agency.status_code == 403
        bad = await client.put(
            f"{BASE}/calendar/2026-11-24", json={"kind": "festival", "name": "x"}, headers={**operator, **key()}
        )
        assert bad.status_code == 422


class TestOverdue:
    async def test_lists_and_scan(
        self, client: httpx.AsyncClient, operator: dict[str, str], enforcement_settings: EnforcementSettings
    ) -> None:
        waiting = await open_case(client, operator, received_at=at("2026-01-05"))  # acceptance due Jan 12
        handled = await open_case(client, operator, received_at=at("2026-01-05"))
        await walk(client, operator, handled["id"], [("accept", "2026-01-06")])  # handling due Apr 7
        paused = await open_case(client, operator, received_at=at("2026-01-05"))
        await client.post(
            f"{BASE}/cases/{paused['id']}/pauses",
            json={"clock": "acceptance", "started_on": "2026-01-06", "reason": "materials"},
            headers={**operator, **key()},
        )

        at_risk = (
            await client.get(f"{BASE}/deadlines/at-risk", params={"as_of": "2026-01-08"}, headers=operator)
        ).json()
        assert [(i["case_id"], i["remaining_working_days"]) for i in at_risk["items"]] == [(waiting["id"], 2)]
        overdue = (
            await client.get(f"{BASE}/deadlines/overdue", params={"as_of": "2026-01-13"}, headers=operator)
        ).json()
        assert [(i["case_id"], i["clock"], i["days_overdue"]) for i in overdue["items"]] == [
            (waiting["id"], "acceptance", 1)
        ]

        scan = await client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-04-08"}, headers={**operator, **key()})
        assert scan.status_code == 200, scan.text
        assert {(i["case_id"], i["clock"]) for i in scan.json()["flagged"]} == {
            (waiting["id"], "acceptance"),
            (handled["id"], "handling"),
        }
        again = await client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-04-09"}, headers={**operator, **key()})
        assert again.json()["flagged"] == []
        timeline = (await client.get(f"{BASE}/cases/{waiting['id']}/timeline", headers=operator)).json()["items"]
        assert timeline[-1]["kind"] == "overdue" and timeline[-1]["actor"] == "system:overdue-scan"

        engine = db.create_engine(enforcement_settings.database_url)
        try:
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(OutboxMessage.event_type, OutboxMessage.key).where(
                            OutboxMessage.event_type == "ipops.enforcement.case.overdue.v1"
                        )
                    )
                ).all()
        finally:
            await engine.dispose()
        assert sorted(r.key for r in rows) == sorted([waiting["id"], handled["id"]])

    async def test_scan_needs_an_operator(self, client: httpx.AsyncClient, tokens: testing.TokenFactory) -> None:
        response = await client.post(
            f"{BASE}/overdue-scans",
            json={"as_of": date(2026, 1, 1).isoformat()},
            headers=tokens.headers("agency", "agency-a"),
        )
        assert response.status_code == 403


class TestConcurrentScans:
    async def test_two_scans_at_once_flag_each_case_once(
        self, client: httpx.AsyncClient, operator: dict[str, str], enforcement_settings: EnforcementSettings
    ) -> None:
        cases = [await open_case(client, operator, received_at=at("2026-01-05")) for _ in range(3)]
        responses = await asyncio.gather(
            *(
                client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-02-02"}, headers={**operator, **key()})
                for _ in range(2)
            )
        )
        assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
        flagged = [i["case_id"] for r in responses for i in r.json()["flagged"]]
        assert sorted(flagged) == sorted(c["id"] for c in cases)
        engine = db.create_engine(enforcement_settings.database_url)
        try:
            async with engine.connect() as conn:
                keys = (
                    await conn.scalars(
                        select(OutboxMessage.key).where(OutboxMessage.event_type == "ipops.enforcement.case.overdue.v1")
                    )
                ).all()
        finally:
            await engine.dispose()
        assert sorted(keys) == sorted(c["id"] for c in cases)
