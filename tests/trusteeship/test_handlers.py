"""Events in and out on the real Kafka broker: an enforcement case naming an enrolled enterprise
lands once in its agency's queue (even when delivered twice); a pledge loan and a navigation
project show in the profile; the enrolment goes out through the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from ipops import kafka
from ipops.contracts.enforcement import CASE_TOPIC, CaseOpenedV1, CaseParty
from ipops.contracts.navigation import PROJECT_TOPIC, ProjectAcceptedV1
from ipops.contracts.pledge import LOAN_TOPIC, LoanApprovedV1
from ipops.contracts.trusteeship import ENROLMENT_TOPIC
from ipops.events import EventPayload
from ipops.events.envelope import CloudEvent
from tests import testing
from tests.testing import eventually
from tests.trusteeship.helpers import BASE, as_agency, credit_code, enrol, execute, register_agency
from trusteeship.config import TrusteeshipSettings
from trusteeship.main import create_app

A, B = "agency-a", "agency-b"


def envelope(payload: EventPayload, key: str) -> CloudEvent:
    return CloudEvent(
        source="/ipops/test", type=payload.event_type, data=payload.model_dump(mode="json"), partitionkey=key
    )


async def publish(settings: TrusteeshipSettings, topic: str, *events: CloudEvent) -> None:
    producer = kafka.make_producer(settings)
    await producer.start()
    try:
        for event in events:
            key, value, headers = event.to_record()
            await producer.send_and_wait(settings.topic(topic), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


def case(case_id: str, code: str) -> CaseOpenedV1:
    return CaseOpenedV1(
        case_id=case_id,
        case_type="patent_infringement",
        patent_numbers=["202010123456.2"],
        parties=[
            CaseParty(role="requester", name="Dongli Precision", credit_code=code),
            CaseParty(role="respondent", name="Somebody Else", credit_code=credit_code(4242)),  # not enrolled
        ],
        opened_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )


async def enrolment_records(settings: TrusteeshipSettings) -> list[Any]:
    consumer = AIOKafkaConsumer(
        settings.topic(ENROLMENT_TOPIC.name),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        records: list[Any] = []
        async with asyncio.timeout(20):
            while not records:
                for batch in (await consumer.getmany(timeout_ms=300)).values():
                    records.extend(batch)
        return records
    finally:
        await consumer.stop()


async def test_events_in_and_out_on_real_kafka(
    pg_url: str, settings_for: Callable[..., Any], serve_app: Any, tokens: testing.TokenFactory
) -> None:
    settings: TrusteeshipSettings = settings_for(TrusteeshipSettings, pg_url)
    async with serve_app(create_app(settings)) as client:
        client: httpx.AsyncClient  # type: ignore[no-redef]
        await register_agency(client, tokens, A)
        await register_agency(client, tokens, B)
        code = credit_code(77)
        await enrol(client, tokens, A, code)

        async def ready() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await eventually(ready, timeout=40, message="service not ready")

        # one key, one partition: the twin is consumed before the second case, so seeing the second
        # means the twin was seen (and skipped)
        first = envelope(case("CASE-2026-001", code), code)
        await publish(settings, CASE_TOPIC.name, first, first)  # delivered twice
        await publish(settings, CASE_TOPIC.name, envelope(case("CASE-2026-002", code), code))
        await publish(
            settings,
            LOAN_TOPIC.name,
            envelope(
                LoanApprovedV1(
                    loan_id="L-1",
                    bank_id="bank-a",
                    enterprise_credit_code=code,
                    enterprise_name="Dongli Precision",
                    amount="50000000.00",
                    mixed_pledge=True,
                    patent_numbers=["202010123456.2"],
                    approved_at=datetime(2026, 4, 1, tzinfo=UTC),
                ),
                "L-1",
            ),
        )
        await publish(
            settings,
            PROJECT_TOPIC.name,
            envelope(
                ProjectAcceptedV1(
                    project_id="P-1",
                    kind="enterprise_operation",
                    title="Navigation for precision clamps",
                    industry="advanced manufacturing",
                    undertaking_org="Tianjin IP Center",
                    beneficiary_credit_code=code,
                    accepted_at=datetime(2026, 5, 1, tzinfo=UTC),
                ),
                "P-1",
            ),
        )

        async def queue() -> list[dict[str, Any]]:
            response = await client.get(f"{BASE}/work-queue", headers=as_agency(tokens, A, keyed=False))
            items: list[dict[str, Any]] = response.json()["items"]
            return items if len(items) >= 2 else []

        items = await eventually(queue, timeout=30, message="cases did not reach the queue")
        # the duplicate delivery was applied once: the later case arrived, the twin did not
        assert sorted(i["reference"] for i in items) == ["CASE-2026-001", "CASE-2026-002"]
        assert {i["credit_code"] for i in items} == {code}
        assert items[0]["details"]["role"] == "requester"
        claimed = await execute(
            pg_url, "SELECT count(*) FROM inbox_entry WHERE event_type = :t", t=CaseOpenedV1.event_type
        )
        assert claimed == [(2,)]
        other = await client.get(f"{BASE}/work-queue", headers=as_agency(tokens, B, keyed=False))
        assert other.json()["total"] == 0
        item_id = items[0]["id"]
        not_theirs = await client.post(f"{BASE}/work-queue/{item_id}/done", headers=as_agency(tokens, B))
        assert not_theirs.status_code == 404
        done = await client.post(f"{BASE}/work-queue/{item_id}/done", headers=as_agency(tokens, A))
        assert done.status_code == 200 and done.json()["status"] == "done"
        still_open = await client.get(
            f"{BASE}/work-queue", params={"status": "open"}, headers=as_agency(tokens, A, keyed=False)
        )
        assert still_open.json()["total"] == 1

        async def profile() -> dict[str, Any] | None:
            body: dict[str, Any] = (
                await client.get(f"{BASE}/enterprises/{code}", headers=as_agency(tokens, A, keyed=False))
            ).json()
            return body if body["loans"] and body["projects"] else None

        body = await eventually(profile, timeout=30, message="loan and project did not reach the profile")
        assert body["loans"][0]["amount"] == "50000000.00" and body["loans"][0]["mixed_pledge"] is True
        assert body["projects"][0]["project_id"] == "P-1"

        records = await enrolment_records(settings)
        event = CloudEvent.from_record(records[0].key, records[0].value, records[0].headers)
        assert event.type == "ipops.trusteeship.enterprise.enrolled.v1"
        assert event.data["credit_code"] == code and event.data["first_enrolment"] is True
