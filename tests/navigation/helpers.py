"""Small builders the navigation tests share."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from ipops import testing

BASE = "/api/v1/navigation"
BENEFICIARY = "91110000600037341L"


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def project_body(kind: str = "enterprise_operation", **overrides: Any) -> dict[str, Any]:
    """A valid project proposal."""
    body: dict[str, Any] = {
        "kind": kind,
        "title": "动力电池热管理专利导航",
        "industry": "nev_icv",
        "undertaking_org_name": "天津某知识产权服务有限公司",
        "budget": "300000.00",
        "start_date": "2021-03-01",
        "planned_end_date": "2021-12-31",
        "summary": "面向企业经营的专利导航",
    }
    if kind == "enterprise_operation":
        body.update(beneficiary_credit_code=BENEFICIARY, beneficiary_name="天津东丽某新能源科技有限公司")
    body.update(overrides)
    return body


async def propose(
    client: httpx.AsyncClient, tokens: testing.TokenFactory, org: str = "agency-a", **overrides: Any
) -> dict[str, Any]:
    """Propose a project as the undertaking organisation `org`; returns its public form."""
    response = await client.post(
        f"{BASE}/projects", json=project_body(**overrides), headers={**tokens.headers("agency", org), **key()}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def move(
    client: httpx.AsyncClient, headers: dict[str, str], project_id: str, move_name: str, **extra: Any
) -> httpx.Response:
    """Post a move on a project."""
    return await client.post(
        f"{BASE}/projects/{project_id}/transitions", json={"move": move_name, **extra}, headers={**headers, **key()}
    )
