"""Small builders the trusteeship tests share."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from ipops import testing


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def agency_body(agency_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid agency registration."""
    body: dict[str, Any] = {
        "id": agency_id,
        "name": f"Agency {agency_id}",
        "contract_number": f"DL-2026-{agency_id}",
        "contract_start_date": "2019-01-01",
        "contract_end_date": "2027-12-31",
        "quota": 50,
    }
    body.update(overrides)
    return body


async def register_agency(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, agency_id: str, **overrides: Any
) -> dict[str, Any]:
    """Register an agency as the operator; returns its public form."""
    response = await client.post(
        "/api/v1/trusteeship/agencies",
        json=agency_body(agency_id, **overrides),
        headers={**tokens.headers("operator"), **key()},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
