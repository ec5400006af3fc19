"""Test helpers for the pledge API: keyed writes, valid identifiers, loans driven to any status."""

from __future__ import annotations

import itertools
import random
import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import update
from stdnum.cn import uscc

from ipops import db
from ipops.identifiers import make_patent_number
from tests.testing import TokenFactory

P = "/api/v1/pledge"
_serial = itertools.count(random.randint(1, 4_000_000))


def credit_code() -> str:
    """A fresh, valid unified social credit code."""
    body = "91120110" + f"{next(_serial):09d}"[-9:]
    return body + uscc.calc_check_digit(body)


def patent_number(type_digit: str = "1") -> str:
    """A fresh, valid Chinese application number."""
    return make_patent_number(2020, type_digit, next(_serial) % 10_000_000)


def trademark_number() -> str:
    """A fresh trademark registration number."""
    return str(10_000_000 + next(_serial))


class Api:
    """A client acting as one caller; every write carries a fresh Idempotency-Key unless given."""

    def __init__(self, client: httpx.AsyncClient, tokens: TokenFactory, role: str, tenant: str | None = None):
        self.client = client
        self.headers = tokens.headers(role, tenant)
        self.tenant = tenant

    async def post(self, path: str, json: Any, *, key: str | None = None, method: str = "POST") -> httpx.Response:
        headers = {**self.headers, "Idempotency-Key": key or uuid.uuid4().hex}
        return await self.client.request(method, P + path, json=json, headers=headers)

    async def ok(self, path: str, json: Any, status: int = 201, method: str = "POST") -> dict[str, Any]:
        response = await self.post(path, json, method=method)
        assert response.status_code == status, response.text
        return response.json()  # type: ignore[no-any-return]

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(P + path, headers=self.headers, params=params)

    async def move(self, loan_id: str, move: str, **fields: Any) -> httpx.Response:
        return await self.post(f"/loans/{loan_id}/transitions", {"move": move, **fields})


async def register_bank(operator: Api, bank_id: str | None = None) -> str:
    """A registered bank; returns its id."""
    bank_id = bank_id or f"bank-{uuid.uuid4().hex[:8]}"
    await operator.ok("/banks", {"id": bank_id, "name": f"Bank {bank_id}"})
    return bank_id


async def enterprise(api: Api) -> str:
    """A recorded enterprise; returns its credit code."""
    code = credit_code()
    await api.ok("/enterprises", {"credit_code": code, "name": f"Enterprise {code[-6:]}"})
    return code


async def right(api: Api, owner: str, kind: str = "patent", value: str = "1000000.00") -> dict[str, Any]:
    """An appraised right of `owner`; returns its public view."""
    if kind == "patent":
        body: dict[str, Any] = {
            "kind": "patent",
            "number": patent_number(),
            "title": "A method",
            "owner_credit_code": owner,
        }
    else:
        body = {
            "kind": "trademark",
            "number": trademark_number(),
            "trademark_class": 9,
            "title": "Mark",
            "owner_credit_code": owner,
        }
    created = await api.ok("/rights", body)
    await api.ok(
        f"/rights/{created['id']}/appraisals",
        {"value": value, "valuer": "Tianjin Valuers", "appraised_date": "2026-10-01"},
    )
    return created


async def submit(
    bank: Api,
    *,
    amount: str = "1000000.00",
    kinds: tuple[str, ...] = ("patent",),
    owner: str | None = None,
    other_collateral: str = "0",
    value: str = "1000000.00",
    **parties: str,
) -> dict[str, Any]:
    """A submitted loan on fresh appraised rights; `parties` names its guarantor, insurer or
    valuer (a loan names none of them unless told)."""
    owner = owner or await enterprise(bank)
    rights = [await right(bank, owner, kind, value) for kind in kinds]
    return await bank.ok(
        "/loans",
        {
            "enterprise_credit_code": owner,
            "amount": amount,
            "term_months": 12,
            "right_ids": [r["id"] for r in rights],
            "other_collateral_value": other_collateral,
            **parties,
        },
    )


PATHS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "submitted": [],
    "approved": [("approve", {})],
    "rejected": [("reject", {"reason": "weak"})],
    "withdrawn": [("withdraw", {})],
    "registered": [
        ("approve", {}),
        ("register", {"registration_number": "Y2026980001234", "registered_date": "2026-11-02"}),
    ],
}
PATHS["disbursed"] = [*PATHS["registered"], ("disburse", {})]
PATHS["overdue"] = [*PATHS["disbursed"], ("mark_overdue", {"overdue_since": "2026-10-01", "as_of": "2026-11-01"})]
PATHS["defaulted"] = [*PATHS["overdue"], ("default", {})]
PATHS["closed_written_off"] = [*PATHS["defaulted"], ("write_off", {})]


async def drive(bank: Api, loan_id: str, status: str) -> None:
    """Move a submitted loan to `status` through the API (compensated and closed_repaid need more)."""
    for move, fields in PATHS[status]:
        response = await bank.move(loan_id, move, **fields)
        assert response.status_code == 200, response.text


async def defaulted_loan(bank: Api, **kwargs: Any) -> dict[str, Any]:
    """A submitted loan (`submit`'s arguments) driven to default; its public view."""
    loan = await submit(bank, **kwargs)
    await drive(bank, loan["id"], "defaulted")
    return (await bank.get(f"/loans/{loan['id']}")).json()  # type: ignore[no-any-return]


async def set_rows(url: str, model: Any, row_id: Any, **values: Any) -> None:
    """Back-date a row straight in the database (the API stamps the present; a rule about a past
    year or a district midnight needs another instant)."""
    engine = db.create_engine(url)
    try:
        async with db.transaction(db.make_sessionmaker(engine)) as session:
            await session.execute(update(model).where(model.id == row_id).values(**values))
    finally:
        await engine.dispose()


async def repay_in_full(bank: Api, loan_id: str, amount: str) -> dict[str, Any]:
    """Repay the whole principal (the loan closes)."""
    return await bank.ok(f"/loans/{loan_id}/repayments", {"principal": amount, "paid_date": str(date(2026, 11, 20))})


ZHONGSHAN = {"shares": {"pool": "54", "bank": "26", "insurer": "16", "valuer": "4"}}


async def pool_with_agreement(
    operator: Api, bank_id: str, *, funds: str = "10000000.00", terms: dict[str, Any] | None = None
) -> str:
    """A funded pool and an agreement for `bank_id`; returns the pool id."""
    pool_id = f"pool-{uuid.uuid4().hex[:8]}"
    await operator.ok("/pools", {"id": pool_id, "name": "Dongli IP pledge risk pool"})
    if funds != "0":
        await operator.ok(f"/pools/{pool_id}/contributions", {"source": "district", "amount": funds})
    await operator.ok("/pool-agreements", {"pool_id": pool_id, "bank_id": bank_id, "terms": terms or ZHONGSHAN})
    return pool_id
