"""Random loan and policy histories (seeded, so a failure replays): approvals, withdrawals,
disbursements dated in 2018-2022, undone disbursements, restatements, repayments, defaults,
policies and cancellations, through the API on a database of their own. Afterwards, for every
indicator and year, `/statistics/indicators` equals the figure computed here from what was done,
`/statistics` says the same, and a recount finds nothing to change (the ledger written move by
move is what the rules give from the records' state)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from pledge.main import create_app
from tests import testing
from tests.conftest import serve
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, drive, enterprise, register_bank, submit

YEARS = range(2018, 2023)


@pytest.fixture
async def fresh(pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(pledge_settings(pg_url, tokens, kafka_bootstrap))) as client:
        yield client


class Expected:
    """The figures the rules should give, kept as the history is played."""

    def __init__(self) -> None:
        self.loans: dict[str, tuple[int, date, bool]] = {}  # id -> (fen, disbursed on, mixed), paid out only
        self.policies: dict[str, tuple[int, date]] = {}  # id -> (fen, start), not cancelled

    def series(self) -> dict[str, dict[int, Decimal]]:
        amount: dict[int, int] = defaultdict(int)
        count: dict[int, int] = defaultdict(int)
        insured: dict[int, int] = defaultdict(int)
        for fen, day, _ in self.loans.values():
            amount[day.year] += fen
            count[day.year] += 1
        for fen, day in self.policies.values():
            insured[day.year] += fen
        mixed = {y: sum(1 for _, day, m in self.loans.values() if m and day.year <= y) for y in YEARS}
        cent = Decimal("0.01")
        return {
            "pledge_amount": {y: (Decimal(amount[y]) / 100).quantize(cent) for y in YEARS},
            "pledge_count": {y: Decimal(count[y]) for y in YEARS},
            "mixed_pledges": {y: Decimal(mixed[y]) for y in YEARS},
            "insurance_amount": {y: (Decimal(insured[y]) / 100).quantize(cent) for y in YEARS},
        }


def _day(rng: random.Random) -> date:
    return date(2018, 1, 1) + timedelta(days=rng.randrange(5 * 365))


async def _play_loan(rng: random.Random, bank: Api, expected: Expected) -> None:
    kinds = rng.choice([("patent",), ("trademark",), ("patent", "trademark")])
    fen = rng.randrange(1, 50_000) * 100 + rng.randrange(100)
    loan = await submit(bank, amount=str(Decimal(fen) / 100), kinds=kinds, value="10000000.00")
    fate = rng.choice(["withdrawn", "rejected", "approved", "paid", "undone", "restated", "defaulted"])
    if fate in ("withdrawn", "rejected", "approved"):
        await drive(bank, loan["id"], fate)
        return
    await drive(bank, loan["id"], "registered")
    day = _day(rng)
    assert (await bank.move(loan["id"], "disburse", disbursed_date=str(day))).status_code == 200
    expected.loans[loan["id"]] = (fen, day, len(kinds) == 2)
    if fate == "undone":
        assert (await bank.move(loan["id"], "undo_disburse")).status_code == 200
        del expected.loans[loan["id"]]
        if rng.random() < 0.5:
            assert (await bank.move(loan["id"], "withdraw")).status_code == 200
    elif fate == "restated":
        fen, day = fen + rng.randrange(-fen + 1, 10_000), _day(rng)
        body = {"amount": str(Decimal(fen) / 100), "disbursed_date": str(day), "reason": "corrected"}
        await bank.ok(f"/loans/{loan['id']}/disbursement-restatements", body, status=200)
        expected.loans[loan["id"]] = (fen, day, len(kinds) == 2)
    elif fate == "defaulted":
        for move, fields in [("mark_overdue", {"overdue_since": "2023-01-01", "as_of": "2023-02-01"}), ("default", {})]:
            assert (await bank.move(loan["id"], move, **fields)).status_code == 200


async def _play_policy(rng: random.Random, operator: Api, owner: str, expected: Expected) -> None:
    fen, start = rng.randrange(1, 10_000_000), _day(rng)
    body = {
        "policy_number": f"P-{rng.randrange(10**9)}", "insurer": "PICC", "product_type": "pledge_guarantee",
        "enterprise_credit_code": owner, "sum_insured": str(Decimal(fen) / 100), "premium": "1.00",
        "start_date": str(start), "end_date": str(start + timedelta(days=364)),
    }  # fmt: skip
    policy = await operator.ok("/insurance-policies", body)
    if rng.random() < 0.3:
        await operator.ok(f"/insurance-policies/{policy['id']}/cancellation", {"reason": "void"}, status=200)
    else:
        expected.policies[policy["id"]] = (fen, start)


@pytest.mark.parametrize("seed", [12, 2019, 2022])
async def test_random_histories_add_up_the_same_everywhere(
    seed: int, fresh: httpx.AsyncClient, tokens: testing.TokenFactory
) -> None:
    rng = random.Random(seed)
    operator = Api(fresh, tokens, "operator")
    bank = Api(fresh, tokens, "bank", await register_bank(operator))
    owner, expected = await enterprise(operator), Expected()
    for _ in range(12):
        await _play_loan(rng, bank, expected)
    for _ in range(5):
        await _play_policy(rng, operator, owner, expected)

    indicators = (await bank.get("/statistics/indicators")).json()["indicators"]
    served = {i["indicator"]: {y["year"]: Decimal(y["value"]) for y in i["series"]} for i in indicators}
    for indicator, values in expected.series().items():
        assert {y: served[indicator][y] for y in YEARS} == values, (seed, indicator)
    years = {y["year"]: y for y in (await operator.get("/statistics")).json()["years"]}
    for year in YEARS:
        shown = years.get(year, {})
        assert Decimal(shown.get("pledge_amount", "0")) == served["pledge_amount"][year]
        assert shown.get("pledge_count", 0) == served["pledge_count"][year]
        assert Decimal(shown.get("insured_amount", "0")) == served["insurance_amount"][year]
    assert (await operator.ok("/statistics/indicators/recount", None, status=200))["changed"] == 0
