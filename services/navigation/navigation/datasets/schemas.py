"""The HTTP contract of data sets and of the direct landscape request, and the presenters of a
data set: its facts, and its landscape as the printable report page."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema

from navigation.datasets import report
from navigation.models import Dataset, Project


class DatasetPublic(BaseModel):
    """An uploaded data set (its landscape is served separately: it can be large)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    format: str
    filename: str | None
    size_bytes: int
    sha256: str
    record_count: int
    application_count: int
    analysis_ms: int
    uploaded_by: str
    uploaded_at: datetime


class DatasetList(BaseModel):
    """A project's data sets, newest first."""

    items: list[DatasetPublic]


# A bibliographic date (filed, published): YYYY-MM-DD from 1900 to 2100. Wider than the platform's
# business dates (ipops.fields.BoundedDate, from 2000): a landscape covers patents of any age.
RECORD_DATE_PATTERN = r"^(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"


def _record_date(value: Any) -> Any:
    if isinstance(value, date):  # built in Python, not read from a request
        return value
    if not isinstance(value, str) or not re.fullmatch(RECORD_DATE_PATTERN, value):
        raise ValueError("a date written YYYY-MM-DD, from 1900-01-01 to 2100-12-31")
    return date.fromisoformat(value)  # raises ValueError for a day the month does not have


RecordDate = Annotated[
    date,
    BeforeValidator(_record_date),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": RECORD_DATE_PATTERN, "description": "YYYY-MM-DD, 1900 to 2100"},
        mode="validation",
    ),
]


class PatentRecord(BaseModel):
    """One bibliographic record for the direct landscape endpoint (lists as arrays)."""

    model_config = ConfigDict(extra="ignore")

    publication_number: str | None = Field(default=None, max_length=40)
    application_number: str = Field(max_length=40)
    title: str | None = Field(default=None, max_length=1000)
    abstract: str | None = Field(default=None, max_length=10_000)
    applicants: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=50)
    inventors: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=100)
    application_date: RecordDate | None = None
    publication_date: RecordDate | None = None
    ipc: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=100)
    legal_status: str | None = Field(default=None, max_length=40)
    region: str | None = Field(default=None, max_length=60)
    pct: StrictBool = False
    family_id: str | None = Field(default=None, max_length=60)
    address: str | None = Field(default=None, max_length=300)


class LandscapeRequest(BaseModel):
    """Records to analyse at once, without storing them (up to 50,000; upload a data set beyond)."""

    records: list[PatentRecord] = Field(min_length=1, max_length=50_000)


def dataset_public(row: Dataset) -> DatasetPublic:
    """A data set's facts (without its landscape)."""
    return DatasetPublic.model_validate(row)


def report_page(dataset: Dataset, project: Project) -> str:
    """A data set's landscape as the HTML report, titled with its project."""
    return report.render(
        dataset.landscape,
        title=f"{project.title} — 专利导航 patent landscape",
        subtitle=f"{project.undertaking_org_name} · GB/T 39551.{project.gbt_part}",
        meta=[
            ("data set", dataset.filename or dataset.id),
            ("sha256", dataset.sha256),
            ("uploaded", dataset.uploaded_at.isoformat()),
        ],
    )
