"""Rights and enterprises are their registering bank's (#15, README "Who sees what"), on
PostgreSQL: another bank's is 404 and cannot be pledged, and right ids cannot be enumerated."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.pledge.helpers import Api, drive, enterprise, register_bank, right, submit


@pytest.fixture
async def bank_b(operator: Api, as_role: Callable[..., Api]) -> Api:
    return as_role("bank", await register_bank(operator))


async def test_another_banks_right_is_404(bank: Api, bank_b: Api) -> None:
    owner = await enterprise(bank)
    created = await right(bank, owner)
    assert (await bank.get(f"/rights/{created['id']}")).status_code == 200
    assert (await bank_b.get(f"/rights/{created['id']}")).status_code == 404
    appraisal = await bank_b.post(
        f"/rights/{created['id']}/appraisals", {"value": "1.00", "valuer": "V", "appraised_date": "2026-10-01"}
    )
    assert appraisal.status_code == 404


async def test_another_banks_right_cannot_be_pledged(bank: Api, bank_b: Api) -> None:
    owner = await enterprise(bank)
    created = await right(bank, owner)
    response = await bank_b.post(
        "/loans",
        {"enterprise_credit_code": owner, "amount": "1.00", "term_months": 12, "right_ids": [created["id"]]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.right_ids.0"


async def test_another_banks_enterprise_is_404(bank: Api, bank_b: Api) -> None:
    owner = await enterprise(bank)
    assert (await bank.get(f"/enterprises/{owner}")).status_code == 200
    assert (await bank_b.get(f"/enterprises/{owner}")).status_code == 404


async def test_right_ids_are_not_sequential(bank: Api) -> None:
    owner = await enterprise(bank)
    first, second = (await right(bank, owner))["id"], (await right(bank, owner))["id"]
    assert isinstance(first, str) and isinstance(second, str)
    assert not first.isdigit() and not second.isdigit()
    assert first != second and len(first) >= 22


async def test_appraisal_and_repayment_ids_are_not_sequential(bank: Api) -> None:
    owner = await enterprise(bank)
    created = await right(bank, owner)
    appraisals = [
        await bank.ok(
            f"/rights/{created['id']}/appraisals", {"value": v, "valuer": "V", "appraised_date": "2026-10-02"}
        )
        for v in ("2.00", "3.00")
    ]
    assert all(isinstance(a["id"], str) and len(a["id"]) == 36 for a in appraisals)
    # the later of two appraisals on one date is the one that counts
    assert (await bank.get(f"/rights/{created['id']}")).json()["appraisal"]["value"] == "3.00"
    loan = await submit(bank)
    await drive(bank, loan["id"], "disbursed")
    repayments = [
        await bank.ok(f"/loans/{loan['id']}/repayments", {"principal": "1.00", "paid_date": "2026-11-20"})
        for _ in range(2)
    ]
    assert all(isinstance(r["id"], str) and len(r["id"]) == 36 for r in repayments)
