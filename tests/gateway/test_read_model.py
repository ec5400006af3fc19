"""The public read model on the real broker: the services' indicator contributions become the
plan's figures (the latest revision of each, whatever the order they arrive in), an indicator
whose owner never announced itself is "no data yet", growth is judged as the compound average
from the base year on complete years, the public API answers while every service is down, and a
rebuild from the topics under a fresh consumer group gives the same figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from gateway.models import table_registry
from gateway.readmodel import projector
from ipops import db, kafka
from ipops.clock import district_today
from ipops.contracts import enforcement, indicators, navigation, operations
from ipops.events import CloudEvent
from ipops.events.registry import EventPayload
from ipops.indicators.catalogue import CATALOGUE
from ipops.indicators.ledger import IndicatorContribution
from tests import testing
from tests.gateway.conftest import OPERATOR_ID, OPERATOR_SECRET, bearer, gateway_client

CURRENT = district_today().year
RECORDED = datetime(2026, 1, 1, tzinfo=UTC)


def at(year: int, month: int = 6, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def contribution(
    indicator: str,
    subject: str,
    quantity: int,
    start: date,
    *,
    owner: str,
    end: date | None = None,
    revision: int = 1,
) -> tuple[EventPayload, str]:
    payload = indicators.ContributionRecordedV1(
        indicator=indicator, subject=subject, owner=owner, quantity=quantity, start_on=start, end_on=end,
        revision=revision, reason="test", recorded_at=RECORDED,
    )  # fmt: skip
    return payload, f"{indicator}:{subject}"


def source(owner: str) -> tuple[EventPayload, str]:
    ids = [i.id for i in CATALOGUE if i.owner == owner]
    return indicators.SourceAnnouncedV1(owner=owner, indicators=ids, announced_at=at(2026)), f"source:{owner}"


def pledge(indicator: str, subject: str, quantity: int, start: date, **kw: Any) -> tuple[EventPayload, str]:
    return contribution(indicator, subject, quantity, start, owner="pledge", **kw)


def d(year: int, month: int = 6, day: int = 1) -> date:
    return date(year, month, day)


# pledge amount (fen): 2018 1,000,000.00; 2022 2,000,000.00 (L3 withdrawn); the current year 50.00
# -> compound average growth 2018-2022 = 2 ** (1/4) - 1 = 18.9 % < 30 %: not met.
# pledge count: 1 in 2018, 3 in 2022 -> 3 ** (1/4) - 1 = 31.6 % >= 30 %: met.
EVENTS: list[tuple[EventPayload, str]] = [
    source("pledge"),
    source("enforcement"),
    source("navigation"),
    pledge("pledge_amount", "L1", 100_000_000, d(2018)),
    pledge("pledge_count", "L1", 1, d(2018)),
    pledge("pledge_amount", "L2", 150_000_000, d(2022)),
    pledge("pledge_count", "L2", 1, d(2022)),
    # L2 corrected: revision 2 restates the amount; then an older revision arrives late
    pledge("pledge_amount", "L2", 200_000_000, d(2022), revision=2),
    pledge("pledge_amount", "L2", 150_000_000, d(2022)),
    pledge("pledge_amount", "L3", 80_000_000, d(2022)),
    pledge("pledge_count", "L3", 1, d(2022)),
    pledge("pledge_count", "L4", 1, d(2022)),
    # L3's amount is withdrawn (revision 2, quantity 0): it no longer counts
    pledge("pledge_amount", "L3", 0, d(2022), revision=2),
    pledge("pledge_amount", "L5", 5_000, d(CURRENT, 1, 2)),
    # a mixed pledge that counts from 2020 until it ends in 2022 (stock)
    pledge("mixed_pledges", "L6", 1, d(2020), end=d(2022, 3)),
    contribution("enterprises_protected", "E1:2022", 1, d(2022), owner="enforcement"),
    contribution("satisfaction", "survey:2022", 855, d(2022, 12, 20), owner="enforcement"),
    contribution("navigation_industry_planning", "P1", 1, d(2021), owner="navigation"),
    (
        navigation.ProjectAcceptedV1(
            project_id="P1",
            kind="industry_planning",
            title="新能源汽车产业专利导航",
            industry="新能源汽车",
            undertaking_org="org-1",
            undertaking_org_name="某研究院",
            accepted_at=at(2021),
        ),
        "P1",
    ),
    (enforcement.CaseOpenedV1(case_id="C1", case_type="counterfeit_patent", opened_at=at(2022)), "C1"),
    (
        enforcement.CaseClosedV1(
            case_id="C1",
            case_type="counterfeit_patent",
            channel="ordinary",
            outcome="decided",
            closed_at=at(2022, 9),
            within_deadline=True,
        ),
        "C1",
    ),
    (
        operations.MilestoneRecordedV1(
            milestone_id="M1",
            goal=8,
            title_zh="华明知识产权特色小镇挂牌",
            title_en="Huaming IP town opened",
            achieved_on=d(2021, 9, 1),
            evidence="区政府文件 <2021> 12 号",
            recorded_at=at(2021, 9),
        ),
        "M1",
    ),
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
    return {t["indicator"]: t for t in progress["indicators"]}


def values(series: dict[str, Any]) -> dict[int, str | None]:
    return {v["year"]: v["value"] for v in series["series"]}


def settled_when(body: dict[str, Any]) -> bool:
    """Every event of EVENTS has arrived (they travel on several partitions and topics)."""
    t = by_id(body)
    return (
        values(t["pledge_amount"]).get(CURRENT) == "50.00"
        and values(t["pledge_amount"])[2022] == "2000000.00"
        and values(t["pledge_count"])[2022] == "3"
        and values(t["mixed_pledges"])[2020] == "1"
        and values(t["enterprises_protected"])[2022] == "1"
        and values(t["satisfaction"])[2022] == "85.5"
        and values(t["navigation_industry_planning"])[2021] == "1"
        and body["milestones"][1]["status"] == "recorded"
    )


@pytest.mark.parametrize("database", ["postgres", "sqlite"])
async def test_figures_from_contributions_and_rebuild_gives_the_same(gateway_settings, sqlite_url, database) -> None:
    # every upstream points at a closed port: the public API must not need them; SQLite is the
    # embedded mode of `make up`
    db_url = {"database_url": sqlite_url} if database == "sqlite" else {}
    settings = gateway_settings(run_background_tasks=True, read_model_watch_seconds=0.5, **db_url)
    async with gateway_client(settings) as (app, client):
        await publish(settings, EVENTS)

        async def settled() -> dict[str, Any] | None:
            app.state.public_cache.clear()
            r = await client.get("/api/v1/public/progress")
            assert r.status_code == 200
            if not settled_when(r.json()):
                return None
            cases = (await client.get("/api/v1/public/enforcement-statistics")).json()["years"]
            projects = (await client.get("/api/v1/public/navigation-projects")).json()["items"]
            return r.json() if cases and cases[0]["closed"] == 1 and projects else None

        first = await testing.eventually(settled, timeout=60, interval=0.5, message="read model did not fill")
        assert first["base_year"] == 2018 and first["current_year"] == CURRENT and first["judged_year"] == 2022
        t = by_id(first)
        assert [x["indicator"] for x in first["indicators"]] == [i.id for i in CATALOGUE]
        amount = t["pledge_amount"]
        assert [v["year"] for v in amount["series"]] == list(range(2018, CURRENT + 1))
        assert values(amount)[2018] == "1000000.00" and values(amount)[2019] == "0.00"
        assert [v["year"] for v in amount["series"] if v["year_to_date"]] == [CURRENT]
        assert amount["judgement"] == {
            "status": "not_met",
            "judged_year": 2022,
            "value": "2000000.00",
            "average_growth_pct": "18.9",
        }
        assert t["pledge_count"]["judgement"]["status"] == "met"
        assert t["pledge_count"]["judgement"]["average_growth_pct"] == "31.6"
        assert (amount["owner"], amount["has_source"], amount["growth_pct"]) == ("pledge", True, "30")
        # a stock counts at each year's end until it ends
        assert [values(t["mixed_pledges"])[y] for y in (2019, 2020, 2021, 2022)] == ["0", "1", "1", "0"]
        # per-year targets on complete years; a level year without a survey has no value
        assert t["enterprises_protected"]["judgement"]["status"] == "not_met"
        assert values(t["satisfaction"])[2022] == "85.5" and values(t["satisfaction"])[2021] is None
        assert t["satisfaction"]["judgement"]["status"] == "met"
        # an owner that never announced itself: no data yet, never an invented zero
        for missing in ("operation_agencies", "transactions_licensing", "trusteeship_smes"):
            assert t[missing]["has_source"] is False
            assert t[missing]["judgement"]["status"] == "no_data"
            assert {v["value"] for v in t[missing]["series"]} == {None}
        goals = {g["goal"]: g for g in first["milestones"]}
        assert goals[7]["status"] == "no_data" and goals[9]["milestones"] == []
        assert goals[8]["milestones"][0]["evidence"] == "区政府文件 <2021> 12 号"
        projects = (await client.get("/api/v1/public/navigation-projects")).json()
        assert [p["project_id"] for p in projects["items"]] == ["P1"]
        stats = (await client.get("/api/v1/public/enforcement-statistics")).json()["years"]
        assert stats == [
            {
                "year": 2022,
                "total": 1,
                "by_type": {"counterfeit_patent": 1},
                "by_channel": {"ordinary": 1},
                "enterprises_served": 1,
                "closed": 1,
                "closed_within_deadline_pct": "100.0",
                "satisfaction": "85.5",
            }
        ]

        # rebuild: the read model is emptied and refilled from the topics under a fresh group
        operator = await bearer(client, OPERATOR_ID, OPERATOR_SECRET)
        r = await client.post("/api/v1/gateway/read-model/rebuild", headers=operator)
        assert r.status_code == 202, r.text
        assert r.json()["generation"] == 2
        second = await testing.eventually(settled, timeout=60, interval=0.5, message="rebuild did not refill")
        assert second["indicators"] == first["indicators"] and second["milestones"] == first["milestones"]
        assert second["read_model"]["generation"] == 2
        assert (await client.get("/api/v1/public/enforcement-statistics")).json()["years"] == stats

        # the same events published again (a relay's duplicate) change nothing; a marker
        # published after them shows they were consumed
        marker = contribution("navigation_industry_planning", "P9", 1, d(2021), owner="navigation")
        await publish(settings, [*EVENTS, marker])

        async def marker_seen() -> dict[str, Any] | None:
            app.state.public_cache.clear()
            body = (await client.get("/api/v1/public/progress")).json()
            return body if values(by_id(body)["navigation_industry_planning"])[2021] == "2" else None

        again = by_id(await testing.eventually(marker_seen, timeout=30, interval=0.3))
        for name in ("pledge_amount", "pledge_count", "mixed_pledges", "satisfaction"):
            assert again[name] == t[name]


@pytest.fixture
async def sessionmaker(pg_url: str) -> db.SessionMaker:
    engine = db.create_engine(pg_url)
    async with engine.begin() as conn:
        await conn.run_sync(table_registry.metadata.create_all)
        await conn.run_sync(IndicatorContribution.metadata.create_all, tables=[IndicatorContribution.__table__])
    return db.make_sessionmaker(engine)


async def _apply(sessionmaker: db.SessionMaker, event: tuple[EventPayload, str]) -> None:
    payload, key = event
    cloud = CloudEvent(source="test", type=payload.event_type, data=payload.model_dump(mode="json"), partitionkey=key)
    async with db.transaction(sessionmaker) as session:
        await projector.HANDLERS[payload.event_type](session, cloud, payload)


async def _row(sessionmaker: db.SessionMaker, indicator: str, subject: str) -> IndicatorContribution | None:
    async with sessionmaker() as session:
        return await session.get(IndicatorContribution, (indicator, subject))


async def test_the_latest_revision_wins_whatever_the_order_on_postgres(sessionmaker: db.SessionMaker) -> None:
    second = pledge("pledge_amount", "L1", 300, d(2021), revision=2)
    first = pledge("pledge_amount", "L1", 100, d(2020), revision=1)
    third = pledge("pledge_amount", "L1", 0, d(2021), revision=3)
    await _apply(sessionmaker, second)
    await _apply(sessionmaker, first)  # late: changes nothing
    row = await _row(sessionmaker, "pledge_amount", "L1")
    assert row is not None and (row.quantity, row.start_year, row.revision) == (300, 2021, 2)
    await _apply(sessionmaker, second)  # again: changes nothing
    await _apply(sessionmaker, third)
    await _apply(sessionmaker, third)
    row = await _row(sessionmaker, "pledge_amount", "L1")
    assert row is not None and (row.quantity, row.revision) == (0, 3)


async def test_a_source_announcement_is_idempotent_and_the_latest_wins(sessionmaker: db.SessionMaker) -> None:
    from gateway.readmodel.queries import sources

    newer = indicators.SourceAnnouncedV1(owner="pledge", indicators=["pledge_amount"], announced_at=at(2026, 2))
    older = indicators.SourceAnnouncedV1(owner="pledge", indicators=["pledge_count"], announced_at=at(2026, 1))
    for payload in (newer, older, newer):
        await _apply(sessionmaker, (payload, "source:pledge"))
    async with sessionmaker() as session:
        assert await sources(session) == {"pledge_amount"}


async def test_a_case_opened_on_new_years_eve_utc_counts_in_the_districts_new_year(
    sessionmaker: db.SessionMaker,
) -> None:
    """The anonymised case table counts by the district's (Beijing) year, as the services do."""
    from gateway.readmodel.queries import enforcement_statistics

    late = enforcement.CaseOpenedV1(case_id="C9", case_type="counterfeit_patent", opened_at=at(2025, 12, 31))
    await _apply(sessionmaker, (late.model_copy(update={"opened_at": datetime(2025, 12, 31, 17, tzinfo=UTC)}), "C9"))
    async with sessionmaker() as session:
        years = await enforcement_statistics(session, CURRENT, 2018)
    assert [(y["year"], y["total"]) for y in years] == [(2026, 1)]
    assert Decimal(years[0]["enterprises_served"]) == 0
