"""The talent programme's HTTP contract and its presenters."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from ipops.fields import BoundedDate, CreditCode, JsonInt
from operations.models import Commissioner, TrainingSession


class TrainingCreate(BaseModel):
    """A training session held (operation, overseas disputes, ...)."""

    held_on: BoundedDate
    topic: str = Field(min_length=1, max_length=300)
    organiser: str = Field(min_length=1, max_length=200)
    attendance: JsonInt = Field(ge=0, le=100_000)


class TrainingPublic(BaseModel):
    """A training session."""

    id: str
    held_on: date
    topic: str
    organiser: str
    attendance: int


class TrainingPage(BaseModel):
    """A page of training sessions."""

    items: list[TrainingPublic]
    total: int


class CommissionerCreate(BaseModel):
    """A registered IP commissioner (知识产权专员) and the technical field they serve."""

    name: str = Field(min_length=1, max_length=100)
    field: str = Field(min_length=1, max_length=100, description="technical field")
    employer_credit_code: CreditCode | None = None
    registered_on: BoundedDate


class CommissionerPublic(BaseModel):
    """An IP commissioner."""

    id: str
    name: str
    field: str
    employer_credit_code: str | None
    registered_on: date


class CommissionerPage(BaseModel):
    """A page of commissioners."""

    items: list[CommissionerPublic]
    total: int


def training_public(row: TrainingSession) -> TrainingPublic:
    """A training row as the API shows it."""
    return TrainingPublic(id=row.id, held_on=row.held_on, topic=row.topic, organiser=row.organiser,
                          attendance=row.attendance)  # fmt: skip


def commissioner_public(row: Commissioner) -> CommissionerPublic:
    """A commissioner row as the API shows it."""
    return CommissionerPublic(id=row.id, name=row.name, field=row.field, employer_credit_code=row.employer_credit_code,
                              registered_on=row.registered_on)  # fmt: skip
