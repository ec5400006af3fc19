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
