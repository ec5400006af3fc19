"""The public read model on the real broker: events from the four services' contracts become the
plan's figures, the public API answers while every service is down, and a rebuild from the
topics under a fresh consumer group gives the same figures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.readmodel.targets import TARGETS
from ipops import kafka
from ipops.contracts import enforcement, navigation, pledge, trusteeship
from ipops.events import CloudEvent
from ipops.events.registry import EventPayload
from tests import testing
from tests.gateway.conftest import OPERATOR_ID, OPERATOR_SECRET, bearer, gateway_client


def at(year: int, month: int = 6, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def loan(loan_id: str, amount: str, year: int, *, mixed: bool = False) -> pledge.LoanApprovedV1:
    return pledge.LoanApprovedV1(
        loan_id=loan_id,
        bank_id="bank-a",
        enterprise_credit_code="91120110MA05JX1234",
        enterprise_name="E",
        amount=amount,
        mixed_pledge=mixed,
        approved_at=at(year),
    )


EVENTS: list[tuple[EventPayload, str]] = [
    (loan("L1", "1000000.00", 2025), "L1"),
    (loan("L2", "500000.50", 2026, mixed=True), "L2"),
    (loan("L3", "800000.00", 2026, mixed=True), "L3"),
    (loan("L4", "90000.00", 2026), "L4"),
    # L4's approval is taken back: it no longer counts
    (pledge.LoanApprovalUndoneV1(loan_id="L4", bank_id="bank-a", amount="90000.00", undone_at=at(2026, 7)), "L4"),
    (
        navigation.ProjectAcceptedV1(
            project_id="P1",
            kind="industry_planning",
            title="新能源汽车产业专利导航",
            industry="新能源汽车",
            undertaking_org="org-1",
            undertaking_org_name="某研究院",
            accepted_at=at(2025),
        ),
        "P1",
    ),
    (
        navigation.ProjectAcceptedV1(
            project_id="P2",
            kind="enterprise_operation",
            title="某企业运营导航",
            industry="装备制造",
            undertaking_org="org-2",
            accepted_at=at(2026),
        ),
        "P2",
    ),
    (
        navigation.PortfolioQualifiedV1(
            portfolio_id="PF1",
            credit_code="91120110MA05JX1234",
            enterprise_name="E",
            name="电池",
            invention_count=55,
            pct_count=12,
            qualified_on=at(2026).date(),
            qualified_at=at(2026),
        ),
        "91120110MA05JX1234",
    ),
    (
        trusteeship.EnterpriseEnrolledV1(
            enrolment_id=1,
            agency_id="ag-1",
            credit_code="91120110MA05JX1234",
            enterprise_name="E",
            start_date=at(2025).date(),
            first_enrolment=True,
            enrolled_at=at(2025),
        ),
        "91120110MA05JX1234",
    ),
    (
        trusteeship.EnterpriseEnrolledV1(
            enrolment_id=2,
            agency_id="ag-1",
            credit_code="91120110MA05JX5678",
            enterprise_name="F",
            start_date=at(2026).date(),
            first_enrolment=True,
            enrolled_at=at(2026),
        ),
        "91120110MA05JX5678",
    ),
    (
        enforcement.CaseOpenedV1(
            case_id="C1",
            case_type="counterfeit_patent",
            opened_at=at(2025),
            parties=[enforcement.CaseParty(role="requester", name="A", credit_code="A1")],
        ),
        "C1",
    ),
    (
        enforcement.CaseOpenedV1(
            case_id="C2",
            case_type="patent_mediation",
            channel="rapid",
            opened_at=at(2026),
            parties=[enforcement.CaseParty(role="requester", name="A", credit_code="A1")],
        ),
        "C2",
    ),
    (
        enforcement.CaseOpenedV1(
            case_id="C3",
            case_type="trademark_enforcement",
            opened_at=at(2026, 8),
            parties=[
                enforcement.CaseParty(role="requester", name="A", credit_code="A1"),
                enforcement.CaseParty(role="respondent", name="B", credit_code="B1"),
            ],
        ),
        "C3",
    ),
    (
        enforcement.CaseOpenedV1(
            case_id="C4",
            case_type="assistance",
            opened_at=at(2026, 9),
            parties=[enforcement.CaseParty(role="requester", name="G", credit_code="G1")],
        ),
        "C4",
    ),
    # later steps of cases: a new requester served in 2026, closings with and without delay, ratings
    (
        enforcement.CaseAcceptedV1(
            case_id="C4",
            case_type="assistance",
            channel="ordinary",
            requester_credit_codes=["G1", "H1"],
            accepted_at=at(2026, 10),
        ),
        "C4",
    ),
    (
        enforcement.CaseClosedV1(
            case_id="C1",
            case_type="counterfeit_patent",
            channel="ordinary",
            outcome="decided",
            closed_at=at(2025, 9),
            within_deadline=True,
        ),
        "C1",
    ),
    (
        enforcement.CaseClosedV1(
            case_id="C2",
            case_type="patent_mediation",
            channel="rapid",
            outcome="mediated",
            closed_at=at(2026, 9),
            within_deadline=False,
        ),
        "C2",
    ),
    (enforcement.CaseRatedV1(case_id="C1", case_type="counterfeit_patent", score=90, rated_at=at(2025, 10)), "C1"),
    (enforcement.CaseRatedV1(case_id="C2", case_type="patent_mediation", score=70, rated_at=at(2026, 10)), "C2"),
    (enforcement.CaseRatedV1(case_id="C3", case_type="trademark_enforcement", score=85, rated_at=at(2026, 11)), "C3"),
]


async def publish(settings: Any, events: list[tuple[EventPayload, str]]) -> None:
    """Publish contract events the way the services' relays do (binary CloudEvents)."""
    producer = kafka.make_producer(settings)
    await producer.start()
    try:
        for payload, key in events:
            event = CloudEvent(
                source="test", type=payload.event_type, data=payload.model_dump(mode="json"), partitionkey=key
            )
            k, v, headers = event.to_record()
            await producer.send_and_wait(settings.topic(payload.topic), v, key=k, headers=headers)
    finally:
        await producer.stop()


def by_id(progress: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in progress["targets"]}


def figures(progress: dict[str, Any]) -> list[dict[str, Any]]:
    return progress["targets"]


@pytest.mark.parametrize("database", ["postgres", "sqlite"])
async def test_figures_from_events_and_rebuild_gives_the_same(gateway_settings, sqlite_url, database) -> None:
    # every upstream points at a closed port: the public API must not need them
    db = {"database_url": sqlite_url} if database == "sqlite" else {}
    settings = gateway_settings(run_background_tasks=True, read_model_watch_seconds=0.5, **db)
    async with gateway_client(settings) as (app, client):
        await publish(settings, EVENTS)

        async def settled() -> dict[str, Any] | None:
            r = await client.get("/api/v1/public/progress")
            assert r.status_code == 200
            t = by_id(r.json())
            done = (
                t["pledge_count"]["current"] == 2
                and t["enforcement_cases"]["current"] == 2
                and t["trusteeship_smes"]["current"] == 2
                and t["high_value_portfolios"]["current"] == 1
                and t["navigation_enterprise_operation"]["current"] == 1
                and t["satisfaction"]["current"] == "77.5"
                and t["enterprises_protected"]["current"] == 3
                and len(t["satisfaction"]["by_year"]) == 2
            )
            return r.json() if done else None

        app.state.public_cache.clear()
        first = await testing.eventually(settled, timeout=60, interval=0.5, message="read model did not fill")
        t = by_id(first)
        assert {x["id"] for x in figures(first)} == {x.id for x in TARGETS}
        # pledge: L1 in 2025; L2 and L3 in 2026 (L4 undone)
        assert t["pledge_amount"]["by_year"] == [
            {"year": 2025, "value": "1000000.00", "growth_pct": None, "cumulative": None},
            {"year": 2026, "value": "1300000.50", "growth_pct": "30.0", "cumulative": None},
        ]
        assert t["pledge_amount"]["met"] is True
        assert [r["value"] for r in t["pledge_count"]["by_year"]] == [1, 2]
        assert t["mixed_pledges"]["current"] == 2 and t["mixed_pledges"]["met"] is False
        assert t["mixed_pledges"]["progress_pct"] == "20.0"
        assert t["navigation_industry_planning"]["current"] == 1
        assert [r["cumulative"] for r in t["trusteeship_smes"]["by_year"]] == [1, 2]
        # cases: one administrative case in 2025, two in 2026 (assistance is not a case)
        assert [(r["year"], r["value"]) for r in t["enforcement_cases"]["by_year"]] == [(2025, 1), (2026, 2)]
        assert t["enforcement_cases"]["latest_growth_pct"] == "100.0"
        # served: A1 in 2025; A1, G1 and H1 in 2026 (once a year each, respondents never)
        assert [(r["year"], r["value"]) for r in t["enterprises_protected"]["by_year"]] == [(2025, 1), (2026, 3)]
        # satisfaction: the average rating by year (90 in 2025; 70 and 85 in 2026)
        assert [(r["year"], r["value"]) for r in t["satisfaction"]["by_year"]] == [(2025, "90.0"), (2026, "77.5")]
        assert (t["satisfaction"]["current"], t["satisfaction"]["met"]) == ("77.5", False)
        # figures nobody records are not invented
        for missing in (
            "operation_agencies",
            "overseas_trademarks",
            "certified_organisations",
            "transactions_licensing",
            "insurance_amount",
        ):
            assert t[missing]["status"] == "no_data" and t[missing]["current"] is None

        projects = (await client.get("/api/v1/public/navigation-projects")).json()
        assert [p["project_id"] for p in projects["items"]] == ["P2", "P1"]
        assert projects["items"][1]["undertaking_org_name"] == "某研究院"
        stats = (await client.get("/api/v1/public/enforcement-statistics")).json()["years"]
        assert stats[0]["closed_within_deadline_pct"] == "100.0"
        assert stats[1] == {
            "year": 2026,
            "total": 3,
            "enterprises_served": 3,
            "by_type": {"patent_mediation": 1, "trademark_enforcement": 1, "assistance": 1},
            "by_channel": {"rapid": 1, "ordinary": 2},
            "closed": 1,
            "closed_within_deadline_pct": "0.0",
            "satisfaction": "77.5",
        }
        assert "A1" not in str(stats) and "parties" not in str(stats)

        # rebuild: the read model is emptied and refilled from the topics under a fresh group
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        r = await client.post("/api/v1/gateway/read-model/rebuild", headers=operator)
        assert r.status_code == 202, r.text
        assert r.json()["generation"] == 2
        assert r.json()["group"] == "gateway.read-model.g2"
        app.state.public_cache.clear()
        second = await testing.eventually(settled, timeout=60, interval=0.5, message="rebuild did not refill")
        assert figures(second) == figures(first)
        assert second["read_model"]["generation"] == 2
        assert (await client.get("/api/v1/public/navigation-projects")).json() == projects
        assert (await client.get("/api/v1/public/enforcement-statistics")).json()["years"] == stats

        # the same loans published again (a relay's duplicate) change nothing; a marker event
        # published after them shows they were consumed
        marker = navigation.ProjectAcceptedV1(
            project_id="P3",
            kind="industry_planning",
            title="t",
            industry="i",
            undertaking_org="org-3",
            accepted_at=at(2026),
        )
        await publish(settings, [*EVENTS[:3], (marker, "P3")])

        async def marker_seen() -> dict[str, Any] | None:
            app.state.public_cache.clear()
            body = (await client.get("/api/v1/public/progress")).json()
            return body if by_id(body)["navigation_industry_planning"]["current"] == 2 else None

        again = by_id(await testing.eventually(marker_seen, timeout=30, interval=0.3))
        for name in ("pledge_amount", "pledge_count", "mixed_pledges"):
            assert again[name] == t[name]


async def test_only_operators_rebuild(gateway_settings) -> None:
    async with gateway_client(gateway_settings()) as (_, client):
        assert (await client.post("/api/v1/gateway/read-model/rebuild")).status_code == 401


async def test_a_new_projection_rebuilds_at_start(gateway_settings) -> None:
    """Rows built by another projection (an older gateway that skipped event types it did not
    handle) are rebuilt from the topics when a gateway with a new projection starts."""
    from sqlalchemy import text

    settings = gateway_settings(run_background_tasks=True, read_model_watch_seconds=0.5)
    cases = [e for e in EVENTS if e[0].topic == enforcement.CASE_TOPIC.name]

    async def served(client: Any) -> Any:
        body = (await client.get("/api/v1/public/enforcement-statistics")).json()["years"]
        return body if len(body) == 2 and body[1]["satisfaction"] == "77.5" else None

    async with gateway_client(settings) as (app, client):
        await publish(settings, cases)
        before = await testing.eventually(lambda: served(client), timeout=60, interval=0.3)
        async with app.state.runtime.sessionmaker() as session, session.begin():
            # what an older gateway would have left: no ratings, another projection
            await session.execute(text("DELETE FROM rm_fact WHERE metric = 'satisfaction_score'"))
            await session.execute(text("UPDATE rm_state SET projection = 'older'"))
    async with gateway_client(settings) as (app, client):
        assert app.state.read_model.generation == 2
        after = await testing.eventually(lambda: served(client), timeout=60, interval=0.3)
        assert after == before


async def test_an_older_replica_stops_consuming_after_a_newer_rebuild(gateway_settings) -> None:
    from sqlalchemy import text

    settings = gateway_settings(run_background_tasks=True, read_model_watch_seconds=0.2)
    async with gateway_client(settings) as (app, client):
        assert app.state.read_model.group == "gateway.read-model.g1"
        async with app.state.runtime.sessionmaker() as session, session.begin():
            # what a newer gateway's rebuild leaves: the next generation, another projection
            await session.execute(text("UPDATE rm_state SET generation = 2, projection = 'newer'"))

        async def stopped() -> bool:
            return app.state.read_model.group is None and app.state.read_model.superseded

        await testing.eventually(stopped, timeout=10, message="the older replica kept consuming")
        report = (await client.get("/readyz?scope=self")).json()
        assert report["checks"]["read_model"]["status"] == "down"
        assert "another gateway version" in report["checks"]["read_model"]["error"]
