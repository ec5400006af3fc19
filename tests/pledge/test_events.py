"""Events on the real broker: an enforcement case naming a pledged patent flags the live loan
(behind the inbox: a redelivered case is applied once), and pledge's own state changes leave
through the outbox onto `ipops.pledge.loan`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer

from ipops import kafka
from ipops.contracts.enforcement import CASE_TOPIC, CaseOpenedV1
from ipops.events.envelope import CloudEvent
from ipops.events.outbox import build_event
from pledge.config import PledgeSettings
from pledge.main import create_app
from tests import testing
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, drive, enterprise, register_bank, right


async def produce(settings: PledgeSettings, event: CloudEvent) -> None:
    """Send `event` the way enforcement's relay does (binary-mode CloudEvent)."""
    producer = kafka.make_producer(settings)
    await producer.start()
    try:
        key, value, headers = event.to_record()
        await producer.send_and_wait(settings.topic(CASE_TOPIC.name), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def read_types(settings: PledgeSettings, topic: str, loan_id: str, expected: set[str]) -> list[str]:
    """Event types on `topic` keyed by `loan_id`, once all of `expected` arrived."""
    consumer = AIOKafkaConsumer(
        settings.topic(topic),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    seen: list[str] = []
    try:
        async with asyncio.timeout(20):
            while not expected <= set(seen):
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    for r in records:
                        if r.key == loan_id.encode():
                            seen.append(CloudEvent.from_record(r.key, r.value, r.headers).type)
    finally:
        await consumer.stop()
    return seen


def case(patent: str, case_id: str) -> CloudEvent:
    payload = CaseOpenedV1(
        case_id=case_id, case_type="patent_infringement", patent_numbers=[patent], opened_at=datetime.now(UTC)
    )
    return build_event(payload, source="/ipops/enforcement", key=case_id)


async def test_case_flags_live_loans_once_and_loan_events_are_published(
    pg_url: str,
    tokens: testing.TokenFactory,
    kafka_bootstrap: str,
    serve_app: Callable[..., Any],
) -> None:
    settings = pledge_settings(pg_url, tokens, kafka_bootstrap, run_background_tasks=True)
    async with serve_app(create_app(settings)) as client:
        operator = Api(client, tokens, "operator")
        bank = Api(client, tokens, "bank", await register_bank(operator))
        owner = await enterprise(bank)
        patent = await right(bank, owner)
        body = {"enterprise_credit_code": owner, "amount": "1000.00", "term_months": 6, "right_ids": [patent["id"]]}
        old = await bank.ok("/loans", body)
        await drive(bank, old["id"], "withdrawn")
        live = await bank.ok("/loans", body)
        await drive(bank, live["id"], "approved")

        async def ready() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await testing.eventually(ready, message="pledge ready (topics, relay, consumer)")
        opened = case(patent["number"], "case-1")
        await produce(settings, opened)
        await produce(settings, opened)  # the relay may publish twice: the inbox applies it once

        async def flagged() -> dict[str, Any] | None:
            shown = (await bank.get(f"/loans/{live['id']}")).json()
            return shown if shown["collateral_at_risk"] else None

        shown = await testing.eventually(flagged, message="loan flagged as collateral-at-risk")
        assert [a["case_id"] for a in shown["collateral_alerts"]] == ["case-1"]
        assert (await bank.get("/loans", at_risk="true")).json()["items"][0]["id"] == live["id"]
        assert (await bank.get(f"/loans/{old['id']}")).json()["collateral_at_risk"] is False

        # a later case as a marker: once it is applied, the duplicate above has been seen too
        marker = await right(bank, owner)
        await produce(settings, case(marker["number"], "case-2"))

        async def marker_seen() -> bool:
            alerts = (await operator.get("/collateral-alerts", limit=500)).json()["items"]
            return any(a["case_id"] == "case-2" for a in alerts)

        await testing.eventually(marker_seen, message="marker case applied")
        alerts = (await operator.get("/collateral-alerts", limit=500)).json()["items"]
        assert [a["case_id"] for a in alerts].count("case-1") == 1
        # the bank sees the alerts on its loans' rights (the marker backs no loan of it)
        mine = (await bank.get("/collateral-alerts", limit=500)).json()["items"]
        assert [a["case_id"] for a in mine] == ["case-1"]

        types = await read_types(
            settings,
            "ipops.pledge.loan",
            live["id"],
            {"ipops.pledge.loan.submitted.v1", "ipops.pledge.loan.approved.v1"},
        )
        assert types.index("ipops.pledge.loan.submitted.v1") < types.index("ipops.pledge.loan.approved.v1")


async def read_indicator_events(settings: PledgeSettings, want: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Payloads on the indicator topic per key, once each key of `want` has that many."""
    consumer = AIOKafkaConsumer(
        settings.topic("ipops.indicator.contribution"),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    seen: dict[str, list[dict[str, Any]]] = {}
    try:
        async with asyncio.timeout(20):
            while any(len(seen.get(key, [])) < n for key, n in want.items()):
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    for r in records:
                        event = CloudEvent.from_record(r.key, r.value, r.headers)
                        seen.setdefault((r.key or b"").decode(), []).append({"type": event.type, **event.data})
    finally:
        await consumer.stop()
    return seen


async def test_the_source_and_each_contribution_reach_the_indicator_topic(
    pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str, serve_app: Callable[..., Any]
) -> None:
    """At start pledge says it is the source of its four indicators; a dated disbursement's
    contributions and their withdrawal (undone) follow in order, keyed by indicator and loan."""
    settings = pledge_settings(pg_url, tokens, kafka_bootstrap, run_background_tasks=True)
    async with serve_app(create_app(settings)) as client:
        bank = Api(client, tokens, "bank", await register_bank(Api(client, tokens, "operator")))
        owner = await enterprise(bank)
        patent = await right(bank, owner)
        body = {"enterprise_credit_code": owner, "amount": "1000.00", "term_months": 6, "right_ids": [patent["id"]]}
        loan = await bank.ok("/loans", body)
        await drive(bank, loan["id"], "registered")
        assert (await bank.move(loan["id"], "disburse", disbursed_date="2020-02-02")).status_code == 200
        assert (await bank.move(loan["id"], "undo_disburse")).status_code == 200
        amount_key = f"pledge_amount:{loan['id']}"
        seen = await read_indicator_events(settings, {"source:pledge": 1, amount_key: 2})
    [source] = seen["source:pledge"]
    assert source["type"] == "ipops.indicator.source.announced.v1"
    assert sorted(source["indicators"]) == ["insurance_amount", "mixed_pledges", "pledge_amount", "pledge_count"]
    assert [(e["quantity"], e["start_on"], e["revision"]) for e in seen[amount_key]] == [
        (100_000, "2020-02-02", 1),
        (0, "2020-02-02", 2),
    ]
