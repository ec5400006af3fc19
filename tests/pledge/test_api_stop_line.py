"""The NPL stop line through the API on PostgreSQL: the regulator's balance ratio by default, the
yearly flow when the terms choose it, which claims a stop refuses, that the claim on the loan
whose default tripped the line is paid, and how a bank comes back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ipops.clock import district_year, utc_now
from tests.pledge.helpers import Api, defaulted_loan, drive, pool_with_agreement, submit

LINE = {"shares": {"pool": "50", "bank": "50"}, "npl_suspension_threshold": "3"}


async def bank_state(operator: Api, bank_id: str) -> dict[str, Any]:
    banks = (await operator.get("/banks", limit=500)).json()["items"]
    return next(b for b in banks if b["id"] == bank_id)  # type: ignore[no-any-return]


async def claim(bank: Api, loan: dict[str, Any]) -> str:
    """File a claim for the loan's whole principal; its status."""
    return (await bank.ok(f"/loans/{loan['id']}/claims", {"loss": loan["amount"]}))["status"]  # type: ignore[no-any-return]


async def disburse_on(bank: Api, loan: dict[str, Any], day: date) -> None:
    """Pay the loan out, reported with the date it was paid out (the flow basis counts by it)."""
    await drive(bank, loan["id"], "registered")
    response = await bank.move(loan["id"], "disburse", disbursed_date=str(day))
    assert response.status_code == 200, response.text


async def default(bank: Api, loan: dict[str, Any]) -> None:
    for move, fields in [("mark_overdue", {"overdue_since": "2026-10-01"}), ("default", {})]:
        response = await bank.move(loan["id"], move, **fields)
        assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("refuses", "expected"),
    [
        # X tripped the line; Y defaulted before the stop; W was paid out before it and defaulted
        # after; Z was approved before the stop and paid out after it.
        (None, {"X": "paid", "Y": "refused", "W": "refused", "Z": "refused"}),  # default: all claims
        ("all_claims", {"X": "paid", "Y": "refused", "W": "refused", "Z": "refused"}),
        ("defaulted_after_stop", {"X": "paid", "Y": "paid", "W": "refused", "Z": "refused"}),
        ("disbursed_after_stop", {"X": "paid", "Y": "paid", "W": "paid", "Z": "refused"}),
    ],
)
async def test_which_claims_a_stop_refuses(
    operator: Api, bank: Api, refuses: str | None, expected: dict[str, str]
) -> None:
    terms = {**LINE, **({"npl_stop_refuses": refuses} if refuses else {})}
    await pool_with_agreement(operator, bank.tenant or "", terms=terms)
    healthy = await submit(bank, amount="9400.00")
    loans = {
        name: await submit(bank, amount=amount)
        for name, amount in [("W", "200.00"), ("Y", "100.00"), ("X", "300.00"), ("Z", "100.00")]
    }
    for name in ("W", "Y", "X"):
        await drive(bank, loans[name]["id"], "disbursed")
    await drive(bank, healthy["id"], "disbursed")
    await drive(bank, loans["Z"]["id"], "registered")
    await default(bank, loans["Y"])  # 100 of 10,000 outstanding: 1 %
    assert (await bank_state(operator, bank.tenant or ""))["suspended_at"] is None
    await default(bank, loans["X"])  # 400 of 10,000: 4 % > 3 %, X trips the line
    assert (await bank_state(operator, bank.tenant or ""))["suspended_at"] is not None
    await default(bank, loans["W"])
    assert (await bank.move(loans["Z"]["id"], "disburse")).status_code == 200
    await default(bank, loans["Z"])
    got = {name: await claim(bank, loan) for name, loan in loans.items()}
    assert got == expected


async def test_a_bank_that_disbursed_nothing_this_year_is_stopped_on_its_balance(operator: Api, bank: Api) -> None:
    """Under the old yearly flow a bank that paid nothing out this year was never stopped."""
    await pool_with_agreement(operator, bank.tenant or "", terms=LINE)
    last_year = date(district_year(utc_now()) - 1, 6, 1)
    loans = [await submit(bank, amount=a) for a in ("9600.00", "200.00", "400.00")]
    for loan in loans:
        await disburse_on(bank, loan, last_year)
    _, early, late = loans
    await default(bank, early)  # 200 of 10,200: under the line
    await default(bank, late)  # 600 of 10,200: 5.9 %
    state = await bank_state(operator, bank.tenant or "")
    assert state["suspended_at"] is not None and "outstanding" in state["suspension_reason"]
    assert await claim(bank, early) == "refused"
    assert await claim(bank, late) == "paid"  # its default tripped the line


async def test_one_old_default_beside_a_small_new_loan_does_not_stop_a_bank(operator: Api, bank: Api) -> None:
    """Under the old yearly flow 1,000 defaulted this year against 10,000 paid out this January
    was 10 %; against the 111,000 outstanding it is 0.9 %."""
    await pool_with_agreement(operator, bank.tenant or "", terms=LINE)
    last_year = date(district_year(utc_now()) - 1, 6, 1)
    book, old = await submit(bank, amount="100000.00", value="200000.00"), await submit(bank, amount="1000.00")
    for loan in (book, old):
        await disburse_on(bank, loan, last_year)
    january = await submit(bank, amount="10000.00")
    await drive(bank, january["id"], "disbursed")
    await default(bank, old)
    assert (await bank_state(operator, bank.tenant or ""))["suspended_at"] is None
    assert await claim(bank, old) == "paid"


async def test_the_flow_basis_counts_this_district_years_defaults_and_disbursements(operator: Api, bank: Api) -> None:
    """npl_basis = flow: the 10 % of the example above stops the bank."""
    await pool_with_agreement(operator, bank.tenant or "", terms={**LINE, "npl_basis": "flow"})
    last_year = date(district_year(utc_now()) - 1, 6, 1)
    book, old = await submit(bank, amount="100000.00", value="200000.00"), await submit(bank, amount="1000.00")
    for loan in (book, old):
        await disburse_on(bank, loan, last_year)
    january = await submit(bank, amount="10000.00")
    await drive(bank, january["id"], "disbursed")
    await default(bank, old)
    state = await bank_state(operator, bank.tenant or "")
    assert state["suspended_at"] is not None and "disbursed in" in state["suspension_reason"]


@pytest.mark.parametrize(("empty_base", "stopped"), [(None, False), ("not_stopped", False), ("stopped", True)])
async def test_a_flow_year_without_disbursements(
    operator: Api, bank: Api, empty_base: str | None, stopped: bool
) -> None:
    terms = {**LINE, "npl_basis": "flow", **({"npl_empty_base": empty_base} if empty_base else {})}
    await pool_with_agreement(operator, bank.tenant or "", terms=terms)
    loan = await submit(bank, amount="1000.00")
    await disburse_on(bank, loan, date(district_year(utc_now()) - 1, 12, 31))  # paid out last year
    await default(bank, loan)
    assert ((await bank_state(operator, bank.tenant or ""))["suspended_at"] is not None) is stopped


@pytest.mark.parametrize(
    ("comeback", "after_recovery"), [(None, "refused"), ("operator", "refused"), ("automatic", "paid")]
)
async def test_how_a_bank_comes_back(operator: Api, bank: Api, comeback: str | None, after_recovery: str) -> None:
    terms = {**LINE, **({"npl_comeback": comeback} if comeback else {})}
    await pool_with_agreement(operator, bank.tenant or "", terms=terms)
    healthy = await submit(bank, amount="9600.00")
    await drive(bank, healthy["id"], "disbursed")
    y, x = await defaulted_loan(bank, amount="100.00"), await defaulted_loan(bank, amount="300.00")  # 4 %
    assert (await bank_state(operator, bank.tenant or ""))["suspended_at"] is not None
    assert await claim(bank, y) == "refused"
    await bank.ok(f"/loans/{x['id']}/recoveries", {"amount": "300.00"})  # 100 of 9,700: back under
    assert await claim(bank, y) == after_recovery
    if after_recovery == "refused":
        await operator.ok(f"/banks/{bank.tenant}/reinstatement", {}, status=200)
        assert await claim(bank, y) == "paid"
    assert (await bank_state(operator, bank.tenant or ""))["suspended_at"] is None
