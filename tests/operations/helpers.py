"""Small builders the operations tests share."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from ipops.identifiers import make_patent_number

BASE = "/api/v1/operations"

# Valid unified social credit codes (check characters per GB 32100-2015).
LICENSOR = "91120110MA05JXXX0N"
LICENSEE = "91110000600037341L"
PATENT_1 = make_patent_number(2020, "1", 123456)
PATENT_2 = make_patent_number(2021, "1", 654321)


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


async def post(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], body: Any, expect: int = 201
) -> dict[str, Any]:
    """POST under a fresh key; asserts the status and returns the JSON body."""
    response = await client.post(BASE + path, json=body, headers={**headers, **key()})
    assert response.status_code == expect, response.text
    result: dict[str, Any] = response.json()
    return result


def problem_fields(response: httpx.Response) -> list[str]:
    """The fields a problem+json answer names."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return [e["field"] for e in response.json().get("errors") or []]
