"""The fund's HTTP contract and its presenters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate, CreditCode, DecimalText, Yuan
from ipops.money import format_yuan
from operations.models import Fund, Investment

# An equity share: above 0, at most 100 %, four decimals, written as a string like every decimal.
EquityPercent = Annotated[
    Decimal,
    DecimalText(
        4,
        2,
        positive=True,
        ceiling_power=2,
        what="an equity share in percent",
        description="equity share, percent: more than 0, at most 100, at most four decimals",
        example="12.5",
    ),
]


class FundCreate(BaseModel):
    """Set up a guidance fund (operators)."""

    name: str = Field(min_length=1, max_length=200)
    size: Yuan = Field(description="committed capital, yuan")
    established_on: BoundedDate


class InvestmentCreate(BaseModel):
    """An investment of the fund in an enterprise."""

    credit_code: CreditCode
    enterprise_name: str = Field(min_length=1, max_length=200)
    project: str = Field(min_length=1, max_length=300)
    amount: Yuan
    equity_pct: EquityPercent
    invested_on: BoundedDate
    pledge_loan_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="a pledge loan of the same enterprise (投贷联动)"
    )


class ExitCreate(BaseModel):
    """The fund exits an investment."""

    exited_on: BoundedDate
    exit_amount: Yuan


class InvestmentPublic(BaseModel):
    """An investment and its exit, if any."""

    id: str
    fund_id: str
    credit_code: str
    enterprise_name: str
    project: str
    amount: str = Field(description="yuan, two decimals")
    equity_pct: str
    invested_on: date
    pledge_loan_id: str | None
    exited_on: date | None
    exit_amount: str | None


class FundPublic(BaseModel):
    """A fund with what it has invested and what is still invested."""

    id: str
    name: str
    size: str = Field(description="yuan, two decimals")
    established_on: date
    invested: str = Field(description="yuan, two decimals: every investment made")
    outstanding: str = Field(description="yuan, two decimals: investments not exited")
    investments: list[InvestmentPublic]
    created_at: datetime


class FundPage(BaseModel):
    """A page of funds."""

    items: list[FundPublic]
    total: int


class InvestmentPage(BaseModel):
    """A page of investments."""

    items: list[InvestmentPublic]
    total: int


def investment_public(row: Investment) -> InvestmentPublic:
    """An investment row as the API shows it."""
    return InvestmentPublic(
        id=row.id,
        fund_id=row.fund_id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        project=row.project,
        amount=format_yuan(row.amount_fen),
        equity_pct=f"{row.equity_pct:.4f}",
        invested_on=row.invested_on,
        pledge_loan_id=row.pledge_loan_id,
        exited_on=row.exited_on,
        exit_amount=None if row.exit_amount_fen is None else format_yuan(row.exit_amount_fen),
    )


def fund_public(row: Fund, investments: list[Investment]) -> FundPublic:
    """A fund and its investments as the API shows them."""
    return FundPublic(
        id=row.id,
        name=row.name,
        size=format_yuan(row.size_fen),
        established_on=row.established_on,
        invested=format_yuan(sum(i.amount_fen for i in investments)),
        outstanding=format_yuan(sum(i.amount_fen for i in investments if i.exited_on is None)),
        investments=[investment_public(i) for i in investments],
        created_at=row.created_at,
    )
