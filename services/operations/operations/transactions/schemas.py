"""The transactions' HTTP contract and its presenters."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from ipops.fields import (
    PATENT_NUMBER_FORMAT,
    PATENT_NUMBER_LENGTH,
    PATENT_NUMBER_PATTERN,
    TRADEMARK_NUMBER_LENGTH,
    TRADEMARK_NUMBER_PATTERN,
    BoundedDate,
    CreditCode,
    JsonInt,
    Yuan,
)
from ipops.money import format_yuan
from operations.enums import PaymentForm, RightKind, TransactionKind, TransactionStatus
from operations.models import RoyaltyReport, Transaction


def _either_form(value: Any) -> Any:
    if not isinstance(value, str) or not any(
        low <= len(value) <= high and form.fullmatch(value) for form, (low, high) in _RIGHT_FORMS
    ):
        raise ValueError("a patent application number or a trademark registration number, in an accepted form")
    return value


_RIGHT_FORMS = (
    (re.compile(PATENT_NUMBER_PATTERN), PATENT_NUMBER_LENGTH),
    (re.compile(TRADEMARK_NUMBER_PATTERN), TRADEMARK_NUMBER_LENGTH),
)
# A right of the contract: a patent number (its check character verified) or a trademark number,
# in the forms ipops.fields declares. Which of the two a contract takes is its `right_kind`, a rule
# across fields: the number is checked for that kind in domain/transaction.py (rule-violation).
RightNumber = Annotated[
    str,
    BeforeValidator(_either_form),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PATENT_NUMBER_PATTERN, "format": PATENT_NUMBER_FORMAT},
                {
                    "type": "string",
                    "pattern": TRADEMARK_NUMBER_PATTERN,
                    "minLength": TRADEMARK_NUMBER_LENGTH[0],
                    "maxLength": TRADEMARK_NUMBER_LENGTH[1],
                },
            ],
            "description": "a Chinese patent application number (right_kind patent) or a trademark "
            "registration number (right_kind trademark), as ipops.fields declares them",
        },
        mode="validation",
    ),
]


class Party(BaseModel):
    """A party to a contract, identified by its unified social credit code."""

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200)


class TransactionCreate(BaseModel):
    """Register an assignment or licence. An agency registers the deals it brokered (it is named
    as the broker); an operator registers any deal."""

    kind: TransactionKind
    right_kind: RightKind
    right_numbers: list[RightNumber] = Field(min_length=1, max_length=500, description="patent or trademark numbers")
    transferor: Party = Field(description="assignor or licensor")
    transferee: Party = Field(description="assignee or licensee")
    territory: str = Field(default="CN", min_length=1, max_length=100)
    start_date: BoundedDate
    end_date: BoundedDate | None = Field(default=None, description="end of a licence's term (none for an assignment)")
    amount: Yuan = Field(description="contract amount in yuan (for a running royalty, any fixed part)")
    payment_form: PaymentForm
    contracted_on: BoundedDate = Field(
        description="the Beijing date the contract was signed: its amount counts that year"
    )
    recordal_number: str | None = Field(default=None, min_length=1, max_length=64, description="CNIPA recordal")
    recordal_date: BoundedDate | None = None
    agency_id: str | None = Field(default=None, max_length=64, description="the brokering operation agency")
    navigation_project_id: str | None = Field(default=None, max_length=64)
    pool_id: str | None = Field(default=None, max_length=32, description="the patent pool the licence is out of")


class Rescission(BaseModel):
    """A contract rescinded: its amount (and royalties) no longer count."""

    rescinded_on: BoundedDate
    reason: str = Field(min_length=1, max_length=500)


class RoyaltyCreate(BaseModel):
    """Running royalties paid for a year."""

    year: JsonInt = Field(ge=2000, le=2100)
    amount: Yuan


class RoyaltyPublic(BaseModel):
    """Royalties reported for a year."""

    id: str
    year: int
    amount: str = Field(description="yuan, two decimals")
    reported_at: datetime


class TransactionPublic(BaseModel):
    """A registered transaction."""

    id: str
    kind: TransactionKind
    right_kind: RightKind
    right_numbers: list[str]
    transferor: Party
    transferee: Party
    territory: str
    start_date: date
    end_date: date | None
    amount: str = Field(description="yuan, two decimals")
    payment_form: PaymentForm
    contracted_on: date
    recordal_number: str | None
    recordal_date: date | None
    agency_id: str | None
    navigation_project_id: str | None
    pool_id: str | None
    status: TransactionStatus
    rescinded_on: date | None
    royalties: list[RoyaltyPublic]
    created_at: datetime


class TransactionPage(BaseModel):
    """A page of transactions."""

    items: list[TransactionPublic]
    total: int


def royalty_public(row: RoyaltyReport) -> RoyaltyPublic:
    """A royalty row as the API shows it."""
    return RoyaltyPublic(id=row.id, year=row.year, amount=format_yuan(row.amount_fen), reported_at=row.reported_at)


def transaction_public(row: Transaction, royalties: Sequence[RoyaltyReport] = ()) -> TransactionPublic:
    """A transaction row (and its royalties) as the API shows it."""
    return TransactionPublic(
        id=row.id,
        kind=TransactionKind(row.kind),
        right_kind=RightKind(row.right_kind),
        right_numbers=list(row.right_numbers),
        transferor=Party(credit_code=row.transferor_credit_code, name=row.transferor_name),
        transferee=Party(credit_code=row.transferee_credit_code, name=row.transferee_name),
        territory=row.territory,
        start_date=row.start_date,
        end_date=row.end_date,
        amount=format_yuan(row.amount_fen),
        payment_form=PaymentForm(row.payment_form),
        contracted_on=row.contracted_on,
        recordal_number=row.recordal_number,
        recordal_date=row.recordal_date,
        agency_id=row.agency_id,
        navigation_project_id=row.navigation_project_id,
        pool_id=row.pool_id,
        status=TransactionStatus(row.status),
        rescinded_on=row.rescinded_on,
        royalties=[royalty_public(r) for r in royalties],
        created_at=row.created_at,
    )


class UploadAccepted(BaseModel):
    """A bulk upload saved whole."""

    upload_id: str
    row_count: int
    transaction_ids: list[str]
    total_amount: str = Field(description="yuan, two decimals: the contracts' amounts together")


def _or_none(cells: dict[str, str], name: str) -> str | None:
    return cells.get(name) or None


def transaction_from_row(cells: dict[str, str], split: Callable[[str], list[str]]) -> TransactionCreate:
    """One uploaded row as the body `POST /transactions` takes (ValidationError naming its field)."""
    return TransactionCreate.model_validate(
        {
            "kind": cells.get("kind", ""),
            "right_kind": cells.get("right_kind", ""),
            "right_numbers": split(cells.get("right_numbers", "")),
            "transferor": {
                "credit_code": cells.get("transferor_credit_code", ""),
                "name": cells.get("transferor_name", ""),
            },
            "transferee": {
                "credit_code": cells.get("transferee_credit_code", ""),
                "name": cells.get("transferee_name", ""),
            },
            "territory": cells.get("territory") or "CN",
            "start_date": cells.get("start_date", ""),
            "end_date": _or_none(cells, "end_date"),
            "amount": cells.get("amount", ""),
            "payment_form": cells.get("payment_form", ""),
            "contracted_on": cells.get("contracted_on", ""),
            "recordal_number": _or_none(cells, "recordal_number"),
            "recordal_date": _or_none(cells, "recordal_date"),
            "agency_id": _or_none(cells, "agency_id"),
            "navigation_project_id": _or_none(cells, "navigation_project_id"),
            "pool_id": _or_none(cells, "pool_id"),
        }
    )
