"""End-to-end scenarios through the gateway on the running platform (real Kafka, PostgreSQL):
a bank's mixed-pledge loan from submission through default, compensation and recovery with the
pool ledger checked to the fen; an enrolled enterprise whose agency logs work and whose pledged
patent is named in an enforcement case, which flags the loan and reaches the agency's queue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stdnum.cn import uscc

from ipops.identifiers import make_patent_number
from tests.e2e.conftest import Caller
from tests.testing import eventually

P = "/api/v1/pledge"
T = "/api/v1/trusteeship"
E = "/api/v1/enforcement"


def credit_code(serial: int) -> str:
    body = f"91120110{serial:09d}"
    return body + uscc.calc_check_digit(body)


async def appraised_right(bank: Caller, owner: str, kind: str, number: str, value: str) -> str:
    body: dict[str, Any] = {"kind": kind, "number": number, "title": f"{kind} of {owner}", "owner_credit_code": owner}
    if kind == "trademark":
        body["trademark_class"] = 9
    right = await bank.ok(f"{P}/rights", body)
    await bank.ok(
        f"{P}/rights/{right['id']}/appraisals",
        {"value": value, "valuer": "Tianjin IP Valuers", "appraised_date": "2026-10-01"},
    )
    return str(right["id"])


async def disbursed_mixed_loan(bank: Caller, owner: str, patent: str, trademark: str, amount: str) -> dict[str, Any]:
    await bank.ok(f"{P}/enterprises", {"credit_code": owner, "name": f"Dongli Enterprise {owner[-6:]}"})
    rights = [
        await appraised_right(bank, owner, "patent", patent, "800000.00"),
        await appraised_right(bank, owner, "trademark", trademark, "700000.00"),
    ]
    loan = await bank.ok(
        f"{P}/loans",
        {
            "enterprise_credit_code": owner,
            "amount": amount,
            "term_months": 12,
            "right_ids": rights,
            "other_collateral_value": "0",
        },
    )
    assert loan["mixed_pledge"] is True, "mixed is derived from patent + trademark collateral"
    for move, fields in [
        ("approve", {}),
        ("register", {"registration_number": "Y2026980001234", "registered_date": "2026-11-02"}),
        ("disburse", {}),
    ]:
        await bank.ok(f"{P}/loans/{loan['id']}/transitions", {"move": move, **fields}, status=200)
    return loan  # type: ignore[no-any-return]


async def pool_for(operator: Caller, bank_id: str, funds: str) -> str:
    await operator.ok(f"{P}/banks", {"id": bank_id, "name": f"Bank {bank_id}"})
    pool_id = f"pool-{bank_id}"
    await operator.ok(f"{P}/pools", {"id": pool_id, "name": "Dongli IP pledge risk-compensation pool"})
    await operator.ok(f"{P}/pools/{pool_id}/contributions", {"source": "district", "amount": funds})
    await operator.ok(
        f"{P}/pool-agreements",
        {
            "pool_id": pool_id,
            "bank_id": bank_id,
            "terms": {"shares": {"pool": "54", "bank": "26", "insurer": "16", "valuer": "4"}},
        },
    )
    return pool_id


def journals_balance(entries: list[dict[str, Any]]) -> Decimal:
    """Every journal's debits equal its credits; returns the pool cash account's balance."""
    journals: dict[str, Decimal] = {}
    for e in entries:
        journals[e["journal_id"]] = (
            journals.get(e["journal_id"], Decimal(0)) + Decimal(e["debit"]) - Decimal(e["credit"])
        )
    assert all(v == 0 for v in journals.values()), journals
    return sum((Decimal(e["debit"]) - Decimal(e["credit"]) for e in entries if e["account"] == "pool_cash"), Decimal(0))


async def test_mixed_pledge_loan_through_default_compensation_and_recovery(operator: Caller, make_caller: Any) -> None:
    bank = await make_caller("bank", "bank-e2e-1")
    pool_id = await pool_for(operator, "bank-e2e-1", "10000000.00")
    owner = credit_code(700001)
    loan = await disbursed_mixed_loan(bank, owner, make_patent_number(2021, "1", 700001), "30700001", "1000000.01")
    for move, fields in [("mark_overdue", {"overdue_since": "2026-10-01", "as_of": "2026-11-01"}), ("default", {})]:
        await bank.ok(f"{P}/loans/{loan['id']}/transitions", {"move": move, **fields}, status=200)

    claim = await bank.ok(f"{P}/loans/{loan['id']}/claims", {"loss": "1000000.01"})
    assert claim["status"] == "paid", claim
    # 54 : 26 : 16 : 4 of 1,000,000.01 yuan: the parts sum exactly to the loss, to the fen.
    shares = {party: Decimal(amount) for party, amount in claim["shares"].items()}
    assert sum(shares.values()) == Decimal("1000000.01")
    assert Decimal(claim["pool_amount"]) == shares["pool"]
    assert shares["pool"] in (Decimal("540000.00"), Decimal("540000.01"))
    pool_paid = shares["pool"]
    recovery = await bank.ok(f"{P}/loans/{loan['id']}/recoveries", {"amount": "10000.00"})
    assert recovery

    pool = await operator.json(f"{P}/pools/{pool_id}")
    ledger = (await operator.json(f"{P}/pools/{pool_id}/ledger", limit=500))["items"]
    cash = journals_balance(ledger)
    assert Decimal(pool["claims_paid"]) == pool_paid
    assert Decimal(pool["recoveries"]) == Decimal("5400.00")  # the pool's 54 % of the recovery flows back
    assert Decimal(pool["balance"]) == cash == Decimal("10000000.00") - pool_paid + Decimal("5400.00")
    history = await bank.json(f"{P}/loans/{loan['id']}/history")
    moves = [h["to_status"] for h in history["state_changes"]]
    assert moves.index("defaulted") < moves.index("compensated")
    assert all(h["actor"] for h in history["state_changes"])

    # another bank sees none of it
    stranger = await make_caller("bank", "bank-e2e-stranger")
    assert (await stranger.get(f"{P}/loans/{loan['id']}")).status_code == 404
    assert (await stranger.get(f"{P}/claims/{claim['id']}")).status_code == 404


async def test_enrolled_enterprise_logged_work_and_a_case_on_its_pledged_patent(
    operator: Caller, make_caller: Any
) -> None:
    agency = await make_caller("agency", "agency-e2e-1")
    bank = await make_caller("bank", "bank-e2e-2")
    await operator.ok(
        f"{T}/agencies",
        {
            "id": "agency-e2e-1",
            "name": "Dongli IP Services",
            "contract_number": "DL-2026-E2E",
            "contract_start_date": "2019-01-01",
            "contract_end_date": "2027-12-31",
            "quota": 100,
        },
    )
    code = credit_code(700002)
    await agency.ok(
        f"{T}/enrolments",
        {
            "enterprise": {
                "credit_code": code,
                "name": "Dongli Pumps Co.",
                "industry": "high-end equipment",
                "size": "small",
                "address": "Dongli district, Tianjin",
            },
            "start_date": "2025-01-02",
            "reason": "government purchase, lot 1",
        },
    )
    patent = make_patent_number(2022, "1", 700002)
    await agency.ok(
        f"{T}/work-logs",
        {
            "credit_code": code,
            "service_type": "training",
            "work_date": "2025-03-04",
            "hours": "2.5",
            "description": "IP basics for the R&D team",
            "patent_numbers": [patent],
        },
    )

    await pool_for(operator, "bank-e2e-2", "5000000.00")
    loan = await disbursed_mixed_loan(bank, code, patent, "30700002", "500000.00")

    async def loan_in_profile() -> Any:
        profile = await agency.json(f"{T}/enterprises/{code}")
        return profile if profile["loans"] else None

    profile = await eventually(loan_in_profile, timeout=30, message="loan approval did not reach trusteeship")
    assert profile["loans"][0]["mixed_pledge"] is True and profile["loans"][0]["amount"] == "500000.00"

    case = await operator.ok(
        f"{E}/cases",
        {
            "case_type": "patent_infringement_adjudication",
            "channel": "ordinary",
            "title": "Infringement of a pump patent",
            "parties": [
                {"role": "requester", "kind": "enterprise", "name": "Dongli Pumps Co.", "credit_code": code},
                {
                    "role": "respondent",
                    "kind": "enterprise",
                    "name": "Copycat Ltd.",
                    "credit_code": "91110000600037341L",
                },
            ],
            "patent_numbers": [patent],
            "trademark_numbers": [],
        },
    )

    async def loan_flagged() -> Any:
        body = await bank.json(f"{P}/loans/{loan['id']}")
        return body if body["collateral_at_risk"] else None

    flagged = await eventually(loan_flagged, timeout=30, message="the case did not flag the loan")
    assert any(a["case_id"] == case["id"] for a in flagged["collateral_alerts"])

    async def in_queue() -> Any:
        items = (await agency.json(f"{T}/work-queue"))["items"]
        return [i for i in items if i["reference"] == case["id"]] or None

    [item] = await eventually(in_queue, timeout=30, message="the case did not reach the agency's queue")
    assert item["credit_code"] == code

    other_agency = await make_caller("agency", "agency-e2e-other")
    assert (await other_agency.get(f"{T}/enterprises/{code}")).status_code == 404
    assert (await other_agency.json(f"{T}/work-queue"))["total"] == 0
