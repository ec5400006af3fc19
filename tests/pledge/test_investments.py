"""The guidance fund - loan link (issue #13, 投贷联动) on the real broker and PostgreSQL: operations'
investment events, sent as its relay sends them, are kept with the pledge loan they name and shown
on the loan's read (a bank on its own loan only); a redelivered event is applied once; an
investment naming a loan pledge does not hold or a loan of another enterprise, and the exit of an
investment pledge never linked, go to the fund topic's dead-letter topic with the reason and change
nothing. (The rules alone: test_domain_investment.py.)"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer

from ipops import kafka
from ipops.contracts.operations import FUND_TOPIC, InvestmentExitedV1, InvestmentMadeV1
from ipops.events.dlq import dlq_topic
from ipops.events.envelope import CloudEvent
from ipops.events.outbox import build_event
from pledge.config import PledgeSettings
from pledge.main import create_app
from tests import testing
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, enterprise, register_bank, submit


def made(investment_id: str, credit_code: str, loan_id: str | None, amount: str = "500000.00") -> CloudEvent:
    payload = InvestmentMadeV1(
        investment_id=investment_id,
        fund_id="fund-1",
        credit_code=credit_code,
        amount=amount,
        invested_on=date(2025, 3, 1),
        pledge_loan_id=loan_id,
        made_at=datetime.now(UTC),
    )
    return build_event(payload, source="/ipops/operations", key=investment_id)


def exited(investment_id: str, credit_code: str, loan_id: str | None, amount: str) -> CloudEvent:
    payload = InvestmentExitedV1(
        investment_id=investment_id,
        fund_id="fund-1",
        credit_code=credit_code,
        exited_on=date(2025, 9, 1),
        exit_amount=amount,
        pledge_loan_id=loan_id,
        exited_at=datetime.now(UTC),
    )
    return build_event(payload, source="/ipops/operations", key=investment_id)


async def produce(settings: PledgeSettings, *events: CloudEvent) -> None:
    """Send `events` in order onto the fund topic, the way operations' relay does."""
    producer = kafka.make_producer(settings)
    await producer.start()
    try:
        for event in events:
            key, value, headers = event.to_record()
            await producer.send_and_wait(settings.topic(FUND_TOPIC.name), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def dead_letters(settings: PledgeSettings, keys: set[str]) -> dict[str, dict[str, str]]:
    """The headers of the dead-lettered records of the fund topic, by key, once every key arrived."""
    consumer = AIOKafkaConsumer(
        dlq_topic(settings.topic(FUND_TOPIC.name)),
        bootstrap_servers=settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    seen: dict[str, dict[str, str]] = {}
    try:
        async with asyncio.timeout(30):
            while not keys <= set(seen):
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    for r in records:
                        seen[(r.key or b"").decode()] = {k: v.decode() for k, v in r.headers or ()}
    finally:
        await consumer.stop()
    return seen


async def test_linked_investments_show_on_the_loan_and_refusals_are_dead_lettered(
    pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str, serve_app: Callable[..., Any]
) -> None:
    settings = pledge_settings(pg_url, tokens, kafka_bootstrap, run_background_tasks=True)
    async with serve_app(create_app(settings)) as client:
        operator = Api(client, tokens, "operator")
        bank = Api(client, tokens, "bank", await register_bank(operator))
        owner, stranger = await enterprise(bank), await enterprise(bank)
        loan = await submit(bank, owner=owner)
        unlinked = await submit(bank, owner=owner)

        async def ready() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await testing.eventually(ready, message="pledge ready (topics, relay, consumers)")
        first = made("inv-1", owner, loan["id"])
        await produce(
            settings,
            first,
            first,  # the relay may publish twice: applied once
            made("inv-2", owner.lower(), loan["id"], "120000.50"),  # the code in another accepted form
            made("inv-free", owner, None),  # names no loan: not pledge's
            made("inv-unknown", owner, "no-such-loan"),
            made("inv-elsewhere", stranger, loan["id"]),
            exited("inv-never", owner, loan["id"], "1.00"),
            exited("inv-1", owner, loan["id"], "650000.00"),
        )

        async def exit_shown() -> list[dict[str, Any]] | None:
            shown = (await bank.get(f"/loans/{loan['id']}")).json()["investments"]
            return shown if len(shown) == 2 and any(i["exited_on"] for i in shown) else None

        shown = await testing.eventually(exit_shown, message="the linked investments and the exit on the loan")
        letters = await dead_letters(settings, {"inv-unknown", "inv-elsewhere", "inv-never"})
        # what was refused changed nothing, and a loan no investment names shows none
        assert (await operator.get(f"/loans/{unlinked['id']}")).json()["investments"] == []
        assert len((await operator.get(f"/loans/{loan['id']}")).json()["investments"]) == 2

    assert shown == [
        {
            "investment_id": "inv-1",
            "fund_id": "fund-1",
            "amount": "500000.00",
            "invested_on": "2025-03-01",
            "exited_on": "2025-09-01",
            "exit_amount": "650000.00",
        },
        {
            "investment_id": "inv-2",
            "fund_id": "fund-1",
            "amount": "120000.50",
            "invested_on": "2025-03-01",
            "exited_on": None,
            "exit_amount": None,
        },
    ]
    assert {k: v["x-error-type"] for k, v in letters.items()} == dict.fromkeys(
        ("inv-unknown", "inv-elsewhere", "inv-never"), "LinkRefused"
    )
    assert letters["inv-unknown"]["x-error-reason"] == "pledge holds no loan no-such-loan"
    assert letters["inv-elsewhere"]["x-error-reason"] == (
        f"loan {loan['id']} is enterprise {owner}'s, the investment is in {stranger}"
    )
    assert letters["inv-never"]["x-error-reason"] == "investment inv-never was never linked to a pledge loan"


async def test_a_bank_sees_the_investments_of_its_own_loans_only(
    pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str, serve_app: Callable[..., Any]
) -> None:
    settings = pledge_settings(pg_url, tokens, kafka_bootstrap, run_background_tasks=True)
    async with serve_app(create_app(settings)) as client:
        operator = Api(client, tokens, "operator")
        bank = Api(client, tokens, "bank", await register_bank(operator))
        other_bank = Api(client, tokens, "bank", await register_bank(operator))
        owner = await enterprise(bank)
        loan = await submit(bank, owner=owner)
        neighbour = await submit(other_bank, owner=owner)  # the same enterprise borrows from another bank

        async def ready() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await testing.eventually(ready, message="pledge ready (topics, relay, consumers)")
        await produce(settings, made("inv-a", owner, loan["id"]), made("inv-b", owner, neighbour["id"]))

        async def linked(api: Api, loan_id: str) -> list[str] | None:
            ids = [i["investment_id"] for i in (await api.get(f"/loans/{loan_id}")).json()["investments"]]
            return ids or None

        assert await testing.eventually(lambda: linked(bank, loan["id"]), message="inv-a on the loan") == ["inv-a"]
        assert await testing.eventually(lambda: linked(other_bank, neighbour["id"])) == ["inv-b"]
        assert await linked(operator, loan["id"]) == ["inv-a"]
        # another bank's loan, and so its investments, is not found
        assert (await other_bank.get(f"/loans/{loan['id']}")).status_code == 404
        assert (await bank.get(f"/loans/{neighbour['id']}")).status_code == 404
