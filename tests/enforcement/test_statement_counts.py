"""Round trips per request: how many SQL statements a case intake and each move of a case's life
send to PostgreSQL (the idempotency record and the transaction's own BEGIN/COMMIT included). Issue
#17: intake and moves were CPU-bound in SQLAlchemy, about 20 statements each; these bounds keep the
work done to cut them from creeping back. A count, never a time."""

from __future__ import annotations

import os
from typing import Any

import httpx

from tests import testing
from tests.enforcement.helpers import BASE, at, case_body, key

# The most statements each request may send (NOTIFY after a commit not counted: the platform's
# outbox wake-up). Before issue #17's work: intake 22, accept 24, start_review 16, decide 20,
# close 20 (benchmarks/profile.md, "Case intake and moves").
INTAKE_AT_MOST = 15
STEPS = [("accept", "2026-03-03"), ("start_review", "2026-03-04"), ("decide", "2026-03-05"), ("close", "2026-03-06")]
MOVE_AT_MOST = {"accept": 13, "start_review": 10, "decide": 12, "close": 12}


async def _counted(call: Any) -> tuple[httpx.Response, list[str]]:
    with testing.Statements().counting() as seen:
        response = await call
    return response, list(seen)


def _show(label: str, seen: list[str]) -> None:
    if os.environ.get("IPOPS_SHOW_STATEMENTS"):
        print(f"\n{label}: {len(seen)}")
        for s in seen:
            print("   ", " ".join(s.split())[:160])


async def test_intake_and_moves_stay_within_their_statements(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    body = case_body(received_at=at("2026-03-02"))
    response, seen = await _counted(client.post(f"{BASE}/cases", json=body, headers={**operator, **key()}))
    assert response.status_code == 201, response.text
    _show("intake", seen)
    counts = {"intake": len(seen)}
    case_id = response.json()["id"]
    for name, day in [
        ("accept", "2026-03-03"),
        ("start_review", "2026-03-04"),
        ("decide", "2026-03-05"),
        ("close", "2026-03-06"),
    ]:
        call = client.post(
            f"{BASE}/cases/{case_id}/transitions",
            json={
                "move": name,
                "occurred_at": at(day),
                **({"resolution_reason": "infringement_found"} if name == "decide" else {}),
            },
            headers={**operator, **key()},
        )
        response, seen = await _counted(call)
        assert response.status_code == 200, response.text
        _show(name, seen)
        counts[name] = len(seen)
    print(counts)
    assert counts["intake"] <= INTAKE_AT_MOST
    for name, most in MOVE_AT_MOST.items():
        assert counts[name] <= most, (name, counts[name])
