"""The HTTP contract of data sets and of the direct landscape request, and the presenters of a
data set: its facts, and its landscape as the printable report page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

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


class PatentRecord(BaseModel):
    """One bibliographic record for the direct landscape endpoint (lists as arrays)."""

    model_config = ConfigDict(extra="ignore")

    publication_number: str | None = Field(default=None, max_length=40)
    application_number: str = Field(max_length=40)
    title: str | None = Field(default=None, max_length=1000)
    abstract: str | None = Field(default=None, max_length=10_000)
    applicants: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=50)
    inventors: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=100)
    application_date: date | None = None
    publication_date: date | None = None
    ipc: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=100)
    legal_status: str | None = Field(default=None, max_length=40)
    region: str | None = Field(default=None, max_length=60)
    pct: bool = False
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
