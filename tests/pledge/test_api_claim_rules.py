"""The claim rules of issue #14 through the API on PostgreSQL: a split books only the parties the
loan really has (the absent party's share goes where the terms say), the IP share is exact to the
fen, and the yearly compensation caps (per agreement, per pool) pay up to the cap or refuse."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ipops.clock import DISTRICT_TZ, district_year, utc_now
from pledge.models import Claim
from tests.pledge.helpers import ZHONGSHAN, Api, defaulted_loan, pool_with_agreement, register_bank, set_rows


class TestAbsentParties:
    @pytest.mark.parametrize(
        ("absent_share_to", "shares"),
        [
            (None, {"pool": "540000.00", "bank": "420000.00", "valuer": "40000.00"}),  # the default: the bank
            ("bank", {"pool": "540000.00", "bank": "420000.00", "valuer": "40000.00"}),
            ("pool", {"pool": "700000.00", "bank": "260000.00", "valuer": "40000.00"}),
            ("valuer", {"pool": "540000.00", "bank": "260000.00", "valuer": "200000.00"}),
            ("pro_rata", {"pool": "642857.14", "bank": "309523.82", "valuer": "47619.04"}),
        ],
    )
    async def test_a_loan_without_an_insurer_books_nothing_to_an_insurer(
        self, operator: Api, bank: Api, absent_share_to: str | None, shares: dict[str, str]
    ) -> None:
        terms: dict[str, Any] = dict(ZHONGSHAN)
        if absent_share_to is not None:
            terms["absent_share_to"] = absent_share_to
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="5000000.00", terms=terms)
        loan = await defaulted_loan(bank, amount="2000000.00", valuer="Tianjin Valuers")
        assert loan["insurer"] is None and loan["guarantor"] is None
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000000.00"})
        assert claim["status"] == "paid"
        assert claim["shares"] == shares
        assert sum(Decimal(v) for v in claim["shares"].values()) == Decimal("1000000.00")
        pool = (await operator.get(f"/pools/{pool_id}")).json()
        assert Decimal(pool["claims_paid"]) == Decimal(shares["pool"])
        recovery = await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "100000.00"})
        assert set(recovery["shares"]) <= {"pool", "bank", "valuer"}

    async def test_a_loan_with_every_party_keeps_the_published_split(self, operator: Api, bank: Api) -> None:
        await pool_with_agreement(operator, bank.tenant or "", funds="5000000.00")
        loan = await defaulted_loan(bank, amount="2000000.00", insurer="PICC P&C", valuer="Tianjin Valuers")
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000000.00"})
        assert claim["shares"] == {
            "pool": "540000.00",
            "bank": "260000.00",
            "insurer": "160000.00",
            "valuer": "40000.00",
        }

    async def test_the_named_party_must_be_a_party(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "")
        response = await operator.post(
            "/pool-agreements",
            {"pool_id": pool_id, "bank_id": bank.tenant, "terms": {**ZHONGSHAN, "absent_share_to": "everyone"}},
        )
        assert response.status_code == 422 and response.json()["errors"][0]["field"].startswith(
            "body.terms.absent_share_to"
        )


class TestIpShareExact:
    async def test_two_thirds_ip_covers_exactly_two_thirds(self, operator: Api, bank: Api) -> None:
        """IP 2,000,000.00 beside other collateral 1,000,000.00: a 3,000,000.00 loss covers
        2,000,000.00 exactly (not 6666 bp of it) and a 50 % pool pays 1,000,000.00."""
        terms = {"shares": {"pool": "50", "bank": "50"}}
        await pool_with_agreement(operator, bank.tenant or "", funds="5000000.00", terms=terms)
        loan = await defaulted_loan(bank, amount="3000000.00", value="2000000.00", other_collateral="1000000.00")
        assert loan["ip_share"] == "66.67"
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "3000000.00"})
        assert claim["pool_amount"] == "1000000.00"
        assert claim["shares"] == {"pool": "1000000.00", "bank": "2000000.00"}

    async def test_covered_outstanding_is_exact(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}}
        pool_id = await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        loan = await defaulted_loan(bank, amount="3000000.00", value="2000000.00", other_collateral="1000000.00")
        assert loan["covered"] is True
        assert (await operator.get(f"/pools/{pool_id}")).json()["covered_outstanding"] == "2000000.00"


class TestYearlyCaps:
    async def test_agreement_cap_pays_up_to_the_cap_then_nothing(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "yearly_agreement_cap": "1000.00"}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        first, second, third = [await defaulted_loan(bank, amount="1200.00") for _ in range(3)]
        a = await bank.ok(f"/loans/{first['id']}/claims", {"loss": "1200.00"})
        b = await bank.ok(f"/loans/{second['id']}/claims", {"loss": "1200.00"})
        c = await bank.ok(f"/loans/{third['id']}/claims", {"loss": "1200.00"})
        assert (a["status"], a["pool_amount"], a["capped_by"]) == ("paid", "600.00", None)
        assert (b["status"], b["pool_amount"], b["capped_by"]) == ("paid", "400.00", "yearly_agreement_cap")
        assert b["shares"] == {"pool": "400.00", "bank": "800.00"}
        assert c["status"] == "refused" and "cap" in c["reason"]

    async def test_agreement_cap_refuses_a_claim_past_it_when_the_terms_say_so(self, operator: Api, bank: Api) -> None:
        terms = {
            "shares": {"pool": "50", "bank": "50"},
            "yearly_agreement_cap": "1000.00",
            "yearly_cap_excess": "refuse",
        }
        pool_id = await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        first, second, third = [await defaulted_loan(bank, amount="1200.00") for _ in range(3)]
        assert (await bank.ok(f"/loans/{first['id']}/claims", {"loss": "1200.00"}))["pool_amount"] == "600.00"
        refused = await bank.ok(f"/loans/{second['id']}/claims", {"loss": "1200.00"})
        assert refused["status"] == "refused" and "yearly" in refused["reason"]
        fits = await bank.ok(f"/loans/{third['id']}/claims", {"loss": "800.00"})  # exactly up to the cap
        assert (fits["status"], fits["pool_amount"]) == ("paid", "400.00")
        assert (await operator.get(f"/pools/{pool_id}")).json()["claims_paid"] == "1000.00"

    async def test_pool_cap_counts_every_banks_claims(
        self, operator: Api, bank: Api, as_role: Callable[..., Api]
    ) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "yearly_pool_cap": "1000.00"}
        pool_id = await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        other = as_role("bank", await register_bank(operator))
        await operator.ok("/pool-agreements", {"pool_id": pool_id, "bank_id": other.tenant, "terms": terms})
        mine = await defaulted_loan(bank, amount="1200.00")
        theirs = await defaulted_loan(other, amount="1200.00")
        assert (await bank.ok(f"/loans/{mine['id']}/claims", {"loss": "1200.00"}))["pool_amount"] == "600.00"
        capped = await other.ok(f"/loans/{theirs['id']}/claims", {"loss": "1200.00"})
        assert (capped["pool_amount"], capped["capped_by"]) == ("400.00", "yearly_pool_cap")

    async def test_last_years_claims_do_not_count(self, operator: Api, bank: Api, module_pg_url: str) -> None:
        """The cap is per district year: a claim paid at 23:59 on 31 December in the district
        (15:59 UTC) counts in the old year."""
        terms = {"shares": {"pool": "50", "bank": "50"}, "yearly_agreement_cap": "1000.00"}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        first, second = [await defaulted_loan(bank, amount="2000.00") for _ in range(2)]
        old = await bank.ok(f"/loans/{first['id']}/claims", {"loss": "2000.00"})
        assert old["pool_amount"] == "1000.00"
        year = district_year(utc_now())
        last_moment = datetime(year, 1, 1, tzinfo=DISTRICT_TZ) - timedelta(minutes=1)
        await set_rows(module_pg_url, Claim, old["id"], filed_at=last_moment)
        new = await bank.ok(f"/loans/{second['id']}/claims", {"loss": "2000.00"})
        assert (new["pool_amount"], new["capped_by"]) == ("1000.00", None)

    async def test_two_claims_at_once_do_not_pass_the_cap_together(self, operator: Api, bank: Api) -> None:
        """Each claim's pool share is 600.00 of a 1,000.00 yearly cap; at the same instant one is
        paid in full and the other up to the cap, because each locks the pool before reading the
        year's payments."""
        terms = {"shares": {"pool": "50", "bank": "50"}, "yearly_pool_cap": "1000.00"}
        pool_id = await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        loans = [await defaulted_loan(bank, amount="1200.00") for _ in range(2)]
        await asyncio.gather(*(bank.get(f"/loans/{loans[0]['id']}") for _ in range(6)))  # warm the pool
        responses = await asyncio.gather(
            *(bank.post(f"/loans/{loan['id']}/claims", {"loss": "1200.00"}) for loan in loans)
        )
        assert sorted(r.json()["pool_amount"] for r in responses) == ["400.00", "600.00"]
        assert (await operator.get(f"/pools/{pool_id}")).json()["claims_paid"] == "1000.00"
