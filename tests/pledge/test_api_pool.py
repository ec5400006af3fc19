"""The risk-compensation pool through the API on PostgreSQL: agreements as versioned data,
ledger-derived balances, claims split by the version in force at approval, refusals with their
reason, recoveries pro rata, leverage, suspension, and two concurrent claims on a nearly empty pool."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.pledge.helpers import (
    ZHONGSHAN,
    Api,
    drive,
    enterprise,
    patent_number,
    pool_with_agreement,
    register_bank,
    submit,
)


async def defaulted_loan(bank: Api, **kwargs: Any) -> dict[str, Any]:
    loan = await submit(bank, **kwargs)
    await drive(bank, loan["id"], "defaulted")
    return (await bank.get(f"/loans/{loan['id']}")).json()  # type: ignore[no-any-return]


async def ledger_is_balanced(operator: Api, pool_id: str) -> Decimal:
    entries = (await operator.get(f"/pools/{pool_id}/ledger", limit=500)).json()["items"]
    journals: dict[str, Decimal] = {}
    for e in entries:
        movement = Decimal(e["debit"]) - Decimal(e["credit"])
        journals[e["journal_id"]] = journals.get(e["journal_id"], Decimal(0)) + movement
    assert all(v == 0 for v in journals.values()), journals
    return sum((Decimal(e["debit"]) - Decimal(e["credit"]) for e in entries if e["account"] == "pool_cash"), Decimal(0))


class TestAgreements:
    async def test_only_operators_manage_agreements(self, bank: Api) -> None:
        response = await bank.post("/pool-agreements", {"pool_id": "p", "bank_id": bank.tenant, "terms": ZHONGSHAN})
        assert response.status_code == 403

    async def test_shares_must_sum_to_100(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "")
        response = await operator.post(
            "/pool-agreements",
            {"pool_id": pool_id, "bank_id": bank.tenant, "terms": {"shares": {"pool": "54", "bank": "26"}}},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.terms.shares"

    async def test_versions_count_up_and_banks_see_their_own(
        self, operator: Api, bank: Api, as_role: Callable[..., Api]
    ) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "")
        second = await operator.ok(
            "/pool-agreements",
            {"pool_id": pool_id, "bank_id": bank.tenant, "terms": {"shares": {"pool": "40", "bank": "60"}}},
        )
        assert second["version"] == 2 and second["terms"]["shares"] == {"pool": "40", "bank": "60"}
        other = as_role("bank", await register_bank(operator))
        assert (await other.get("/pool-agreements")).json()["total"] == 0
        mine = (await bank.get("/pool-agreements")).json()
        assert [a["version"] for a in mine["items"]] == [2, 1]


class TestPoolLedger:
    async def test_balance_is_derived_from_balanced_postings(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="2000000.00")
        await operator.ok(f"/pools/{pool_id}/contributions", {"source": "central", "amount": "1000000.00"})
        await operator.ok(f"/pools/{pool_id}/contributions", {"source": "municipal", "amount": "500000.00"})
        pool = await operator.ok(f"/pools/{pool_id}/interest", {"amount": "1234.56"})
        assert pool["balance"] == "3501234.56" and pool["interest"] == "1234.56"
        assert pool["contributions"] == {"central": "1000000.00", "district": "2000000.00", "municipal": "500000.00"}
        assert await ledger_is_balanced(operator, pool_id) == Decimal("3501234.56")

    async def test_funding_source_is_validated(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "")
        response = await operator.post(f"/pools/{pool_id}/contributions", {"source": "provincial", "amount": "1.00"})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.source"


class TestClaims:
    async def test_zhongshan_split_is_paid_and_posted(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="5000000.00")
        loan = await defaulted_loan(bank, amount="2000000.00", insurer="PICC P&C", valuer="Tianjin Valuers")
        assert loan["covered"] is True
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000000.00"})
        assert claim["status"] == "paid"
        assert claim["shares"] == {
            "pool": "540000.00",
            "bank": "260000.00",
            "insurer": "160000.00",
            "valuer": "40000.00",
        }
        pool = (await operator.get(f"/pools/{pool_id}")).json()
        assert pool["balance"] == "4460000.00" and pool["claims_paid"] == "540000.00"
        assert await ledger_is_balanced(operator, pool_id) == Decimal("4460000.00")
        assert (await bank.get(f"/loans/{loan['id']}")).json()["status"] == "compensated"
        again = await bank.post(f"/loans/{loan['id']}/claims", {"loss": "1.00"})
        assert again.status_code == 409

    async def test_claim_uses_the_version_in_force_at_approval(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="5000000.00")
        early = await submit(bank, amount="100000.00")
        await drive(bank, early["id"], "approved")
        await operator.ok(
            "/pool-agreements",
            {"pool_id": pool_id, "bank_id": bank.tenant, "terms": {"shares": {"pool": "40", "bank": "60"}}},
        )
        late = await submit(bank, amount="100000.00")
        await drive(bank, late["id"], "approved")
        for loan in (early, late):
            for move, fields in [
                ("register", {"registration_number": "Y", "registered_date": "2026-11-01"}),
                ("disburse", {}),
                ("mark_overdue", {"overdue_since": "2026-10-01"}),
                ("default", {}),
            ]:
                assert (await bank.move(loan["id"], move, **fields)).status_code == 200
        first = await bank.ok(f"/loans/{early['id']}/claims", {"loss": "100000.00"})
        second = await bank.ok(f"/loans/{late['id']}/claims", {"loss": "100000.00"})
        assert first["pool_amount"] == "54000.00" and second["pool_amount"] == "40000.00"
        assert first["agreement_id"] != second["agreement_id"]

    async def test_guangzhou_bands(self, operator: Api, bank: Api) -> None:
        terms = {
            "shares": {"pool": "40", "bank": "60"},
            "bands": [
                {"up_to": "5000000.00", "shares": {"pool": "40", "bank": "60"}},
                {"up_to": "15000000.00", "shares": {"pool": "30", "bank": "70"}},
                {"up_to": "30000000.00", "shares": {"pool": "20", "bank": "80"}},
            ],
        }
        await pool_with_agreement(operator, bank.tenant or "", funds="50000000.00", terms=terms)
        big = await defaulted_loan(bank, amount="10000000.00", value="20000000.00")
        claim = await bank.ok(f"/loans/{big['id']}/claims", {"loss": "10000000.00"})
        assert claim["pool_amount"] == "3000000.00" and claim["shares"]["bank"] == "7000000.00"
        huge = await defaulted_loan(bank, amount="30000000.01", value="40000000.00")
        assert huge["covered"] is False and "band" in huge["coverage_note"]

    async def test_refused_when_the_balance_cannot_cover(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="100.00")
        loan = await defaulted_loan(bank, amount="1000.00")
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
        assert claim["status"] == "refused" and claim["reason"] == "the pool balance cannot cover the claim"
        assert (await bank.get(f"/loans/{loan['id']}")).json()["status"] == "defaulted"
        assert (await operator.get(f"/pools/{pool_id}")).json()["balance"] == "100.00"

    async def test_uncovered_loan_claim_is_refused_with_the_reason(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "min_ip_share": "50"}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        loan = await defaulted_loan(bank, amount="1000.00", value="400.00", other_collateral="600.00")
        assert loan["covered"] is False and "minimum" in loan["coverage_note"]
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
        assert claim["status"] == "refused" and "not covered" in claim["reason"]

    async def test_only_the_ip_share_is_covered(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "min_ip_share": "50"}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        loan = await defaulted_loan(bank, amount="1000.00", value="600.00", other_collateral="400.00")
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
        assert claim["shares"] == {"pool": "300.00", "bank": "700.00"}

    async def test_per_enterprise_cap(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "per_enterprise_cap": "700.00", "per_loan_cap": "600.00"}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        owner = await enterprise(bank)
        first = await defaulted_loan(bank, amount="2000.00", owner=owner)
        second = await defaulted_loan(bank, amount="2000.00", owner=owner)
        a = await bank.ok(f"/loans/{first['id']}/claims", {"loss": "2000.00"})
        b = await bank.ok(f"/loans/{second['id']}/claims", {"loss": "2000.00"})
        assert (a["pool_amount"], a["capped_by"]) == ("600.00", "per_loan_cap")
        assert (b["pool_amount"], b["capped_by"]) == ("100.00", "per_enterprise_cap")
        assert b["shares"]["bank"] == "1900.00"

    async def test_loss_above_the_defaulted_principal_is_refused(self, operator: Api, bank: Api) -> None:
        await pool_with_agreement(operator, bank.tenant or "")
        loan = await defaulted_loan(bank, amount="1000.00")
        response = await bank.post(f"/loans/{loan['id']}/claims", {"loss": "1000.01"})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.loss"

    async def test_design_patents_are_not_eligible_when_the_agreement_says_so(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "eligible_right_types": ["invention", "trademark"]}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        owner = await enterprise(bank)
        design = await bank.ok(
            "/rights", {"kind": "patent", "number": patent_number("3"), "title": "shape", "owner_credit_code": owner}
        )
        await bank.ok(
            f"/rights/{design['id']}/appraisals", {"value": "10.00", "valuer": "v", "appraised_date": "2026-01-01"}
        )
        loan = await bank.ok(
            "/loans", {"enterprise_credit_code": owner, "amount": "5.00", "term_months": 3, "right_ids": [design["id"]]}
        )
        approved = (await bank.move(loan["id"], "approve")).json()
        assert approved["covered"] is False and "design" in approved["coverage_note"]
        ok = await submit(bank, kinds=("patent", "trademark"))
        assert (await bank.move(ok["id"], "approve")).json()["covered"] is True

    async def test_leverage_limit_at_approval(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "leverage_limit": "10"}
        await pool_with_agreement(operator, bank.tenant or "", funds="100.00", terms=terms)
        inside = await submit(bank, amount="1000.00")
        outside = await submit(bank, amount="0.01")
        first = (await bank.move(inside["id"], "approve")).json()
        second = (await bank.move(outside["id"], "approve")).json()
        assert first["covered"] is True
        assert second["covered"] is False and "10" in second["coverage_note"]

    async def test_claims_are_the_banks_own(self, operator: Api, bank: Api, as_role: Callable[..., Api]) -> None:
        await pool_with_agreement(operator, bank.tenant or "")
        loan = await defaulted_loan(bank, amount="100.00")
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "100.00"})
        other = as_role("bank", await register_bank(operator))
        assert (await other.get(f"/claims/{claim['id']}")).status_code == 404
        assert (await other.post(f"/loans/{loan['id']}/claims", {"loss": "1.00"})).status_code == 404
        assert (await other.get("/claims")).json()["total"] == 0
        assert (await bank.get(f"/claims/{claim['id']}")).json()["status"] == "paid"


class TestRecoveries:
    async def test_recovery_flows_back_pro_rata(self, operator: Api, bank: Api) -> None:
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="1000000.00")
        loan = await defaulted_loan(bank, amount="100000.00", insurer="PICC P&C", valuer="Tianjin Valuers")
        await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "100000.00"})
        first = await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "10000.00"})
        assert first["shares"] == {"pool": "5400.00", "bank": "2600.00", "insurer": "1600.00", "valuer": "400.00"}
        pool = (await operator.get(f"/pools/{pool_id}")).json()
        assert pool["recoveries"] == "5400.00" and pool["balance"] == "951400.00"
        rest = await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "90000.00"})
        assert sum(Decimal(v) for v in rest["shares"].values()) == Decimal("90000.00")
        too_much = await bank.post(f"/loans/{loan['id']}/recoveries", {"amount": "0.01"})
        assert too_much.status_code == 422
        assert await ledger_is_balanced(operator, pool_id) == Decimal("1000000.00")

    async def test_recovery_before_the_claim_reduces_the_claimable_loss(self, operator: Api, bank: Api) -> None:
        await pool_with_agreement(operator, bank.tenant or "", terms={"shares": {"pool": "50", "bank": "50"}})
        loan = await defaulted_loan(bank, amount="1000.00")
        await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "200.00"})
        too_much = await bank.post(f"/loans/{loan['id']}/claims", {"loss": "800.01"})
        assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "body.loss"
        claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "800.00"})
        assert claim["shares"] == {"pool": "400.00", "bank": "400.00"}
        after = await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "800.00"})
        assert after["shares"] == {"pool": "400.00", "bank": "400.00"} and after["claim_id"] == claim["id"]

    async def test_recovery_without_a_claim_is_the_banks(self, operator: Api, bank: Api) -> None:
        loan = await defaulted_loan(bank, amount="100.00")
        recovery = await bank.ok(f"/loans/{loan['id']}/recoveries", {"amount": "40.00"})
        assert recovery["shares"] == {"bank": "40.00"} and recovery["claim_id"] is None


class TestSuspension:
    async def test_npl_above_threshold_suspends_then_refuses(self, operator: Api, bank: Api) -> None:
        terms = {"shares": {"pool": "50", "bank": "50"}, "npl_suspension_threshold": "3"}
        await pool_with_agreement(operator, bank.tenant or "", terms=terms)
        healthy = await submit(bank, amount="9600.00")
        await drive(bank, healthy["id"], "disbursed")
        earlier = await defaulted_loan(bank, amount="100.00")  # 100 of 9,700 outstanding: 1 %
        loan = await defaulted_loan(bank, amount="300.00")  # 400 of 10,000 outstanding: 4 % > 3 %
        banks = (await operator.get("/banks", limit=500)).json()["items"]
        me = next(b for b in banks if b["id"] == bank.tenant)
        assert me["suspended_at"] and "3" in me["suspension_reason"]
        refused = await bank.ok(f"/loans/{earlier['id']}/claims", {"loss": "100.00"})
        assert refused["status"] == "refused" and "suspended" in refused["reason"]
        tripped = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "300.00"})
        assert tripped["status"] == "paid"  # its default tripped the line: not refused for that
        new = await submit(bank, amount="100.00")
        approved = (await bank.move(new["id"], "approve")).json()
        assert approved["covered"] is False and "suspended" in approved["coverage_note"]
        reinstated = await operator.ok(f"/banks/{bank.tenant}/reinstatement", {}, status=200)
        assert reinstated["suspended_at"] is None
        paid = await bank.ok(f"/loans/{earlier['id']}/claims", {"loss": "100.00"})
        assert paid["status"] == "paid"


class TestConcurrentClaims:
    async def test_two_claims_on_a_nearly_empty_pool_pay_one(self, operator: Api, bank: Api) -> None:
        """Each claim needs 540.00 of a 600.00 balance; at the same instant, one is paid and the
        other refused, because each locks the pool row before reading the balance."""
        pool_id = await pool_with_agreement(operator, bank.tenant or "", funds="600.00")
        loans = [await defaulted_loan(bank, amount="1000.00") for _ in range(2)]
        # Warm the connection pool first: otherwise the second request spends its time opening a
        # connection and the first has committed before the race begins.
        await asyncio.gather(*(bank.get(f"/loans/{loans[0]['id']}") for _ in range(6)))
        responses = await asyncio.gather(
            *(bank.post(f"/loans/{loan['id']}/claims", {"loss": "1000.00"}) for loan in loans)
        )
        assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
        statuses = sorted(r.json()["status"] for r in responses)
        assert statuses == ["paid", "refused"]
        pool = (await operator.get(f"/pools/{pool_id}")).json()
        assert pool["balance"] == "60.00" and pool["claims_paid"] == "540.00"
        assert await ledger_is_balanced(operator, pool_id) == Decimal("60.00")
