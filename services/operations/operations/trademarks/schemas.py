"""The overseas marks' HTTP contract and its presenters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from ipops.fields import JSON_INTEGER, BoundedDate, CreditCode, TrademarkNumber
from operations.enums import DesignationStatus
from operations.models import Designation, OverseasMark

# A Nice class: 1 to 45.
NiceClass = Annotated[int, Field(ge=1, le=45), JSON_INTEGER]


class Owner(BaseModel):
    """The holder of the basic mark and of the international registration."""

    credit_code: CreditCode
    name: str = Field(min_length=1, max_length=200)


class DesignationCreate(BaseModel):
    """A designated contracting party and where the mark stands there."""

    country: str = Field(min_length=1, max_length=8, description="ISO 3166-1 alpha-2, or EM / BX / OA")
    status: DesignationStatus = DesignationStatus.PENDING
    effective_on: BoundedDate | None = Field(default=None, description="when it entered the status (default: ir_date)")


class OverseasMarkCreate(BaseModel):
    """Register an international registration of a Chinese basic mark."""

    ir_number: str = Field(pattern=r"^[0-9]{1,10}$", description="WIPO international registration number")
    basic_mark_number: TrademarkNumber
    mark: str = Field(min_length=1, max_length=200)
    owner: Owner
    nice_classes: list[NiceClass] = Field(min_length=1, max_length=45)
    ir_date: BoundedDate
    designations: list[DesignationCreate] = Field(min_length=1, max_length=200)


class DesignationChange(BaseModel):
    """A designation's new status (a subsequent designation when the party is new)."""

    status: DesignationStatus
    effective_on: BoundedDate


class DesignationPublic(BaseModel):
    """One designated party."""

    country: str
    status: DesignationStatus
    status_on: date
    protected_on: date | None


class OverseasMarkPublic(BaseModel):
    """An overseas mark with its designations; `counts` says whether it counts toward the plan now."""

    id: str
    ir_number: str
    basic_mark_number: str
    mark: str
    owner: Owner
    nice_classes: list[int]
    ir_date: date
    designations: list[DesignationPublic]
    counts: bool
    created_at: datetime


class OverseasMarkPage(BaseModel):
    """A page of overseas marks."""

    items: list[OverseasMarkPublic]
    total: int


def mark_public(row: OverseasMark, designations: Sequence[Designation], counts: bool) -> OverseasMarkPublic:
    """A mark and its designations as the API shows them."""
    return OverseasMarkPublic(
        id=row.id,
        ir_number=row.ir_number,
        basic_mark_number=row.basic_mark_number,
        mark=row.mark,
        owner=Owner(credit_code=row.owner_credit_code, name=row.owner_name),
        nice_classes=list(row.nice_classes),
        ir_date=row.ir_date,
        designations=[
            DesignationPublic(
                country=d.country,
                status=DesignationStatus(d.status),
                status_on=d.status_on,
                protected_on=d.protected_on,
            )
            for d in designations
        ],
        counts=counts,
        created_at=row.created_at,
    )


class MarkUploadAccepted(BaseModel):
    """A bulk upload of overseas marks saved whole."""

    row_count: int
    mark_ids: list[str]


def _designation(item: str) -> dict[str, str]:
    country, _, status = item.partition(":")
    return {"country": country.strip(), "status": status.strip() or "pending"}


def _nice_class(cell: str) -> int | str:
    # A spreadsheet's cell is text; a class written in digits is the number the body takes, and
    # anything else is left as written so the model refuses it naming the field.
    return int(cell) if cell.isascii() and cell.isdigit() and len(cell) <= 3 else cell


def mark_from_row(cells: dict[str, str], split: Callable[[str], list[str]]) -> OverseasMarkCreate:
    """One uploaded row as the body `POST /trademarks` takes (ValidationError naming its field).
    `nice_classes` and `designations` are lists; a designation may carry its status (`US:protected`)."""
    return OverseasMarkCreate.model_validate(
        {
            "ir_number": cells.get("ir_number", ""),
            "basic_mark_number": cells.get("basic_mark_number", ""),
            "mark": cells.get("mark", ""),
            "owner": {"credit_code": cells.get("owner_credit_code", ""), "name": cells.get("owner_name", "")},
            "nice_classes": [_nice_class(c) for c in split(cells.get("nice_classes", ""))],
            "ir_date": cells.get("ir_date", ""),
            "designations": [_designation(d) for d in split(cells.get("designations", ""))],
        }
    )
