"""The embedded mode: the same migrations and a whole loan life with a claim on SQLite."""

from __future__ import annotations

import asyncio

from pledge.main import create_app
from tests import testing
from tests.conftest import serve
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, drive, pool_with_agreement, register_bank, submit


async def test_lifecycle_and_claims_on_sqlite(
    sqlite_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str
) -> None:
    async with serve(create_app(pledge_settings(sqlite_url, tokens, kafka_bootstrap))) as client:
        operator = Api(client, tokens, "operator")
        bank = Api(client, tokens, "bank", await register_bank(operator))
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="600.00")
        loans = [await submit(bank, amount="1000.00", kinds=("patent", "trademark")) for _ in range(2)]
        for loan in loans:
            await drive(bank, loan["id"], "defaulted")
        responses = await asyncio.gather(
            *(bank.post(f"/loans/{loan['id']}/claims", {"loss": "1000.00"}) for loan in loans)
        )
        assert sorted(r.json()["status"] for r in responses) == ["paid", "refused"]
        assert (await operator.get(f"/pools/{pool_id}")).json()["balance"] == "60.00"
        pledged = (await bank.get(f"/loans/{loans[0]['id']}")).json()["collateral"][0]["right_id"]
        again = await bank.post(
            "/loans",
            {
                "enterprise_credit_code": loans[0]["enterprise_credit_code"],
                "amount": "1.00",
                "term_months": 1,
                "right_ids": [pledged],
            },
        )
        assert again.status_code == 409
        illegal = await bank.move(loans[0]["id"], "approve")
        assert illegal.status_code == 409 and illegal.json()["allowed_moves"]
