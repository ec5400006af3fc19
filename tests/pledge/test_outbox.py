"""Every listed state change writes its event to the outbox in the same transaction (read back
from the outbox table on PostgreSQL), and the payloads carry money as yuan strings."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from ipops import db
from ipops.events import OutboxMessage
from tests.pledge.helpers import Api, drive, pool_with_agreement, submit


@pytest.fixture
async def outbox(module_pg_url: str) -> AsyncIterator[Any]:
    engine = db.create_engine(module_pg_url)
    sm = db.make_sessionmaker(engine)

    async def events(key: str) -> list[tuple[str, dict[str, Any]]]:
        async with sm() as session:
            rows = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key == key).order_by(OutboxMessage.id)  # type: ignore[arg-type]
            )
            return [(r.event_type, json.loads(r.payload)) for r in rows]

    yield events
    await engine.dispose()


async def test_loan_claim_and_recovery_events(operator: Api, bank: Api, outbox: Any) -> None:
    pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="10000.00")
    loan = await submit(bank, amount="1000.00", kinds=("patent", "trademark"))
    await drive(bank, loan["id"], "approved")
    await bank.move(loan["id"], "undo_approve")
    await drive(bank, loan["id"], "disbursed")
    await bank.move(loan["id"], "undo_disburse")
    await bank.move(loan["id"], "disburse")
    await bank.move(loan["id"], "mark_overdue", overdue_since="2026-10-01")
    await bank.move(loan["id"], "default")
    claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
    await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "100.00"})
    await bank.move(loan["id"], "write_off")
    events = await outbox(loan["id"])
    assert [t.removeprefix("ipops.pledge.") for t, _ in events] == [
        "loan.submitted.v1",
        "loan.approved.v1",
        "loan.approval_undone.v1",
        "loan.approved.v1",
        "loan.disbursed.v1",
        "loan.disbursement_undone.v1",
        "loan.disbursed.v1",
        "loan.defaulted.v1",
        "claim.paid.v1",
        "loan.recovery_recorded.v1",
        "loan.closed.v1",
    ]
    payloads = dict(events)
    assert payloads["ipops.pledge.loan.approved.v1"]["mixed_pledge"] is True
    assert payloads["ipops.pledge.loan.approved.v1"]["amount"] == "1000.00"
    assert payloads["ipops.pledge.loan.approved.v1"]["covered"] is True
    assert payloads["ipops.pledge.claim.paid.v1"]["claim_id"] == claim["id"]
    assert payloads["ipops.pledge.claim.paid.v1"]["shares"]["pool"] == "540.00"
    assert payloads["ipops.pledge.loan.closed.v1"]["outcome"] == "written_off"
    funded = await outbox(pool_id)
    assert [(t, p["source"], p["balance"]) for t, p in funded] == [
        ("ipops.pledge.pool.funded.v1", "district", "10000.00")
    ]


async def test_refused_claim_and_suspension_events(operator: Api, bank: Api, outbox: Any) -> None:
    terms = {"shares": {"pool": "50", "bank": "50"}, "npl_suspension_threshold": "3"}
    await pool_with_agreement(operator, bank.tenant or "", funds="1.00", terms=terms)
    loan = await submit(bank, amount="1000.00")
    await drive(bank, loan["id"], "defaulted")
    await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
    types = [t for t, _ in await outbox(loan["id"])]
    assert types[-1] == "ipops.pledge.claim.refused.v1"
    suspended = await outbox(bank.tenant or "")
    assert [t for t, _ in suspended] == ["ipops.pledge.bank.registered.v1", "ipops.pledge.bank.suspended.v1"]


async def test_a_failed_move_writes_no_event(bank: Api, outbox: Any) -> None:
    loan = await submit(bank)
    response = await bank.move(loan["id"], "disburse")
    assert response.status_code == 409
    assert [t for t, _ in await outbox(loan["id"])] == ["ipops.pledge.loan.submitted.v1"]
