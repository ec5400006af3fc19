"""Routes of data sets and landscapes: parse, authorise, open the transaction, call a use case,
present. A data set is read by whoever may read its project (another organisation's is 404)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime
from ipops.uploads import TABULAR_UPLOAD_BODY
from navigation.common import PREFIX
from navigation.datasets import service, upload
from navigation.datasets.schemas import (
    DatasetList,
    DatasetPublic,
    LandscapeRequest,
    dataset_public,
    report_page,
)

router = APIRouter(prefix=PREFIX, tags=["navigation"])


@router.post(
    "/projects/{project_id}/datasets",
    status_code=201,
    response_model=DatasetPublic,
    openapi_extra=TABULAR_UPLOAD_BODY,
    responses={
        413: {"description": "larger than NAVIGATION_MAX_UPLOAD_BYTES"},
        415: {"description": "neither CSV nor JSON Lines"},
        422: {"description": "unreadable file or a required column missing (`errors` names it)"},
    },
)
async def upload_dataset(
    project_id: str,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
    filename: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    """Upload the project's patent data set as CSV (`text/csv`, lists joined by `;`) or JSON Lines
    (`application/x-ndjson`, lists as arrays), with the columns `publication_number,
    application_number, title, abstract, applicants, inventors, application_date, publication_date,
    ipc, legal_status, region, pct, family_id, address` (application_number and applicants required;
    common Chinese headers such as 申请号 and 申请人 are understood).

    The body is streamed to disk, analysed by DuckDB and kept as the project's data-set snapshot;
    the landscape is at `/datasets/{id}/landscape` (JSON) and `/datasets/{id}/report` (HTML)."""
    fmt = upload.media_format(request.headers.get("content-type"))
    async with service.receive_dataset(
        runtime, principal, project_id, fmt, request.stream(), idempotency_key=idempotency_key
    ) as received:

        async def work(session: AsyncSession) -> tuple[int, DatasetPublic]:
            dataset = await service.keep_dataset(session, runtime, principal, project_id, received, filename=filename)
            return 201, dataset_public(dataset)

        return await idempotent_write(
            runtime, request, principal, idempotency_key, work, body_digest=received.body_digest
        )


@router.get("/projects/{project_id}/datasets", response_model=DatasetList)
async def list_datasets(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DatasetList:
    """A project's data sets, newest first."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_datasets(session, principal, project_id)
    return DatasetList(items=[dataset_public(r) for r in rows])


@router.get("/datasets/{dataset_id}", response_model=DatasetPublic)
async def get_dataset(dataset_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DatasetPublic:
    """One data set's facts."""
    async with runtime.sessionmaker() as session:
        dataset = await service.get_dataset(session, principal, dataset_id)
    return dataset_public(dataset)


@router.get("/datasets/{dataset_id}/landscape", response_model=dict[str, Any])
async def get_landscape(dataset_id: str, principal: AgencyOrOperator, runtime: Runtime) -> dict[str, Any]:
    """The landscape of a data set as JSON (schema `ipops.navigation.landscape.v1`)."""
    async with runtime.sessionmaker() as session:
        dataset = await service.get_dataset(session, principal, dataset_id)
    return dataset.landscape


@router.get("/datasets/{dataset_id}/report", response_class=HTMLResponse)
async def get_report(dataset_id: str, principal: AgencyOrOperator, runtime: Runtime) -> HTMLResponse:
    """The landscape as a printable HTML page with its charts inline (no external requests)."""
    async with runtime.sessionmaker() as session:
        dataset, project = await service.get_dataset_and_project(session, principal, dataset_id)
    return HTMLResponse(report_page(dataset, project))


@router.post("/landscape", response_model=dict[str, Any])
async def landscape_of_records(body: LandscapeRequest, principal: AgencyOrOperator, runtime: Runtime) -> dict[str, Any]:
    """The landscape of records sent in the request (nothing is stored): the same analysis as an
    uploaded data set, for small sets and previews."""
    return await service.landscape_of_records(runtime, body.records)
