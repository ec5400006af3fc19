"""Idempotency-Key on bank writes, on PostgreSQL: replay, a different body, concurrency, absence."""

from __future__ import annotations

import asyncio
import uuid

from tests.pledge.helpers import Api, enterprise, right


async def _loan_body(bank: Api) -> dict[str, object]:
    owner = await enterprise(bank)
    pledged = await right(bank, owner)
    return {"enterprise_credit_code": owner, "amount": "5000.00", "term_months": 12, "right_ids": [pledged["id"]]}


class TestIdempotentSubmission:
    async def test_same_key_and_body_replays_the_first_response(self, bank: Api) -> None:
        body = await _loan_body(bank)
        key = uuid.uuid4().hex
        first = await bank.post("/loans", body, key=key)
        second = await bank.post("/loans", body, key=key)
        assert first.status_code == second.status_code == 201
        assert second.headers.get("idempotent-replayed") == "true"
        assert first.json() == second.json()
        assert (await bank.get("/loans")).json()["total"] == 1

    async def test_same_key_other_body_is_422(self, bank: Api) -> None:
        body = await _loan_body(bank)
        key = uuid.uuid4().hex
        assert (await bank.post("/loans", body, key=key)).status_code == 201
        other = await bank.post("/loans", {**body, "amount": "6000.00"}, key=key)
        assert other.status_code == 422
        assert other.json()["errors"][0]["field"] == "header.Idempotency-Key"
        assert (await bank.get("/loans")).json()["total"] == 1

    async def test_concurrent_requests_with_one_key_make_one_loan(self, bank: Api) -> None:
        body = await _loan_body(bank)
        key = uuid.uuid4().hex
        await asyncio.gather(*(bank.get("/loans") for _ in range(6)))  # warm connections: a real race
        responses = await asyncio.gather(*(bank.post("/loans", body, key=key) for _ in range(4)))
        assert {r.status_code for r in responses} <= {201, 409}, [r.text for r in responses]
        created = {r.json()["id"] for r in responses if r.status_code == 201}
        assert len(created) == 1
        assert (await bank.get("/loans")).json()["total"] == 1

    async def test_missing_key_is_400_naming_the_header(self, bank: Api) -> None:
        body = await _loan_body(bank)
        response = await bank.client.post("/api/v1/pledge/loans", json=body, headers=bank.headers)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"
        assert (await bank.get("/loans")).json()["total"] == 0

    async def test_keys_are_per_bank(self, bank: Api, operator: Api, as_role) -> None:  # type: ignore[no-untyped-def]
        from tests.pledge.helpers import register_bank

        other = as_role("bank", await register_bank(operator))
        key = uuid.uuid4().hex
        mine = await bank.post("/loans", await _loan_body(bank), key=key)
        theirs = await other.post("/loans", await _loan_body(other), key=key)
        assert mine.status_code == theirs.status_code == 201
        assert mine.json()["id"] != theirs.json()["id"]

    async def test_replayed_move_does_not_move_twice(self, bank: Api) -> None:
        loan = (await bank.post("/loans", await _loan_body(bank))).json()
        key = uuid.uuid4().hex
        first = await bank.post(f"/loans/{loan['id']}/transitions", {"move": "approve"}, key=key)
        again = await bank.post(f"/loans/{loan['id']}/transitions", {"move": "approve"}, key=key)
        assert first.status_code == again.status_code == 200
        history = (await bank.get(f"/loans/{loan['id']}/history")).json()["state_changes"]
        assert [h["move"] for h in history] == ["submit", "approve"]


async def test_racing_creations_with_different_keys_are_409_not_500(bank: Api) -> None:
    """Two requests recording the same enterprise under different keys: one wins, the other is a
    conflict (the primary key decides, not a check-then-insert)."""
    from tests.pledge.helpers import credit_code

    code = credit_code()
    await asyncio.gather(*(bank.get("/loans") for _ in range(6)))
    responses = await asyncio.gather(
        *(bank.post("/enterprises", {"credit_code": code, "name": f"E{i}"}) for i in range(4))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409], [r.text for r in responses]


async def test_two_loans_racing_for_one_right_make_one_loan(bank: Api) -> None:
    """Different keys, same right: the partial unique index on live collateral lets one through."""
    body = await _loan_body(bank)
    await asyncio.gather(*(bank.get("/loans") for _ in range(6)))
    responses = await asyncio.gather(*(bank.post("/loans", body) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409], [r.text for r in responses]
    assert (await bank.get("/loans")).json()["total"] == 1
