"""Small builders the trusteeship tests share."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests import testing


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


BASE = "/api/v1/trusteeship"


def credit_code(serial: int, region: str = "120110") -> str:
    """A valid unified social credit code (an enterprise in Dongli district, 91 + region + serial)."""
    from stdnum.cn import uscc

    body = f"91{region}{serial:09d}"
    return body + uscc.calc_check_digit(body)


def enterprise_body(code: str, **overrides: Any) -> dict[str, Any]:
    """A valid enterprise."""
    body: dict[str, Any] = {
        "credit_code": code,
        "name": f"Dongli Precision {code[-6:]}",
        "industry": "advanced manufacturing",
        "size": "small",
        "address": "Dongli district, Tianjin",
    }
    body.update(overrides)
    return body


async def enrol(
    client: httpx.AsyncClient,
    tokens: testing.TokenFactory,
    agency_id: str,
    code: str,
    *,
    start_date: str = "2025-01-02",
    expect: int = 201,
) -> dict[str, Any]:
    """Enrol an enterprise with an agency, as that agency."""
    response = await client.post(
        f"{BASE}/enrolments",
        json={"enterprise": enterprise_body(code), "start_date": start_date, "reason": "government purchase, lot 1"},
        headers={**tokens.headers("agency", agency_id), **key()},
    )
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


def as_agency(tokens: testing.TokenFactory, agency_id: str, *, keyed: bool = True) -> dict[str, str]:
    """Headers of an agency (with a fresh Idempotency-Key for writes)."""
    return {**tokens.headers("agency", agency_id), **(key() if keyed else {})}


def as_operator(tokens: testing.TokenFactory, *, keyed: bool = True) -> dict[str, str]:
    """Headers of the district office (with a fresh Idempotency-Key for writes)."""
    return {**tokens.headers("operator"), **(key() if keyed else {})}


async def outbox_types(database_url: str) -> list[str]:
    """Event types in the service's outbox, oldest first."""
    from sqlalchemy import text

    from ipops import db

    engine = db.create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT event_type FROM outbox_message ORDER BY id"))
            return [r[0] for r in rows]
    finally:
        await engine.dispose()


async def execute(database_url: str, statement: str, **params: Any) -> Any:
    """Run one SQL statement on the service's database (to inspect or disturb it from a test)."""
    from sqlalchemy import text

    from ipops import db

    engine = db.create_engine(database_url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            return result.all() if result.returns_rows else result.rowcount
    finally:
        await engine.dispose()
