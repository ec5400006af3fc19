"""The docket's HTTP contract and its presenters."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate, Yuan
from ipops.money import format_yuan
from trusteeship.domain import docket
from trusteeship.enums import DeadlineStatus
from trusteeship.models import FeeDeadline, FeePayment


class FeePaymentCreate(BaseModel):
    """Record the payment of an annual fee (possibly reduced; the surcharge is computed)."""

    paid_date: BoundedDate
    amount: Yuan


class FeePaymentPublic(BaseModel):
    """A recorded payment."""

    deadline_id: str
    paid_date: date
    amount: str
    surcharge: str
    recorded_at: datetime


class FeeDeadlinePublic(BaseModel):
    """One annual fee of a patent."""

    id: str
    patent_number: str
    credit_code: str
    patent_year: int
    due_date: date
    grace_end_date: date
    fee: str
    status: DeadlineStatus
    surcharge_if_paid_today: str | None = Field(description="null when not open or the grace period is over")
    payment: FeePaymentPublic | None = None


class FeeDeadlinePage(BaseModel):
    """Deadlines by due date."""

    items: list[FeeDeadlinePublic]
    total: int


class DocketRun(BaseModel):
    """Run the daily docket job for a given day (operators only)."""

    as_of: BoundedDate


class DocketRunResult(BaseModel):
    """What one run did; a second run for the same day does nothing more."""

    as_of: date
    deadlines_added: int
    reminders_sent: int
    patents_lapsed: int
    patents_expired: int


def payment_public(payment: FeePayment) -> FeePaymentPublic:
    """A payment row as the API shows it (amounts in yuan)."""
    return FeePaymentPublic(
        deadline_id=payment.deadline_id,
        paid_date=payment.paid_date,
        amount=format_yuan(payment.amount_fen),
        surcharge=format_yuan(payment.surcharge_fen),
        recorded_at=payment.recorded_at,
    )


def deadline_public(
    deadline: FeeDeadline, credit_code: str, payment: FeePayment | None, today: date
) -> FeeDeadlinePublic:
    """A deadline with its payment; an open one still payable shows what paying today would cost."""
    assert deadline.id is not None
    surcharge = None
    if deadline.status == DeadlineStatus.OPEN and today <= deadline.grace_end_date:
        surcharge = format_yuan(docket.surcharge_fen(deadline.fee_fen, deadline.due_date, today))
    return FeeDeadlinePublic(
        id=deadline.id,
        patent_number=deadline.patent_number,
        credit_code=credit_code,
        patent_year=deadline.patent_year,
        due_date=deadline.due_date,
        grace_end_date=deadline.grace_end_date,
        fee=format_yuan(deadline.fee_fen),
        status=DeadlineStatus(deadline.status),
        surcharge_if_paid_today=surcharge,
        payment=payment_public(payment) if payment else None,
    )


def docket_page(lines: list[tuple[FeeDeadline, str, FeePayment | None]], total: int, today: date) -> FeeDeadlinePage:
    """A page of deadlines, each with its enterprise and payment."""
    return FeeDeadlinePage(items=[deadline_public(d, c, p, today) for d, c, p in lines], total=total)
