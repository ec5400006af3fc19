"""Navigation routes under /api/v1/navigation: parse, authorise, open the transaction, call a use case.

Every write an undertaking organisation can make takes an `Idempotency-Key`. An organisation reads
and changes only its own projects (another's is 404); `/public/...` needs no token and shows
accepted projects only.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
import uuid
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal, Principal
from ipops.errors import BadRequest, NotFound
from ipops.fields import CreditCode
from ipops.idempotency import IdempotencyKey, IdempotencyRecord, idempotent_write
from ipops.money import format_yuan
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime, ServiceRuntime
from navigation import repository, service, upload
from navigation.config import NavigationSettings
from navigation.domain import portfolio as portfolio_rules
from navigation.domain import project as rules
from navigation.enums import DeliverableKind, Industry, Phase, ProjectKind, ProjectStatus
from navigation.landscape import analysis, report
from navigation.models import Dataset, Portfolio, Project, ProjectMilestone
from navigation.schemas import (
    DatasetList,
    DatasetPublic,
    DeliverableList,
    DeliverablePublic,
    DeliverableSubmit,
    DistrictEnterpriseList,
    DistrictEnterprisePublic,
    DistrictEnterpriseUpsert,
    GatePublic,
    LandscapeRequest,
    MilestoneCreate,
    MilestoneList,
    MilestonePublic,
    MilestoneUpdate,
    NavigationStatistics,
    PortfolioCreate,
    PortfolioPage,
    PortfolioPatentList,
    PortfolioPatentPublic,
    PortfolioPatentsReplace,
    PortfolioPublic,
    ProjectCreate,
    ProjectPage,
    ProjectPublic,
    ProjectTransition,
    ProjectUpdate,
    PublicProjectPage,
    PublicProjectSummary,
    StateChangePublic,
)

PREFIX = "/api/v1/navigation"
router = APIRouter(prefix=PREFIX, tags=["navigation"])
public_router = APIRouter(prefix=f"{PREFIX}/public", tags=["public"])


def project_public(project: Project, present: Collection[str]) -> ProjectPublic:
    """The public form of a project with its deliverables and open gate."""
    kinds = [k for k in DeliverableKind if k.value in present]
    gate = None
    if project.phase is not None and project.status in (ProjectStatus.IN_PROGRESS, ProjectStatus.UNDER_REVIEW):
        phase = Phase(project.phase)
        gate = GatePublic(phase=phase, missing=rules.missing_deliverables(phase, kinds))
    return ProjectPublic(
        id=project.id,
        kind=ProjectKind(project.kind),
        gbt_part=project.gbt_part,
        title=project.title,
        industry=Industry(project.industry),
        undertaking_org_id=project.undertaking_org_id,
        undertaking_org_name=project.undertaking_org_name,
        beneficiary_credit_code=project.beneficiary_credit_code,
        beneficiary_name=project.beneficiary_name,
        budget=format_yuan(project.budget_fen),
        start_date=project.start_date,
        planned_end_date=project.planned_end_date,
        summary=project.summary,
        status=ProjectStatus(project.status),
        phase=Phase(project.phase) if project.phase else None,
        version=project.version,
        deliverables=kinds,
        gate=gate,
        proposed_at=project.proposed_at,
        approved_at=project.approved_at,
        under_review_at=project.under_review_at,
        accepted_at=project.accepted_at,
        rejected_at=project.rejected_at,
        updated_at=project.updated_at,
    )


async def _present(session: AsyncSession, project: Project) -> ProjectPublic:
    kinds = await repository.deliverable_kinds(session, [project.id])
    return project_public(project, kinds[project.id])


def milestone_public(milestone: ProjectMilestone) -> MilestonePublic:
    """A milestone with its overdue flag (as of today in UTC)."""
    assert milestone.id is not None
    return MilestonePublic(
        id=milestone.id,
        phase=Phase(milestone.phase),
        title=milestone.title,
        due_date=milestone.due_date,
        done_date=milestone.done_date,
        overdue=service.is_overdue(milestone, datetime.now(UTC).date()),
    )


def summary_public(project: Project) -> PublicProjectSummary:
    """What the public sees of an accepted project."""
    assert project.accepted_at is not None
    return PublicProjectSummary(
        id=project.id,
        kind=ProjectKind(project.kind),
        gbt_part=project.gbt_part,
        title=project.title,
        industry=Industry(project.industry),
        undertaking_org_name=project.undertaking_org_name,
        beneficiary_name=project.beneficiary_name,
        summary=project.summary,
        accepted_at=project.accepted_at,
    )


# --- projects ------------------------------------------------------------------------------------


@router.post("/projects", status_code=201, response_model=ProjectPublic)
async def create_project(
    body: ProjectCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Propose a navigation project (industry planning, GB/T 39551.3, or enterprise operation,
    GB/T 39551.4). An organisation proposes its own; the district office names the organisation."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project = await service.create_project(session, principal, body)
        return 201, project_public(project, ())

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects", response_model=ProjectPage)
async def list_projects(
    principal: AgencyOrOperator,
    runtime: Runtime,
    kind: ProjectKind | None = None,
    status: ProjectStatus | None = None,
    industry: Industry | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ProjectPage:
    """Projects, newest first: all for the district office, its own for an organisation."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_projects(
            session, principal, kind=kind, status=status, industry=industry, limit=limit, offset=offset
        )
        present = await repository.deliverable_kinds(session, [r.id for r in rows])
    return ProjectPage(items=[project_public(r, present[r.id]) for r in rows], total=total)


@router.get("/projects/{project_id}", response_model=ProjectPublic)
async def get_project(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> ProjectPublic:
    """One project, its deliverables present and what its current gate still needs."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        return await _present(session, project)


@router.patch("/projects/{project_id}", response_model=ProjectPublic)
async def update_project(
    project_id: str,
    body: ProjectUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Change a project's plan before it is accepted or rejected."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project = await service.update_project(session, principal, project_id, body)
        return 200, await _present(session, project)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post(
    "/projects/{project_id}/transitions",
    response_model=ProjectPublic,
    responses={409: {"description": "illegal move: `allowed_moves`; a closed gate also lists `missing`"}},
)
async def move_project(
    project_id: str,
    body: ProjectTransition,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Move a project: `approve`, `reject`, `return_for_rework` and `accept` are the district
    office's; `complete_phase` closes the current phase (preparation → retrieval → analysis →
    review) once its deliverables are present, else 409 with `missing`."""

    async def work(session: AsyncSession) -> tuple[int, ProjectPublic]:
        project = await service.move_project(session, principal, project_id, body)
        return 200, await _present(session, project)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/history", response_model=list[StateChangePublic])
async def project_history(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> list[StateChangePublic]:
    """Every move of a project, oldest first."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        rows = await repository.history_of(session, project.id)
    return [StateChangePublic.model_validate(r) for r in rows]


# --- deliverables --------------------------------------------------------------------------------


@router.post("/projects/{project_id}/deliverables", status_code=201, response_model=DeliverablePublic)
async def submit_deliverable(
    project_id: str,
    body: DeliverableSubmit,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Submit (or resubmit, as a new revision) a deliverable: `technology_decomposition`,
    `search_strategy` (with its cut-off date), `report`, or `acceptance_opinion` (district office
    only). The data-set snapshot is recorded by uploading a data set."""

    async def work(session: AsyncSession) -> tuple[int, DeliverablePublic]:
        row = await service.submit_deliverable(session, principal, project_id, body)
        return 201, DeliverablePublic.model_validate(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/deliverables", response_model=DeliverableList)
async def list_deliverables(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DeliverableList:
    """The deliverables of a project."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        rows = await repository.deliverables_of(session, project.id)
    return DeliverableList(items=[DeliverablePublic.model_validate(r) for r in rows])


# --- milestones ----------------------------------------------------------------------------------


@router.post("/projects/{project_id}/milestones", status_code=201, response_model=MilestonePublic)
async def add_milestone(
    project_id: str,
    body: MilestoneCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Add a dated milestone to a project's plan."""

    async def work(session: AsyncSession) -> tuple[int, MilestonePublic]:
        milestone = await service.add_milestone(session, principal, project_id, body)
        return 201, milestone_public(milestone)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/projects/{project_id}/milestones/{milestone_id}", response_model=MilestonePublic)
async def update_milestone(
    project_id: str,
    milestone_id: int,
    body: MilestoneUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Mark a milestone done (`done_date`) or move its due date."""

    async def work(session: AsyncSession) -> tuple[int, MilestonePublic]:
        milestone = await service.update_milestone(session, principal, project_id, milestone_id, body)
        return 200, milestone_public(milestone)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/projects/{project_id}/milestones", response_model=MilestoneList)
async def list_milestones(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> MilestoneList:
    """A project's milestones by due date, overdue ones flagged."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        rows = await repository.milestones_of(session, project.id)
    return MilestoneList(items=[milestone_public(r) for r in rows])


# --- public --------------------------------------------------------------------------------------


@public_router.get("/projects", response_model=PublicProjectPage)
async def list_public_projects(
    runtime: Runtime,
    kind: ProjectKind | None = None,
    industry: Industry | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PublicProjectPage:
    """Accepted navigation projects (no token needed): summaries only."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_accepted_projects(
            session, kind=kind, industry=industry, limit=limit, offset=offset
        )
    return PublicProjectPage(items=[summary_public(r) for r in rows], total=total)


@public_router.get("/projects/{project_id}", response_model=PublicProjectSummary)
async def get_public_project(project_id: str, runtime: Runtime) -> PublicProjectSummary:
    """The summary of one accepted project (404 for any project not accepted)."""
    async with runtime.sessionmaker() as session:
        project = await repository.accepted_project(session, project_id)
    if project is None:
        raise NotFound(f"no accepted project {project_id}")
    return summary_public(project)


# --- data sets and landscapes --------------------------------------------------------------------


def _settings(runtime: ServiceRuntime) -> NavigationSettings:
    settings = runtime.settings
    assert isinstance(settings, NavigationSettings)
    return settings


def _options(settings: NavigationSettings, district: list[str]) -> analysis.AnalysisOptions:
    return analysis.AnalysisOptions(
        district_applicants=district,
        district_name=settings.district_name or None,
        memory_limit=settings.duckdb_memory_limit,
        threads=settings.duckdb_threads,
        temp_dir=settings.data_dir / "duckdb-tmp",
    )


async def _analyse(runtime: ServiceRuntime, path: Path, fmt: str) -> tuple[dict[str, Any], int]:
    """The landscape of a file, computed in a worker thread (DuckDB releases the GIL)."""
    async with runtime.sessionmaker() as session:
        district = await repository.district_names(session)
    started = time.perf_counter()
    result = await asyncio.to_thread(analysis.analyse, path, fmt, _options(_settings(runtime), district))
    return result, int((time.perf_counter() - started) * 1000)


@router.post(
    "/projects/{project_id}/datasets",
    status_code=201,
    response_model=DatasetPublic,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
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
    filename: Annotated[str | None, Query(max_length=300)] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Upload the project's patent data set as CSV (`text/csv`, lists joined by `;`) or JSON Lines
    (`application/x-ndjson`, lists as arrays), with the columns `publication_number,
    application_number, title, abstract, applicants, inventors, application_date, publication_date,
    ipc, legal_status, region, pct, family_id, address` (application_number and applicants required;
    common Chinese headers such as 申请号 and 申请人 are understood).

    The body is streamed to disk, analysed by DuckDB and kept as the project's data-set snapshot;
    the landscape is at `/datasets/{id}/landscape` (JSON) and `/datasets/{id}/report` (HTML)."""
    settings = _settings(runtime)
    if idempotency_key is None:
        raise BadRequest(
            "the Idempotency-Key header is required for this write",
            errors=[{"field": "header.Idempotency-Key", "message": "missing"}],
        )
    fmt = upload.media_format(request.headers.get("content-type"))
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        replay = await session.get(IdempotencyRecord, (principal.owner_key, idempotency_key))
    if replay is None:  # a retry is answered with its first response even if the project moved on
        service.check_project_takes_data(project)
    directory = settings.data_dir / "datasets"
    stored = await upload.store(request.stream(), directory, max_bytes=settings.max_upload_bytes)
    dataset_id = str(uuid.uuid4())
    final = directory / f"{dataset_id}.{fmt.value}"
    try:
        landscape, elapsed = (None, 0) if replay is not None else await _analyse(runtime, stored.path, fmt.value)

        async def work(session: AsyncSession) -> tuple[int, DatasetPublic]:
            nonlocal landscape, elapsed
            if landscape is None:  # the earlier attempt with this key failed: analyse after all
                landscape, elapsed = await _analyse(runtime, stored.path, fmt.value)
            dataset = await service.record_dataset(
                session,
                principal,
                project_id,
                dataset_id=dataset_id,
                fmt=fmt.value,
                filename=filename,
                stored_name=final.name,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                landscape=landscape,
                analysis_ms=elapsed,
            )
            await anyio.Path(stored.path).rename(final)
            return 201, DatasetPublic.model_validate(dataset)

        return await idempotent_write(
            runtime, request, principal, idempotency_key, work, body_digest=f"sha256:{stored.sha256}"
        )
    finally:
        await anyio.Path(stored.path).unlink(missing_ok=True)  # gone already when kept under its id


@router.get("/projects/{project_id}/datasets", response_model=DatasetList)
async def list_datasets(project_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DatasetList:
    """A project's data sets, newest first."""
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, project_id)
        rows = await repository.datasets_of(session, project.id)
    return DatasetList(items=[DatasetPublic.model_validate(r) for r in rows])


async def _dataset(runtime: ServiceRuntime, principal: Principal, dataset_id: str) -> Dataset:
    async with runtime.sessionmaker() as session:
        dataset = await repository.readable_dataset(session, principal, dataset_id)
    if dataset is None:
        raise NotFound(f"no data set {dataset_id}")
    return dataset


@router.get("/datasets/{dataset_id}", response_model=DatasetPublic)
async def get_dataset(dataset_id: str, principal: AgencyOrOperator, runtime: Runtime) -> DatasetPublic:
    """One data set's facts."""
    return DatasetPublic.model_validate(await _dataset(runtime, principal, dataset_id))


@router.get("/datasets/{dataset_id}/landscape", response_model=dict[str, Any])
async def get_landscape(dataset_id: str, principal: AgencyOrOperator, runtime: Runtime) -> dict[str, Any]:
    """The landscape of a data set as JSON (schema `ipops.navigation.landscape.v1`)."""
    return (await _dataset(runtime, principal, dataset_id)).landscape


@router.get("/datasets/{dataset_id}/report", response_class=HTMLResponse)
async def get_report(dataset_id: str, principal: AgencyOrOperator, runtime: Runtime) -> HTMLResponse:
    """The landscape as a printable HTML page with its charts inline (no external requests)."""
    dataset = await _dataset(runtime, principal, dataset_id)
    async with runtime.sessionmaker() as session:
        project = await service.load_project(session, principal, dataset.project_id)
    page = report.render(
        dataset.landscape,
        title=f"{project.title} — 专利导航 patent landscape",
        subtitle=f"{project.undertaking_org_name} · GB/T 39551.{project.gbt_part}",
        meta=[
            ("data set", dataset.filename or dataset.id),
            ("sha256", dataset.sha256),
            ("uploaded", dataset.uploaded_at.isoformat()),
        ],
    )
    return HTMLResponse(page)


@router.post("/landscape", response_model=dict[str, Any])
async def landscape_of_records(body: LandscapeRequest, principal: AgencyOrOperator, runtime: Runtime) -> dict[str, Any]:
    """The landscape of records sent in the request (nothing is stored): the same analysis as an
    uploaded data set, for small sets and previews."""
    settings = _settings(runtime)
    directory = settings.data_dir / "scratch"
    await anyio.Path(directory).mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", dir=directory, delete=False, encoding="utf-8") as out:
        path = Path(out.name)
        for record in body.records:
            out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
    try:
        result, _ = await _analyse(runtime, path, "jsonl")
    finally:
        await anyio.Path(path).unlink(missing_ok=True)
    return result


# --- district enterprises ------------------------------------------------------------------------


@router.put("/district-enterprises/{credit_code}", response_model=DistrictEnterprisePublic)
async def upsert_district_enterprise(
    credit_code: CreditCode, body: DistrictEnterpriseUpsert, principal: OperatorPrincipal, runtime: Runtime
) -> DistrictEnterprisePublic:
    """Add or change an enterprise of the district (operators only): its name and aliases mark
    "the district's own applicants" in every landscape computed afterwards."""
    async with runtime.transaction() as session:
        row = await service.upsert_district_enterprise(session, credit_code, body)
    return DistrictEnterprisePublic.model_validate(row)


@router.get("/district-enterprises", response_model=DistrictEnterpriseList)
async def list_district_enterprises(principal: AgencyOrOperator, runtime: Runtime) -> DistrictEnterpriseList:
    """The district's enterprises."""
    async with runtime.sessionmaker() as session:
        rows = await repository.district_enterprises(session)
    return DistrictEnterpriseList(items=[DistrictEnterprisePublic.model_validate(r) for r in rows])


# --- portfolios ----------------------------------------------------------------------------------


def portfolio_public(portfolio: Portfolio) -> PortfolioPublic:
    """A portfolio with what it still lacks."""
    assessment = portfolio_rules.Assessment(portfolio.patent_count, portfolio.invention_count, portfolio.pct_count)
    return PortfolioPublic(
        id=portfolio.id,
        credit_code=portfolio.credit_code,
        enterprise_name=portfolio.enterprise_name,
        name=portfolio.name,
        project_id=portfolio.project_id,
        owner_org_id=portfolio.owner_org_id,
        patent_count=portfolio.patent_count,
        invention_count=portfolio.invention_count,
        pct_count=portfolio.pct_count,
        qualified=portfolio.qualified,
        inventions_short=assessment.inventions_short,
        pct_short=assessment.pct_short,
        first_qualified_at=portfolio.first_qualified_at,
        version=portfolio.version,
        created_at=portfolio.created_at,
        updated_at=portfolio.updated_at,
    )


@router.post("/portfolios", status_code=201, response_model=PortfolioPublic)
async def create_portfolio(
    body: PortfolioCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register an enterprise's patent portfolio. It qualifies as high-value with at least 50
    invention patents and at least 10 PCT applications, and then counts toward the plan's 20."""

    async def work(session: AsyncSession) -> tuple[int, PortfolioPublic]:
        portfolio = await service.create_portfolio(session, principal, body)
        return 201, portfolio_public(portfolio)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.put("/portfolios/{portfolio_id}/patents", response_model=PortfolioPublic)
async def replace_portfolio_patents(
    portfolio_id: str,
    body: PortfolioPatentsReplace,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Replace the portfolio's patent list; it is checked again at once."""

    async def work(session: AsyncSession) -> tuple[int, PortfolioPublic]:
        portfolio = await service.replace_portfolio_patents(session, principal, portfolio_id, list(body.patents))
        return 200, portfolio_public(portfolio)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/portfolios", response_model=PortfolioPage)
async def list_portfolios(
    principal: AgencyOrOperator,
    runtime: Runtime,
    credit_code: str | None = None,
    qualified: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PortfolioPage:
    """Portfolios: all for the district office, its own registrations for an organisation."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_portfolios(
            session, principal, credit_code=credit_code, qualified=qualified, limit=limit, offset=offset
        )
    return PortfolioPage(items=[portfolio_public(r) for r in rows], total=total)


@router.get("/portfolios/{portfolio_id}", response_model=PortfolioPublic)
async def get_portfolio(portfolio_id: str, principal: AgencyOrOperator, runtime: Runtime) -> PortfolioPublic:
    """One portfolio and how it measures."""
    async with runtime.sessionmaker() as session:
        portfolio = await repository.readable_portfolio(session, principal, portfolio_id)
    if portfolio is None:
        raise NotFound(f"no portfolio {portfolio_id}")
    return portfolio_public(portfolio)


@router.get("/portfolios/{portfolio_id}/patents", response_model=PortfolioPatentList)
async def list_portfolio_patents(
    portfolio_id: str, principal: AgencyOrOperator, runtime: Runtime
) -> PortfolioPatentList:
    """The patents of a portfolio with their type and PCT flag."""
    async with runtime.sessionmaker() as session:
        portfolio = await repository.readable_portfolio(session, principal, portfolio_id)
        if portfolio is None:
            raise NotFound(f"no portfolio {portfolio_id}")
        rows = await repository.portfolio_patents(session, portfolio.id)
    return PortfolioPatentList(items=[PortfolioPatentPublic.model_validate(r) for r in rows])


# --- statistics ----------------------------------------------------------------------------------


@router.get("/statistics", response_model=NavigationStatistics)
async def statistics(principal: AgencyOrOperator, runtime: Runtime) -> NavigationStatistics:
    """Projects by kind and status against the plan's 15 industry-planning and 45
    enterprise-operation projects (accepted ones count); qualified portfolios against 20."""
    async with runtime.sessionmaker() as session:
        return await service.statistics(session)


@public_router.get("/statistics", response_model=NavigationStatistics)
async def public_statistics(runtime: Runtime) -> NavigationStatistics:
    """The same aggregated progress for the public progress view (no token needed)."""
    async with runtime.sessionmaker() as session:
        return await service.statistics(session)
