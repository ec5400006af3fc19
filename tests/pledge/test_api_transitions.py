"""Every illegal move through the HTTP API on PostgreSQL: 409 problem+json listing the allowed
moves, and the loan unchanged. One loan per status serves all of that status's cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from pledge.domain.loan import ALLOWED_MOVES, BANK_MOVES
from pledge.enums import LoanStatus as S
from pledge.enums import Move as M
from tests.pledge.helpers import Api, drive, pool_with_agreement, register_bank, repay_in_full, submit
from tests.testing import TokenFactory

ILLEGAL = [(s, m) for s in S for m in sorted(BANK_MOVES) if m not in ALLOWED_MOVES[s]]
NOT_DIRECT = sorted(set(M) - BANK_MOVES)


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient, tokens: TokenFactory) -> AsyncIterator[dict[str, Any]]:
    """A bank with one loan in every status."""
    operator = Api(client, tokens, "operator")
    bank = Api(client, tokens, "bank", await register_bank(operator))
    await pool_with_agreement(operator, bank.tenant or "")
    loans: dict[S, str] = {}
    for status in S:
        loan = await submit(bank, amount="1000.00")
        if status is S.CLOSED_REPAID:
            await drive(bank, loan["id"], "disbursed")
            await repay_in_full(bank, loan["id"], "1000.00")
        elif status is S.COMPENSATED:
            await drive(bank, loan["id"], "defaulted")
            claim = await bank.ok(f"/loans/{loan['id']}/claims", {"loss": "1000.00"})
            assert claim["status"] == "paid", claim
        else:
            await drive(bank, loan["id"], status.value)
        loans[status] = loan["id"]
    for status, loan_id in loans.items():
        assert (await bank.get(f"/loans/{loan_id}")).json()["status"] == status.value
    yield {"bank": bank, "loans": loans}


async def _unchanged(bank: Api, loan_id: str, status: S) -> None:
    shown = (await bank.get(f"/loans/{loan_id}")).json()
    assert shown["status"] == status.value
    assert shown["allowed_moves"] == sorted(m.value for m in ALLOWED_MOVES[status])


@pytest.mark.parametrize(("status", "move"), ILLEGAL, ids=[f"{s.value}-{m.value}" for s, m in ILLEGAL])
async def test_illegal_move_is_409_with_allowed_moves(world: dict[str, Any], status: S, move: M) -> None:
    bank, loan_id = world["bank"], world["loans"][status]
    response = await bank.move(
        loan_id, move.value, registration_number="Y9", registered_date="2026-11-01", overdue_since="2026-10-01"
    )
    assert response.status_code == 409, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["allowed_moves"] == sorted(m.value for m in ALLOWED_MOVES[status])
    assert problem["type"].endswith("conflict")
    await _unchanged(bank, loan_id, status)


@pytest.mark.parametrize("move", NOT_DIRECT)
async def test_moves_that_follow_other_facts_are_not_made_directly(world: dict[str, Any], move: M) -> None:
    bank, loan_id = world["bank"], world["loans"][S.DISBURSED]
    response = await bank.move(loan_id, move.value)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.move"


@pytest.mark.parametrize("status", [s for s in S if M.REPAY not in ALLOWED_MOVES[s]])
async def test_repayment_in_a_status_that_takes_none_is_409(world: dict[str, Any], status: S) -> None:
    bank, loan_id = world["bank"], world["loans"][status]
    response = await bank.post(f"/loans/{loan_id}/repayments", {"principal": "1.00", "paid_date": "2026-11-01"})
    assert response.status_code == 409 and "allowed_moves" in response.json()
    await _unchanged(bank, loan_id, status)


@pytest.mark.parametrize("status", [s for s in S if M.RECOVER not in ALLOWED_MOVES[s]])
async def test_recovery_before_default_is_409(world: dict[str, Any], status: S) -> None:
    bank, loan_id = world["bank"], world["loans"][status]
    response = await bank.post(f"/loans/{loan_id}/recoveries", {"amount": "1.00"})
    assert response.status_code == 409
    await _unchanged(bank, loan_id, status)


@pytest.mark.parametrize("status", [s for s in S if s is not S.DEFAULTED])
async def test_claim_on_a_loan_not_in_default_is_409(world: dict[str, Any], status: S) -> None:
    bank, loan_id = world["bank"], world["loans"][status]
    response = await bank.post(f"/loans/{loan_id}/claims", {"loss": "1.00"})
    assert response.status_code == 409
    await _unchanged(bank, loan_id, status)
