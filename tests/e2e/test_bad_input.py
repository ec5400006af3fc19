"""Bad input through the gateway: malformed, truncated and oversized bodies, invalid identifiers
and amounts, and forged or expired tokens, each answered with problem+json naming what is wrong,
never a 5xx, and nothing written."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Caller
from tests.stack import ISSUER, Stack
from tests.testing import TokenFactory

LOANS = "/api/v1/pledge/loans"
RIGHTS = "/api/v1/pledge/rights"


@pytest.fixture(scope="module")
async def bank(make_caller: Any) -> Caller:
    return await make_caller("bank", "bank-bad-input")


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()  # type: ignore[no-any-return]


async def raw(bank: Caller, path: str, content: bytes) -> httpx.Response:
    headers = {**bank.headers, "Idempotency-Key": "raw-" + str(hash(content)), "content-type": "application/json"}
    return await bank.client.post(path, content=content, headers=headers)


async def test_malformed_and_truncated_json(bank: Caller) -> None:
    problem(await raw(bank, LOANS, b"{not json"), 400)
    problem(await raw(bank, LOANS, b'{"enterprise_credit_code": "9112011'), 400)


async def test_oversized_body_is_413(platform: Stack, bank: Caller) -> None:
    # A raw request that declares 2 MB and sends only the start: the gateway must refuse on the
    # declared length, before reading the body (a client streaming a huge body gets its answer
    # without the server buffering it). httpx cannot read an answer before it sent the whole body.
    host, port = "127.0.0.1", platform.apps["gateway"].port
    reader, writer = await asyncio.open_connection(host, port)
    head = (
        f"POST {LOANS} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Authorization: {bank.headers['Authorization']}\r\nIdempotency-Key: oversized\r\n"
        "Content-Length: 2000000\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + b'{"x": "' + b"a" * 65536)
    await writer.drain()
    # The answer's head in one read from the buffer: the server closes with our body unread, and
    # the reset that follows makes any later read raise even when the answer already arrived.
    answer_head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    writer.close()
    assert answer_head.split()[1] == b"413", answer_head
    assert b"content-type: application/problem+json" in answer_head.lower()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"kind": "patent", "number": "202010123456.3", "title": "t", "owner_credit_code": "91110000600037341L"},
            "body.number",
        ),
        (
            {"kind": "patent", "number": "202010123456.2", "title": "t", "owner_credit_code": "91110000600037341A"},
            "body.owner_credit_code",
        ),
        (
            {
                "kind": "trademark",
                "number": "TM-12",
                "title": "t",
                "trademark_class": 9,
                "owner_credit_code": "91110000600037341L",
            },
            "body.number",
        ),
    ],
)
async def test_invalid_identifiers_name_the_field(bank: Caller, body: dict[str, Any], field: str) -> None:
    errors = problem(await bank.post(RIGHTS, body), 422)["errors"]
    # a discriminated union names its branch too: body.patent.number
    leaf = field.split(".")[-1]
    assert any(e["field"].startswith("body.") and e["field"].endswith(leaf) for e in errors), errors


@pytest.mark.parametrize("amount", ["1000.001", "-5.00", "1e309", "NaN", "12,000.00"])
async def test_invalid_amounts_name_the_field(bank: Caller, amount: str) -> None:
    body = {"enterprise_credit_code": "91110000600037341L", "amount": amount, "term_months": 12, "right_ids": []}
    errors = problem(await bank.post(LOANS, body), 422)["errors"]
    assert any(e["field"] == "body.amount" for e in errors), errors


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_forged_and_expired_tokens_are_refused_by_the_gateway(
    platform: Stack, gateway: httpx.AsyncClient
) -> None:
    stranger = TokenFactory(issuer=ISSUER)  # right issuer name, wrong key
    cases = {
        "malformed": "not.a.token",
        "wrong key": stranger.token("operator"),
        "alg none": _b64({"alg": "none", "typ": "JWT"})
        + "."
        + _b64({"sub": "x", "role": "operator", "iss": ISSUER, "aud": "ipops"})
        + ".",
        "expired": platform.tokens.token("operator", ttl=timedelta(minutes=-10)),
    }
    for name, token in cases.items():
        r = await gateway.get("/api/v1/pledge/banks", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, f"{name}: {r.status_code}"
        assert r.headers["content-type"].startswith("application/problem+json")
