"""Use cases of data sets: receiving an upload (streamed to disk, analysed by DuckDB in a worker
thread) and keeping it as the project's data-set snapshot, reading data sets and their projects,
and the landscape of records sent without storing them. Nothing here commits.

An upload is received in two steps because its analysis can take a minute: `receive_dataset`
checks the project, stores and analyses the body before any transaction opens, and
`keep_dataset` records it inside the caller's transaction (the route's `idempotent_write`), so a
retry under the same Idempotency-Key is answered with its first response.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.errors import NotFound
from ipops.runtime import ServiceRuntime
from navigation.common import actor
from navigation.config import NavigationSettings
from navigation.datasets import landscape, repository, upload
from navigation.datasets.schemas import PatentRecord
from navigation.domain import project as project_rules
from navigation.domain.applicants import AliasGroup
from navigation.enterprises.service import district_names, landscape_aliases
from navigation.enums import DatasetFormat, DeliverableKind, ProjectStatus
from navigation.models import Dataset, Project
from navigation.projects import repository as project_repository
from navigation.projects.service import load_project, put_deliverable

TAKES_DATA = "a data set is uploaded"


def _options(settings: NavigationSettings, district: list[str], aliases: list[AliasGroup]) -> landscape.AnalysisOptions:
    return landscape.AnalysisOptions(
        district_applicants=district,
        applicant_aliases=aliases,
        district_name=settings.district_name or None,
        memory_limit=settings.duckdb_memory_limit,
        threads=settings.duckdb_threads,
        temp_dir=settings.data_dir / "duckdb-tmp",
    )


async def analyse_file(runtime: ServiceRuntime, path: Path, fmt: DatasetFormat) -> tuple[dict[str, Any], int]:
    """The landscape of a file and the milliseconds it took, computed in a worker thread (DuckDB
    releases the GIL) with the district's enterprises and the alias table as they are now."""
    async with runtime.sessionmaker() as session:
        district = await district_names(session)
        aliases = await landscape_aliases(session)
    options = _options(runtime.settings_as(NavigationSettings), district, aliases)
    started = time.perf_counter()
    result = await asyncio.to_thread(landscape.analyse, path, fmt.value, options)
    return result, int((time.perf_counter() - started) * 1000)


# --- uploading -----------------------------------------------------------------------------------


@dataclass
class ReceivedDataset:
    """An upload on disk, with its landscape unless it repeats an earlier request."""

    id: str
    fmt: DatasetFormat
    stored: upload.StoredUpload
    final: Path  # where it is kept once recorded
    landscape: dict[str, Any] | None = None
    analysis_ms: int = 0

    @property
    def body_digest(self) -> str:
        """What identifies the request's body to the idempotency check (the body is on disk)."""
        return f"sha256:{self.stored.sha256}"


@contextlib.asynccontextmanager
async def receive_dataset(
    runtime: ServiceRuntime,
    principal: Principal,
    project_id: str,
    fmt: DatasetFormat,
    chunks: AsyncIterator[bytes],
    *,
    idempotency_key: str,
) -> AsyncIterator[ReceivedDataset]:
    """Receive an upload for a project the caller may see: it must take data (approved, not
    decided) unless the key repeats an earlier request, which is answered as it was even if the
    project moved on. The body is streamed to disk (413 past the limit) and analysed (422 when
    unreadable). The file is removed on the way out unless `keep_dataset` kept it."""
    settings = runtime.settings_as(NavigationSettings)
    async with runtime.sessionmaker() as session:
        project = await load_project(session, principal, project_id)
        replay = await repository.answered_before(session, principal, idempotency_key)
    if not replay:
        project_rules.check_takes_work(ProjectStatus(project.status), TAKES_DATA)
    directory = settings.data_dir / "datasets"
    stored = await upload.store(chunks, directory, max_bytes=settings.max_upload_bytes)
    dataset_id = str(uuid.uuid4())
    received = ReceivedDataset(dataset_id, fmt, stored, directory / f"{dataset_id}.{fmt.value}")
    try:
        if not replay:
            received.landscape, received.analysis_ms = await analyse_file(runtime, stored.path, fmt)
        yield received
    finally:
        await anyio.Path(stored.path).unlink(missing_ok=True)  # gone already when kept under its id


async def keep_dataset(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    project_id: str,
    received: ReceivedDataset,
    *,
    filename: str | None,
) -> Dataset:
    """Record a received upload as the project's data set and data-set snapshot deliverable, and
    keep its file under the data set's id."""
    if received.landscape is None:  # the earlier attempt with this key failed: analyse after all
        received.landscape, received.analysis_ms = await analyse_file(runtime, received.stored.path, received.fmt)
    project = await load_project(session, principal, project_id, for_update=True)
    project_rules.check_takes_work(ProjectStatus(project.status), TAKES_DATA)
    dataset = Dataset(
        id=received.id,
        project_id=project.id,
        format=received.fmt.value,
        filename=filename,
        stored_name=received.final.name,
        size_bytes=received.stored.size_bytes,
        sha256=received.stored.sha256,
        record_count=received.landscape["records"],
        application_count=received.landscape["applications"],
        landscape=received.landscape,
        analysis_ms=received.analysis_ms,
        uploaded_by=actor(principal),
        uploaded_at=utc_now(),
    )
    session.add(dataset)
    await session.flush()
    await _record_snapshot(session, project, principal, dataset)
    await anyio.Path(received.stored.path).rename(received.final)
    return dataset


async def _record_snapshot(session: AsyncSession, project: Project, principal: Principal, dataset: Dataset) -> None:
    """The data set as the project's data-set snapshot deliverable, with the search cut-off date."""
    strategy = await project_repository.get_deliverable(session, project.id, DeliverableKind.SEARCH_STRATEGY.value)
    cut_off = strategy.cut_off_date if strategy is not None else None
    content = {
        "sha256": dataset.sha256,
        "records": dataset.record_count,
        "applications": dataset.application_count,
        "format": dataset.format,
        "size_bytes": dataset.size_bytes,
        "search_cut_off_date": cut_off.isoformat() if cut_off is not None else None,
    }
    title = dataset.filename or f"data set {dataset.id}"
    fields: dict[str, object] = {"content": content, "dataset_id": dataset.id}
    await put_deliverable(session, project, principal, DeliverableKind.DATASET_SNAPSHOT, title, fields)


# --- reading -------------------------------------------------------------------------------------


async def list_datasets(session: AsyncSession, principal: Principal, project_id: str) -> Sequence[Dataset]:
    """The data sets of a project the caller may see, newest first."""
    project = await load_project(session, principal, project_id)
    return await repository.datasets_of(session, project.id)


async def get_dataset(session: AsyncSession, principal: Principal, dataset_id: str) -> Dataset:
    """A data set of a project the caller may see, or 404."""
    dataset = await repository.readable_dataset(session, principal, dataset_id)
    if dataset is None:
        raise NotFound(f"no data set {dataset_id}")
    return dataset


async def get_dataset_and_project(
    session: AsyncSession, principal: Principal, dataset_id: str
) -> tuple[Dataset, Project]:
    """A data set the caller may see and its project (what its report is titled with)."""
    dataset = await get_dataset(session, principal, dataset_id)
    return dataset, await load_project(session, principal, dataset.project_id)


async def landscape_of_records(runtime: ServiceRuntime, records: Sequence[PatentRecord]) -> dict[str, Any]:
    """The landscape of records sent in a request, analysed from a scratch file removed afterwards."""
    directory = runtime.settings_as(NavigationSettings).data_dir / "scratch"
    await anyio.Path(directory).mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", dir=directory, delete=False, encoding="utf-8") as out:
        path = Path(out.name)
        for record in records:
            out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
    try:
        result, _ = await analyse_file(runtime, path, DatasetFormat.JSONL)
    finally:
        await anyio.Path(path).unlink(missing_ok=True)
    return result
