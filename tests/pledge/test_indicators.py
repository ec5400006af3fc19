"""Pledge's indicators on PostgreSQL, through the API: each counts when its rule says, changes with
a correction and is taken back out; the ledger rows, the announcing outbox events and
`/statistics/indicators` (and the indicator fields of `/statistics`) agree year by year. The
module has its own database; each test uses years no other test of it uses."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlmodel import col

from ipops import db
from ipops.clock import district_today
from ipops.events import OutboxMessage
from ipops.indicators.ledger import IndicatorContribution
from tests.pledge.helpers import Api, drive, enterprise, repay_in_full, submit

RECORDED = "ipops.indicator.contribution.recorded.v1"


@dataclass
class Ledger:
    """The module database's ledger and outbox, read back."""

    sm: db.SessionMaker

    async def rows(self, subject: str) -> dict[str, tuple[int, date, date | None, int]]:
        """indicator -> (quantity, start, end, revision) of one subject."""
        async with self.sm() as session:
            rows = await session.scalars(
                select(IndicatorContribution).where(col(IndicatorContribution.subject) == subject)
            )
            return {r.indicator: (r.quantity, r.start_on, r.end_on, r.revision) for r in rows}

    async def events(self, subject: str) -> list[tuple[str, int, int]]:
        """(indicator, quantity, revision) of the contribution events about one subject, in order."""
        async with self.sm() as session:
            rows = await session.scalars(
                select(OutboxMessage)
                .where(col(OutboxMessage.event_type) == RECORDED, col(OutboxMessage.key).endswith(f":{subject}"))
                .order_by(col(OutboxMessage.id))
            )
            payloads = [json.loads(r.payload) for r in rows]
        return [(p["indicator"], p["quantity"], p["revision"]) for p in payloads if p["subject"] == subject]

    async def forget(self) -> None:
        """Empty the ledger, as on a database upgraded to it with records already there."""
        async with db.transaction(self.sm) as session:
            await session.execute(delete(IndicatorContribution))


@pytest.fixture
async def ledger(module_pg_url: str) -> AsyncIterator[Ledger]:
    engine = db.create_engine(module_pg_url)
    yield Ledger(db.make_sessionmaker(engine))
    await engine.dispose()


async def series(api: Api, indicator: str) -> dict[int, str | None]:
    """One indicator's yearly values from `/statistics/indicators`."""
    response = await api.get("/statistics/indicators")
    assert response.status_code == 200, response.text
    entry = next(i for i in response.json()["indicators"] if i["indicator"] == indicator)
    assert entry["owner"] == "pledge" and entry["has_source"]
    return {y["year"]: y["value"] for y in entry["series"]}


async def year_figures(api: Api, year: int) -> dict[str, Any]:
    """One year of `/statistics` (empty when the year has no figures)."""
    years = (await api.get("/statistics")).json()["years"]
    return next((y for y in years if y["year"] == year), {})


async def test_a_loan_counts_when_paid_out_changes_when_restated_and_leaves_when_undone(
    bank: Api, operator: Api, ledger: Ledger
) -> None:
    loan = await submit(bank, amount="1000.00", kinds=("patent", "trademark"))
    await drive(bank, loan["id"], "registered")
    assert await ledger.rows(loan["id"]) == {}  # approved and registered: not paid out, not counted

    response = await bank.move(loan["id"], "disburse", disbursed_date="2019-03-01")
    assert response.status_code == 200, response.text
    assert response.json()["disbursed_date"] == "2019-03-01"
    start = date(2019, 3, 1)
    assert await ledger.rows(loan["id"]) == {
        "pledge_amount": (100_000, start, None, 1),
        "pledge_count": (1, start, None, 1),
        "mixed_pledges": (1, start, None, 1),
    }
    assert await ledger.events(loan["id"]) == [
        ("pledge_amount", 100_000, 1),
        ("pledge_count", 1, 1),
        ("mixed_pledges", 1, 1),
    ]
    amount, count, mixed = [await series(operator, i) for i in ("pledge_amount", "pledge_count", "mixed_pledges")]
    assert (amount[2018], amount[2019], amount[2020]) == ("0.00", "1000.00", "0.00")
    assert (count[2019], mixed[2018], mixed[2019], mixed[2020]) == ("1", "0", "1", "1")  # mixed: a running total
    figures = await year_figures(bank, 2019)
    assert (figures["pledge_amount"], figures["pledge_count"], figures["mixed_pledge_count"]) == ("1000.00", 1, 1)
    assert figures["banks"] == [
        {"bank_id": bank.tenant, "disbursed": "1000.00", "non_performing": "0.00", "npl_ratio": "0.00"}
    ]

    restated = await bank.ok(
        f"/loans/{loan['id']}/disbursement-restatements",
        {"amount": "800.00", "disbursed_date": "2020-12-31", "reason": "typo in the core banking export"},
        status=200,
    )
    assert (restated["amount"], restated["outstanding"], restated["disbursed_date"]) == (
        "800.00",
        "800.00",
        "2020-12-31",
    )
    moved = date(2020, 12, 31)
    assert await ledger.rows(loan["id"]) == {
        "pledge_amount": (80_000, moved, None, 2),
        "pledge_count": (1, moved, None, 2),
        "mixed_pledges": (1, moved, None, 2),
    }
    amount, mixed = await series(operator, "pledge_amount"), await series(operator, "mixed_pledges")
    assert (amount[2019], amount[2020], mixed[2019], mixed[2020]) == ("0.00", "800.00", "0", "1")
    assert (await year_figures(operator, 2020))["pledge_amount"] == "800.00"

    assert (await bank.move(loan["id"], "undo_disburse")).status_code == 200
    assert await ledger.rows(loan["id"]) == {
        "pledge_amount": (0, moved, None, 3),
        "pledge_count": (0, moved, None, 3),
        "mixed_pledges": (0, moved, None, 3),
    }
    amount, count, mixed = [await series(operator, i) for i in ("pledge_amount", "pledge_count", "mixed_pledges")]
    assert (amount[2020], count[2020], mixed[2020]) == ("0.00", "0", "0")
    assert (await year_figures(operator, 2020)).get("pledge_count", 0) == 0

    assert (await bank.move(loan["id"], "withdraw")).status_code == 200  # out already: nothing more to announce
    assert len(await ledger.events(loan["id"])) == 9


async def test_a_withdrawn_or_rejected_loan_never_counts_and_moves_after_payout_keep_it(
    bank: Api, operator: Api, ledger: Ledger
) -> None:
    withdrawn, rejected, repaid = [await submit(bank, amount="10.00") for _ in range(3)]
    await drive(bank, withdrawn["id"], "approved")
    assert (await bank.move(withdrawn["id"], "withdraw")).status_code == 200
    await drive(bank, rejected["id"], "rejected")
    assert await ledger.rows(withdrawn["id"]) == {} and await ledger.rows(rejected["id"]) == {}
    await drive(bank, repaid["id"], "registered")
    assert (await bank.move(repaid["id"], "disburse", disbursed_date="2017-06-30")).status_code == 200
    await repay_in_full(bank, repaid["id"], "10.00")  # closed repaid: still a pledge of 2017
    assert await ledger.rows(repaid["id"]) == {  # a patent alone: no mixed_pledges row at all
        "pledge_amount": (1_000, date(2017, 6, 30), None, 1),
        "pledge_count": (1, date(2017, 6, 30), None, 1),
    }
    assert (await year_figures(operator, 2017))["pledge_count"] == 1


async def test_the_disbursement_date_defaults_to_today_and_is_never_in_the_future_nor_before_2000(
    bank: Api, ledger: Ledger
) -> None:
    loan = await submit(bank, amount="10.00")
    await drive(bank, loan["id"], "registered")
    for day in (district_today() + timedelta(days=1), date(1999, 12, 31)):
        response = await bank.move(loan["id"], "disburse", disbursed_date=str(day))
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "body.disbursed_date"
    assert await ledger.rows(loan["id"]) == {}
    assert (await bank.move(loan["id"], "disburse")).json()["disbursed_date"] == str(district_today())
    assert (await ledger.rows(loan["id"]))["pledge_count"] == (1, district_today(), None, 1)


async def test_a_restatement_is_for_a_performing_loan_and_keeps_principal_above_repayments(
    bank: Api, ledger: Ledger, as_role: Callable[..., Api]
) -> None:
    loan = await submit(bank, amount="100.00")
    path = f"/loans/{loan['id']}/disbursement-restatements"
    await drive(bank, loan["id"], "registered")
    response = await bank.post(path, {"amount": "90.00", "reason": "x"})
    assert response.status_code == 409 and "disburse" in response.json()["allowed_moves"]
    assert (await bank.move(loan["id"], "disburse", disbursed_date="2016-01-04")).status_code == 200
    await bank.ok(f"/loans/{loan['id']}/repayments", {"principal": "40.00", "paid_date": "2016-06-01"})
    response = await bank.post(path, {"amount": "40.00", "reason": "x"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.amount"
    future = str(district_today() + timedelta(days=1))
    response = await bank.post(path, {"disbursed_date": future, "reason": "x"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.disbursed_date"
    restated = await bank.ok(path, {"amount": "140.00", "reason": "a second tranche was part of it"}, status=200)
    assert (restated["amount"], restated["outstanding"], restated["disbursed_date"]) == (
        "140.00",
        "100.00",
        "2016-01-04",
    )
    assert (await ledger.rows(loan["id"]))["pledge_amount"] == (14_000, date(2016, 1, 4), None, 2)
    history = (await bank.get(f"/loans/{loan['id']}/history")).json()
    assert any(m["move"] == "restate_disbursement" for m in history["state_changes"])
    assert (await as_role("bank", "bank-other").post(path, {"reason": "x"})).status_code == 404


async def test_an_insured_amount_counts_in_the_year_the_policy_takes_effect_until_cancelled(
    operator: Api, bank: Api, ledger: Ledger
) -> None:
    owner = await enterprise(operator)
    body = {
        "policy_number": "PICC-2021-7", "insurer": "PICC P&C", "product_type": "pledge_guarantee",
        "enterprise_credit_code": owner, "sum_insured": "300000.00", "premium": "6000.00",
        "start_date": "2021-06-01", "end_date": "2022-05-31",
    }  # fmt: skip
    policy = await operator.ok("/insurance-policies", body)
    assert len(policy["id"]) == 36 and not policy["cancelled"]
    assert await ledger.rows(policy["id"]) == {"insurance_amount": (30_000_000, date(2021, 6, 1), None, 1)}
    insured = await series(bank, "insurance_amount")
    assert (insured[2020], insured[2021], insured[2022]) == ("0.00", "300000.00", "0.00")
    assert (await year_figures(operator, 2021))["insured_amount"] == "300000.00"

    path = f"/insurance-policies/{policy['id']}/cancellation"
    assert (await bank.post(path, {"reason": "void"})).status_code == 403
    assert (await operator.post("/insurance-policies/no-such/cancellation", {"reason": "void"})).status_code == 404
    future = str(district_today() + timedelta(days=1))
    response = await operator.post(path, {"reason": "void", "cancelled_date": future})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.cancelled_date"
    cancelled = await operator.ok(path, {"reason": "void: never paid", "cancelled_date": "2021-07-01"}, status=200)
    assert (cancelled["cancelled"], cancelled["cancelled_date"]) == (True, "2021-07-01")
    assert (await operator.post(path, {"reason": "again"})).status_code == 409
    assert await ledger.rows(policy["id"]) == {"insurance_amount": (0, date(2021, 6, 1), None, 2)}
    assert await ledger.events(policy["id"]) == [("insurance_amount", 30_000_000, 1), ("insurance_amount", 0, 2)]
    assert (await series(operator, "insurance_amount"))[2021] == "0.00"
    assert (await year_figures(operator, 2021)).get("policy_count", 0) == 0


async def test_a_recount_backfills_an_empty_ledger_through_the_same_rules_and_then_changes_nothing(
    operator: Api, bank: Api, ledger: Ledger
) -> None:
    loan = await submit(bank, amount="55.00", kinds=("patent", "trademark"))
    await drive(bank, loan["id"], "registered")
    assert (await bank.move(loan["id"], "disburse", disbursed_date="2015-05-05")).status_code == 200
    before = await ledger.rows(loan["id"])
    await ledger.forget()  # the records exist, the ledger does not (yet)
    assert (await series(operator, "pledge_amount")).get(2015) is None  # before the base year: not shown
    assert (await year_figures(operator, 2015)).get("pledge_count", 0) == 0

    assert (await bank.post("/statistics/indicators/recount", {})).status_code == 403
    response = await operator.client.post(
        "/api/v1/pledge/statistics/indicators/recount", headers=operator.headers
    )  # no Idempotency-Key
    assert response.status_code == 400, response.text
    recount = await operator.ok("/statistics/indicators/recount", None, status=200)
    assert recount["loans"] >= 1 and recount["changed"] >= 3
    after = await ledger.rows(loan["id"])
    assert {k: v[:3] for k, v in after.items()} == {k: v[:3] for k, v in before.items()}
    assert (await year_figures(operator, 2015))["pledge_amount"] == "55.00"
    assert (await operator.ok("/statistics/indicators/recount", None, status=200))["changed"] == 0
