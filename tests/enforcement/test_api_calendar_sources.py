"""The calendar's sources over HTTP on PostgreSQL: deadlines on the official calendar of any year
the library knows, the operator's table overriding it, a year no source covers (the deadline waits,
visibly, and a computation that needs it is a 409 naming the year), the operator declaring a year
complete, and the coverage report and check that say when next year is missing."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import update

from enforcement.config import EnforcementSettings
from enforcement.models import Case
from ipops import db
from tests import testing
from tests.enforcement.helpers import BASE, at, key, move, open_case

NOTICE = {"notice": "国务院办公厅关于2027年部分节假日安排的通知"}


def clock(case: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in case["clocks"] if c["clock"] == name)


class TestOfficialCalendar:
    @pytest.fixture
    def client(self, shared_client: httpx.AsyncClient) -> httpx.AsyncClient:
        """These tests only open cases: one app and database for the class's module."""
        return shared_client

    @pytest.mark.parametrize(
        ("received", "due"),
        [
            ("2024-02-08", "2024-02-21"),  # over the 2024 Spring Festival (was 2024-02-15, a holiday)
            ("2022-09-29", "2022-10-11"),  # over National Day 2022 (was 2022-10-06, a holiday)
        ],
    )
    async def test_acceptance_deadline_of_a_year_before_the_seed(
        self, client: httpx.AsyncClient, operator: dict[str, str], received: str, due: str
    ) -> None:
        case = await open_case(client, operator, received_at=at(received))
        assert (case["acceptance_due_date"], case["calendar_missing_year"]) == (due, None)

    async def test_a_receipt_before_every_source_is_saved_and_waits_for_the_year(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2003-05-06"))
        assert (case["acceptance_due_date"], case["calendar_missing_year"]) == (None, 2003)
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        acceptance = clock(detail, "acceptance")
        assert (acceptance["running"], acceptance["due_date"], acceptance["calendar_missing_year"]) == (
            True,
            None,
            2003,
        )

    async def test_the_public_reads_a_years_calendar_with_its_sources(self, client: httpx.AsyncClient) -> None:
        year = (await client.get(f"{BASE}/calendar/years/2024")).json()
        assert (year["covered"], year["covered_by"], year["declaration"]) == (True, ["library"], None)
        days = {d["day"]: (d["kind"], d["source"]) for d in year["days"]}
        assert days["2024-02-10"] == ("holiday", "library") and days["2024-02-18"] == ("workday", "library")
        assert "2024-02-09" not in days
        missing = (await client.get(f"{BASE}/calendar/years/2031")).json()
        assert (missing["covered"], missing["covered_by"], missing["days"]) == (False, [], [])


class TestOperatorTable:
    async def test_an_operator_day_beats_the_library(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        closed = await client.put(
            f"{BASE}/calendar/2024-02-09",
            json={"kind": "holiday", "name": "district closed"},
            headers={**operator, **key()},
        )
        assert closed.status_code == 200, closed.text
        case = await open_case(client, operator, received_at=at("2024-02-08"))
        assert case["acceptance_due_date"] == "2024-02-22"
        days = {d["day"]: d["source"] for d in (await client.get(f"{BASE}/calendar/years/2024")).json()["days"]}
        assert days["2024-02-09"] == "operator" and days["2024-02-10"] == "library"


class TestMissingYear:
    async def test_a_deadline_in_a_missing_year_waits_until_the_operator_declares_it(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-11-20"))
        accepted = await move(client, operator, case["id"], "accept", occurred_at=at("2026-11-23"))
        # 3 months from 23 Nov 2026 end in 2027, which no source covers yet: no weekends-only guess
        assert (accepted["handling_due_date"], accepted["handling_max_date"]) == (None, None)
        assert accepted["calendar_missing_year"] == 2027
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        assert (clock(detail, "handling")["due_date"], clock(detail, "handling")["calendar_missing_year"]) == (
            None,
            2027,
        )
        for kind in ("overdue", "at-risk"):
            listed = (await client.get(f"{BASE}/deadlines/{kind}", headers=operator)).json()
            assert [(w["case_id"], w["calendar_missing_year"]) for w in listed["waiting_for_calendar"]] == [
                (case["id"], 2027)
            ]
        scan = (
            await client.post(f"{BASE}/overdue-scans", json={"as_of": "2026-12-01"}, headers={**operator, **key()})
        ).json()
        assert [w["case_id"] for w in scan["waiting_for_calendar"]] == [case["id"]]

        extension = await client.post(
            f"{BASE}/cases/{case['id']}/extensions",
            json={"amount": 1, "reason": "expert"},
            headers={**operator, **key()},
        )
        assert extension.status_code == 409, extension.text
        problem = extension.json()
        assert (problem["type"], problem["year"]) == ("/problems/calendar-year-missing", 2027)
        assert "2027" in problem["detail"]

        empty = await client.put(f"{BASE}/calendar/years/2027", json=NOTICE, headers={**operator, **key()})
        assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "path.year"
        for day, kind in (("2027-01-01", "holiday"), ("2027-02-20", "workday")):
            put = await client.put(
                f"{BASE}/calendar/{day}", json={"kind": kind, "name": "2027"}, headers={**operator, **key()}
            )
            assert put.status_code == 200
        declared = await client.put(f"{BASE}/calendar/years/2027", json=NOTICE, headers={**operator, **key()})
        assert declared.status_code == 200, declared.text
        assert (declared.json()["year"], declared.json()["notice"]) == (2027, NOTICE["notice"])

        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        # Tuesday 23 Feb 2027; at most 5 months: Friday 23 Apr 2027
        assert (detail["handling_due_date"], detail["handling_max_date"], detail["calendar_missing_year"]) == (
            "2027-02-23",
            "2027-04-23",
            None,
        )
        year = (await client.get(f"{BASE}/calendar/years/2027")).json()
        assert (year["covered"], year["covered_by"], year["declaration"]["notice"]) == (
            True,
            ["operator"],
            NOTICE["notice"],
        )

        withdrawn = await client.delete(f"{BASE}/calendar/years/2027", headers={**operator, **key()})
        assert withdrawn.status_code == 204
        detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
        assert (detail["handling_due_date"], detail["calendar_missing_year"]) == (None, 2027)
        assert (await client.delete(f"{BASE}/calendar/years/2027", headers={**operator, **key()})).status_code == 404

    async def test_declaring_a_year_needs_an_operator(
        self, client: httpx.AsyncClient, tokens: testing.TokenFactory
    ) -> None:
        agency = tokens.headers("agency", "agency-a")
        assert (
            await client.put(f"{BASE}/calendar/years/2027", json=NOTICE, headers={**agency, **key()})
        ).status_code == 403
        assert (await client.get(f"{BASE}/calendar/coverage", headers=agency)).status_code == 403
        bad = await client.put(f"{BASE}/calendar/years/1999", json=NOTICE, headers=tokens.headers("operator"))
        assert bad.status_code == 422

    async def test_closing_before_the_missing_year_is_within_the_deadline(
        self, client: httpx.AsyncClient, operator: dict[str, str]
    ) -> None:
        case = await open_case(client, operator, case_type="patent_mediation", received_at=at("2026-11-20"))
        await move(client, operator, case["id"], "accept", occurred_at=at("2026-11-23"))  # due in 2027
        await move(client, operator, case["id"], "start_review", occurred_at=at("2026-11-24"))
        await move(client, operator, case["id"], "mediate", occurred_at=at("2026-11-25"), resolution="agreed")
        closed = await move(client, operator, case["id"], "close")
        assert closed["closed_within_deadline"] is True


class TestCoverage:
    async def test_report_after_1_december(self, client: httpx.AsyncClient, operator: dict[str, str]) -> None:
        report = (
            await client.get(f"{BASE}/calendar/coverage", params={"as_of": "2026-12-01"}, headers=operator)
        ).json()
        assert report["library"] == {"source": "chinesecalendar 1.11.0", "first_year": 2004, "last_year": 2026}
        assert (report["next_year"], report["next_year_covered"], report["alert"]) == (2027, False, True)
        assert report["declared_years"] == [] and report["this_year_covered"] is True
        before = (
            await client.get(f"{BASE}/calendar/coverage", params={"as_of": "2026-11-30"}, headers=operator)
        ).json()
        assert (before["next_year_covered"], before["alert"]) == (False, False)

    async def test_the_daily_check_sets_the_gauges_and_warns(
        self,
        client: httpx.AsyncClient,
        operator: dict[str, str],
        enforcement_settings: EnforcementSettings,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        case = await open_case(client, operator, received_at=at("2026-11-20"))
        await move(client, operator, case["id"], "accept", occurred_at=at("2026-11-23"))
        from enforcement.calendar.service import check_calendar

        engine = db.create_engine(enforcement_settings.database_url)
        sessionmaker = db.make_sessionmaker(engine)
        try:
            # a handling deadline stored before the calendar knew its sources (weekends only)
            async with db.transaction(sessionmaker) as session:
                await session.execute(
                    update(Case)
                    .where(Case.id == case["id"])  # type: ignore[arg-type]
                    .values(handling_due_date=date(2027, 2, 23), calendar_missing_year=None)
                )
            with caplog.at_level(logging.WARNING, logger="enforcement"):
                async with db.transaction(sessionmaker) as session:
                    counts = await check_calendar(session, date(2026, 12, 1))
            assert counts == [1, 1]  # open cases recomputed, cases waiting for a year
            assert any("2027" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
            assert gauge("ipops_enforcement_calendar_next_year_covered") == 0
            assert gauge("ipops_enforcement_calendar_alert") == 1
            assert gauge("ipops_enforcement_deadlines_waiting_for_calendar") == 1
            detail = (await client.get(f"{BASE}/cases/{case['id']}", headers=operator)).json()
            assert (detail["handling_due_date"], detail["calendar_missing_year"]) == (None, 2027)

            await client.put(
                f"{BASE}/calendar/2027-01-01", json={"kind": "holiday", "name": "元旦"}, headers={**operator, **key()}
            )
            assert (
                await client.put(f"{BASE}/calendar/years/2027", json=NOTICE, headers={**operator, **key()})
            ).status_code == 200
            async with db.transaction(sessionmaker) as session:
                assert await check_calendar(session, date(2026, 12, 1)) == [1, 0]
            assert gauge("ipops_enforcement_calendar_next_year_covered") == 1
            assert gauge("ipops_enforcement_calendar_alert") == 0
        finally:
            await engine.dispose()


def gauge(name: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"service": "enforcement"})


async def test_intake_by_an_agency_in_a_missing_year_is_saved(
    shared_client: httpx.AsyncClient, tokens: testing.TokenFactory
) -> None:
    """An agency's filing is never lost to a missing calendar: saved, the deadline waits."""
    response = await shared_client.post(
        f"{BASE}/cases",
        json={**_body(), "received_at": at("2003-12-30")},
        headers={**tokens.headers("agency", "agency-a"), **key()},
    )
    assert response.status_code == 201, response.text
    assert (response.json()["acceptance_due_date"], response.json()["calendar_missing_year"]) == (None, 2003)


def _body() -> dict[str, Any]:
    from tests.enforcement.helpers import case_body

    return case_body()


def test_the_service_runs_the_calendar_check_at_start_up_and_after_midnight(
    enforcement_settings: EnforcementSettings,
) -> None:
    from datetime import time

    from enforcement.jobs import calendar_check_schedule, daily_calendar_check
    from enforcement.main import DEFINITION
    from ipops.clock import DISTRICT_TZ

    assert daily_calendar_check in DEFINITION.jobs
    schedule = calendar_check_schedule(enforcement_settings)
    assert (schedule.at, schedule.zone, schedule.at_start, schedule.enabled) == (time(0, 5), DISTRICT_TZ, True, True)


class TestReadiness:
    async def test_readyz_reports_the_calendar_as_the_coverage_report_does(
        self, client: httpx.AsyncClient, operator: dict[str, str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from enforcement.calendar import service as calendar_service

        for today, status in ((date(2026, 11, 30), "up"), (date(2026, 12, 1), "warn")):
            monkeypatch.setattr(calendar_service, "district_today", lambda today=today: today)
            report = (await client.get("/readyz")).json()
            check = report["checks"]["holiday_calendar"]
            assert check["status"] == status, check
            if status == "warn":
                assert check["missing_years"] == [2027] and "calendar/years" in check["fix"]
            # a missing calendar is for an operator to fix; it does not take the service out of rotation
            assert report["checks"]["database"]["status"] == "up"
            assert report["status"] == (
                "ready" if all(c["status"] in ("up", "warn") for c in report["checks"].values()) else "not_ready"
            )
