"""Round trips per request: how many SQL statements a case intake and each move of a case's life
send to PostgreSQL (the idempotency record and the transaction's own BEGIN/COMMIT included). Issue
#17: intake and moves were CPU-bound in SQLAlchemy, about 20 statements each; these bounds keep the
work done to cut them from creeping back. A count, never a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.enforcement.helpers import BASE, at, case_body, key

# The most statements each request may send (NOTIFY after a commit not counted: the platform's
# outbox wake-up). Before issue #17's work: intake 22, accept 24, start_review 16, decide 20,
# close 20 (benchmarks/profile.md, "Case intake and moves").
INTAKE_AT_MOST = 15
STEPS = [("accept", "2026-03-03"), ("start_review", "2026-03-04"), ("decide", "2026-03-05"), ("close", "2026-03-06")]
MOVE_AT_MOST = {"accept": 13, "start_review": 10, "decide": 12, "close": 12}


class Statements:
    """Every statement any engine of this process sends, while counting."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.on = False

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.on and not statement.startswith("NOTIFY"):
            self.seen.append(statement)

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


@pytest.fixture
def statements() -> Iterator[Statements]:
    counter = Statements()
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(Engine, "before_cursor_execute", counter)


async def _counted(statements: Statements, call: Any) -> tuple[httpx.Response, list[str]]:
    statements.take()
    statements.on = True
    try:
        response = await call
    finally:
        statements.on = False
    return response, statements.take()


def _show(label: str, seen: list[str]) -> None:
    if os.environ.get("IPOPS_SHOW_STATEMENTS"):
        print(f"\n{label}: {len(seen)}")
        for s in seen:
            print("   ", " ".join(s.split())[:160])


async def test_intake_and_moves_stay_within_their_statements(
    client: httpx.AsyncClient, operator: dict[str, str], statements: Statements
) -> None:
    body = case_body(received_at=at("2026-03-02"))
    response, seen = await _counted(statements, client.post(f"{BASE}/cases", json=body, headers={**operator, **key()}))
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
        response, seen = await _counted(statements, call)
        assert response.status_code == 200, response.text
        _show(name, seen)
        counts[name] = len(seen)
    print(counts)
    assert counts["intake"] <= INTAKE_AT_MOST
    for name, most in MOVE_AT_MOST.items():
        assert counts[name] <= most, (name, counts[name])
