"""Loans through the HTTP API on PostgreSQL: submission rules, the lifecycle with its history,
DPD, registration, tenancy, auth and problem+json shapes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from pledge.domain.loan import maturity_date
from tests.pledge.helpers import Api, drive, enterprise, patent_number, register_bank, repay_in_full, right, submit


class TestEnterprisesAndRights:
    async def test_credit_code_check_character_is_verified(self, bank: Api) -> None:
        response = await bank.post("/enterprises", {"credit_code": "91110000600037341X", "name": "Bad"})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "body.credit_code"

    async def test_duplicate_enterprise_is_a_conflict(self, bank: Api) -> None:
        code = await enterprise(bank)
        response = await bank.post("/enterprises", {"credit_code": code, "name": "Again"})
        assert response.status_code == 409

    async def test_patent_check_digit_and_type(self, bank: Api) -> None:
        owner = await enterprise(bank)
        good = patent_number("2")
        bad = good[:-1] + str((int(good[-1]) + 1) % 10 if good[-1] != "X" else 0)
        response = await bank.post(
            "/rights", {"kind": "patent", "number": bad, "title": "x", "owner_credit_code": owner}
        )
        assert response.status_code == 422
        assert "number" in response.json()["errors"][0]["field"]
        created = await bank.ok(
            "/rights", {"kind": "patent", "number": "ZL" + good, "title": "x", "owner_credit_code": owner}
        )
        assert created["number"] == good and created["patent_type"] == "utility_model"
        assert created["appraisal"] is None

    async def test_trademark_class_is_bounded(self, bank: Api) -> None:
        owner = await enterprise(bank)
        response = await bank.post(
            "/rights",
            {"kind": "trademark", "number": "123456", "trademark_class": 46, "title": "x", "owner_credit_code": owner},
        )
        assert response.status_code == 422
        assert "trademark_class" in response.json()["errors"][0]["field"]

    async def test_latest_appraisal_is_shown(self, bank: Api) -> None:
        owner = await enterprise(bank)
        created = await right(bank, owner, "trademark", "300000.00")
        await bank.ok(
            f"/rights/{created['id']}/appraisals",
            {"value": "450000.50", "valuer": "Other", "appraised_date": "2026-11-01"},
        )
        shown = (await bank.get(f"/rights/{created['id']}")).json()
        assert shown["appraisal"]["value"] == "450000.50" and shown["trademark_class"] == 9


class TestSubmitLoan:
    async def test_mixed_pledge_is_derived_from_the_collateral(self, bank: Api) -> None:
        mixed = await submit(bank, kinds=("patent", "trademark"))
        single = await submit(bank, kinds=("patent", "patent"))
        assert mixed["mixed_pledge"] is True and single["mixed_pledge"] is False
        assert mixed["status"] == "submitted" and mixed["amount"] == "1000000.00"
        assert mixed["allowed_moves"] == ["approve", "reject", "withdraw"]

    async def test_ip_share_of_mixed_collateral(self, bank: Api) -> None:
        loan = await submit(bank, value="600000.00", other_collateral="400000.00")
        assert loan["ip_share"] == "60.00"

    async def test_a_right_cannot_back_two_live_loans(self, bank: Api) -> None:
        owner = await enterprise(bank)
        pledged = await right(bank, owner)
        body = {"enterprise_credit_code": owner, "amount": "100.00", "term_months": 6, "right_ids": [pledged["id"]]}
        first = await bank.ok("/loans", body)
        second = await bank.post("/loans", body)
        assert second.status_code == 409
        assert second.json()["errors"][0]["field"] == "body.right_ids.0"
        assert (await bank.move(first["id"], "withdraw")).status_code == 200
        again = await bank.post("/loans", body)
        assert again.status_code == 201, again.text

    async def test_unappraised_right_is_refused(self, bank: Api) -> None:
        owner = await enterprise(bank)
        bare = await bank.ok(
            "/rights", {"kind": "patent", "number": patent_number(), "title": "x", "owner_credit_code": owner}
        )
        response = await bank.post(
            "/loans", {"enterprise_credit_code": owner, "amount": "1.00", "term_months": 1, "right_ids": [bare["id"]]}
        )
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.right_ids.0"

    async def test_amount_must_be_yuan_with_two_decimals(self, bank: Api) -> None:
        owner = await enterprise(bank)
        pledged = await right(bank, owner)
        response = await bank.post(
            "/loans",
            {"enterprise_credit_code": owner, "amount": "10.001", "term_months": 1, "right_ids": [pledged["id"]]},
        )
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.amount"

    async def test_the_declared_forms_are_what_the_server_takes(self, operator: Api, bank: Api) -> None:
        """What the schema declares (#15): an amount above zero is a positive decimal string, a date
        a YYYY-MM-DD string from 2000 to 2100 (never a number), an instant RFC 3339 with its offset,
        a leverage limit a positive decimal string."""
        owner = await enterprise(bank)
        pledged = await right(bank, owner)
        body = {"enterprise_credit_code": owner, "term_months": 1, "right_ids": [pledged["id"]]}
        zero = await bank.post("/loans", {**body, "amount": "0"})
        assert zero.status_code == 422 and zero.json()["errors"][0]["field"] == "body.amount"
        for appraised in (0, "1999-12-31", "2020-02-30", "2020-1-5"):
            response = await bank.post(
                f"/rights/{pledged['id']}/appraisals", {"value": "1.00", "valuer": "V", "appraised_date": appraised}
            )
            assert response.status_code == 422, appraised
            assert response.json()["errors"][0]["field"] == "body.appraised_date"
        response = await operator.post("/dpd-recomputations", {"as_of": 0})
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.as_of"
        shares = {"shares": {"pool": "100"}}
        agreement: dict[str, Any] = {"pool_id": "p", "bank_id": bank.tenant, "terms": shares}
        for field, value in (("effective_from", "2026-01-01T00:00:00"), ("effective_from", 0)):
            response = await operator.post("/pool-agreements", {**agreement, field: value})
            assert response.status_code == 422 and response.json()["errors"][0]["field"] == f"body.{field}"
        for limit in ("", "0", 10):
            terms = {**shares, "leverage_limit": limit}
            response = await operator.post("/pool-agreements", {**agreement, "terms": terms})
            assert response.status_code == 422, limit
            assert response.json()["errors"][0]["field"] == "body.terms.leverage_limit"


class TestLifecycle:
    async def test_happy_path_with_history(self, bank: Api) -> None:
        loan = await submit(bank, amount="500000.00", kinds=("patent", "trademark"))
        await drive(bank, loan["id"], "disbursed")
        repaid = await bank.ok(
            f"/loans/{loan['id']}/repayments",
            {"principal": "200000.00", "interest": "1000.00", "paid_date": "2026-11-10"},
        )
        assert repaid["outstanding"] == "300000.00" and repaid["status"] == "disbursed"
        closed = await repay_in_full(bank, loan["id"], "300000.00")
        assert closed["status"] == "closed_repaid"
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        assert shown["registration"]["status"] == "cancelled" and shown["registration"]["cancelled_at"]
        assert all(c["released_at"] for c in shown["collateral"])
        assert shown["closed_at"] and shown["allowed_moves"] == []
        history = (await bank.get(f"/loans/{loan['id']}/history")).json()["state_changes"]
        assert [h["move"] for h in history] == [
            "submit",
            "approve",
            "register",
            "disburse",
            "repay",
            "repay",
            "close_repaid",
        ]
        assert all(h["actor"] == f"bank-{bank.tenant}" and h["at"] for h in history)

    async def test_undo_approve_and_undo_disburse(self, bank: Api) -> None:
        loan = await submit(bank)
        await drive(bank, loan["id"], "approved")
        undone = (await bank.move(loan["id"], "undo_approve")).json()
        assert undone["status"] == "submitted" and undone["approved_at"] is None
        await drive(bank, loan["id"], "disbursed")
        back = (await bank.move(loan["id"], "undo_disburse", reason="paid to the wrong account")).json()
        assert back["status"] == "registered" and back["disbursed_at"] is None

    async def test_undo_disburse_after_a_repayment_is_refused(self, bank: Api) -> None:
        loan = await submit(bank)
        await drive(bank, loan["id"], "disbursed")
        await bank.ok(f"/loans/{loan['id']}/repayments", {"principal": "1.00", "paid_date": "2026-11-10"})
        response = await bank.move(loan["id"], "undo_disburse")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.move"

    async def test_register_needs_its_number(self, bank: Api) -> None:
        loan = await submit(bank)
        await drive(bank, loan["id"], "approved")
        response = await bank.move(loan["id"], "register", registered_date="2026-11-01")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.registration_number"

    async def test_registration_refused_then_registered_then_changed(self, bank: Api) -> None:
        loan = await submit(bank)
        await drive(bank, loan["id"], "approved")
        refused = await bank.ok(
            f"/loans/{loan['id']}/registration", {"status": "refused", "reason": "contract"}, status=200, method="PATCH"
        )
        assert refused["status"] == "refused"
        await bank.move(loan["id"], "register", registration_number="Y1", registered_date="2026-11-03")
        changed = await bank.ok(
            f"/loans/{loan['id']}/registration",
            {"status": "changed", "registration_number": "Y2"},
            status=200,
            method="PATCH",
        )
        assert changed["status"] == "changed" and changed["registration_number"] == "Y2" and changed["changed_at"]

    async def test_repayment_cannot_exceed_outstanding(self, bank: Api) -> None:
        loan = await submit(bank, amount="100.00")
        await drive(bank, loan["id"], "disbursed")
        response = await bank.post(
            f"/loans/{loan['id']}/repayments", {"principal": "100.01", "paid_date": "2026-11-01"}
        )
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.principal"


class TestDaysPastDue:
    async def test_buckets_recomputed_on_repayment_and_daily(self, bank: Api, operator: Api) -> None:
        loan = await submit(bank, amount="1000.00")
        await drive(bank, loan["id"], "overdue")  # overdue since 2026-10-01, as of 2026-11-01
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        assert (shown["status"], shown["days_past_due"], shown["dpd_bucket"]) == ("overdue", 32, "dpd_31_60")
        partial = await bank.ok(
            f"/loans/{loan['id']}/repayments",
            {"principal": "100.00", "paid_date": "2026-11-05", "still_overdue_since": "2026-10-20"},
        )
        assert partial["status"] == "overdue"
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        assert (shown["days_past_due"], shown["dpd_bucket"]) == (17, "dpd_1_30")
        run = await operator.ok("/dpd-recomputations", {"as_of": "2027-01-20"}, status=200)
        assert run["loans"] >= 1 and run["bucket_changes"] >= 1
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        assert (shown["days_past_due"], shown["dpd_bucket"]) == (93, "dpd_91_180")
        cured = await bank.ok(f"/loans/{loan['id']}/repayments", {"principal": "100.00", "paid_date": "2027-01-21"})
        assert cured["status"] == "disbursed"
        history = (await bank.get(f"/loans/{loan['id']}/history")).json()
        assert [d["bucket"] for d in history["dpd_records"]] == ["dpd_31_60", "dpd_1_30", "dpd_91_180", "current"]
        assert history["state_changes"][-1]["move"] == "cure"

    async def test_daily_run_marks_a_matured_loan_overdue(self, bank: Api, operator: Api) -> None:
        loan = await submit(bank, amount="1000.00")  # 12 months
        await drive(bank, loan["id"], "disbursed")
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        disbursed = date.fromisoformat(shown["disbursed_date"])  # the district's date by default
        maturity = maturity_date(disbursed, 12)
        await operator.ok("/dpd-recomputations", {"as_of": str(maturity)}, status=200)
        assert (await bank.get(f"/loans/{loan['id']}")).json()["status"] == "disbursed"
        await operator.ok("/dpd-recomputations", {"as_of": str(maturity + timedelta(days=10))}, status=200)
        shown = (await bank.get(f"/loans/{loan['id']}")).json()
        assert (shown["status"], shown["days_past_due"], shown["dpd_bucket"]) == ("overdue", 10, "dpd_1_30")
        last = (await bank.get(f"/loans/{loan['id']}/history")).json()["state_changes"][-1]
        assert (last["move"], last["actor"]) == ("mark_overdue", "system:daily-dpd")

    async def test_mark_overdue_needs_the_first_day_past_due(self, bank: Api) -> None:
        loan = await submit(bank)
        await drive(bank, loan["id"], "disbursed")
        response = await bank.move(loan["id"], "mark_overdue")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.overdue_since"


class TestTenancyAndAuth:
    async def test_another_banks_loan_is_not_found(self, bank: Api, operator: Api, as_role: Callable[..., Api]) -> None:
        other = as_role("bank", await register_bank(operator))
        loan = await submit(bank)
        assert (await other.get(f"/loans/{loan['id']}")).status_code == 404
        assert (await other.get(f"/loans/{loan['id']}/history")).status_code == 404
        response = await other.move(loan["id"], "approve")
        assert response.status_code == 404
        assert (
            await other.post(f"/loans/{loan['id']}/repayments", {"principal": "1.00", "paid_date": "2026-11-01"})
        ).status_code == 404
        assert all(item["id"] != loan["id"] for item in (await other.get("/loans")).json()["items"])
        assert (await bank.get(f"/loans/{loan['id']}")).json()["status"] == "submitted"
        assert (await operator.get(f"/loans/{loan['id']}")).status_code == 200
        own = (await bank.get("/loans")).json()
        assert own["total"] == 1 and own["items"][0]["id"] == loan["id"]

    async def test_tokens_and_roles(self, bank: Api, as_role: Callable[..., Api], client) -> None:  # type: ignore[no-untyped-def]
        assert (await client.get("/api/v1/pledge/loans")).status_code == 401
        agency = as_role("agency", "agency-1")
        assert (await agency.get("/loans")).status_code == 403
        response = await bank.post("/pools", {"id": "pool-x", "name": "x"})
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")

    async def test_an_unregistered_bank_cannot_submit(self, as_role: Callable[..., Api], bank: Api) -> None:
        owner = await enterprise(bank)
        pledged = await right(bank, owner)
        stranger = as_role("bank", "never-registered")
        response = await stranger.post(
            "/loans",
            {"enterprise_credit_code": owner, "amount": "1.00", "term_months": 1, "right_ids": [pledged["id"]]},
        )
        assert response.status_code == 403


@pytest.mark.parametrize("path", ["/loans/nope", "/claims/nope"])
async def test_unknown_ids_are_404(bank: Api, path: str) -> None:
    response = await bank.get(path)
    assert response.status_code == 404 and response.json()["status"] == 404
