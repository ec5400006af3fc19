"""Small builders the enforcement tests share."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from ipops.identifiers import make_patent_number

BASE = "/api/v1/enforcement"

# Valid unified social credit codes (check characters computed by python-stdnum's rules).
REQUESTER_CODE = "91120110MA05JXXX0N"
RESPONDENT_CODE = "91110000600037341L"


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def case_body(case_type: str = "patent_infringement_adjudication", **overrides: Any) -> dict[str, Any]:
    """A valid case intake naming one invention patent and two enterprises."""
    body: dict[str, Any] = {
        "case_type": case_type,
        "channel": "ordinary",
        "title": "Infringement of a pump patent",
        "parties": [
            {"role": "requester", "kind": "enterprise", "name": "Dongli Pumps Co.", "credit_code": REQUESTER_CODE},
            {"role": "respondent", "kind": "enterprise", "name": "Copycat Ltd.", "credit_code": RESPONDENT_CODE},
        ],
        "patent_numbers": [make_patent_number(2020, "1", 123456)],
        "trademark_numbers": [],
    }
    body.update(overrides)
    return body


async def open_case(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    """File a case; returns its public form."""
    response = await client.post(f"{BASE}/cases", json=case_body(**overrides), headers={**headers, **key()})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def at(day: str, hour: int = 2) -> str:
    """An ISO timestamp at `hour`:00 UTC of `day` (10:00 in Beijing by default)."""
    return f"{day}T{hour:02d}:00:00+00:00"


async def move(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    case_id: str,
    move_name: str,
    *,
    expect: int = 200,
    **extra: Any,
) -> dict[str, Any]:
    """Apply a move to a case; returns the response body."""
    response = await client.post(
        f"{BASE}/cases/{case_id}/transitions", json={"move": move_name, **extra}, headers={**headers, **key()}
    )
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


async def walk(
    client: httpx.AsyncClient, headers: dict[str, str], case_id: str, steps: list[tuple[str, str]]
) -> dict[str, Any]:
    """Apply (move, day) steps in order; returns the last response."""
    result: dict[str, Any] = {}
    for name, day in steps:
        result = await move(client, headers, case_id, name, occurred_at=at(day))
    return result
