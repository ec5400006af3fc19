"""The HTTP contract of the calendar, and its presenters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from enforcement.enums import DayKind
from enforcement.models import CalendarDay


class CalendarDayPut(BaseModel):
    """Declare a day a public holiday or a make-up working day."""

    kind: DayKind
    name: str = Field(min_length=1, max_length=100)


class CalendarDayPublic(BaseModel):
    """A holiday or make-up working day."""

    model_config = ConfigDict(from_attributes=True)

    day: date
    kind: str
    name: str
    updated_by: str
    updated_at: datetime


class CalendarPage(BaseModel):
    """Special days of a year."""

    items: list[CalendarDayPublic]


def calendar_day_public(row: CalendarDay) -> CalendarDayPublic:
    """A calendar entry as the API shows it."""
    return CalendarDayPublic.model_validate(row)


def calendar_page(rows: Sequence[CalendarDay]) -> CalendarPage:
    """Calendar entries as the API shows them."""
    return CalendarPage(items=[calendar_day_public(r) for r in rows])
