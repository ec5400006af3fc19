"""Agency routes: an agency keeps its operation profile and reports its revenue; operators verify
or reject the reports. An agency sees only itself; another agency's records are 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, AgencyPrincipal, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from operations.agencies import service
from operations.agencies.schemas import (
    AgencyPage,
    AgencyPublic,
    ProfileUpdate,
    RevenueRejection,
    RevenueReportCreate,
    RevenueReportPage,
    RevenueReportPublic,
    RevenueVerification,
    agency_public,
    report_public,
)
from operations.enums import RevenueStatus

router = APIRouter()


@router.get("/agencies", response_model=AgencyPage)
async def list_agencies(
    principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> AgencyPage:
    """Agencies (the registry is the trusteeship service's; this service follows it): all of them
    for operators, itself for an agency."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_agencies(session, principal, limit=limit, offset=offset)
    return AgencyPage(items=[agency_public(r) for r in rows], total=total)


@router.get("/agencies/{agency_id}", response_model=AgencyPublic)
async def get_agency(agency_id: str, principal: AgencyOrOperator, runtime: Runtime) -> AgencyPublic:
    """One agency and its operation profile (an agency reads only itself)."""
    async with runtime.sessionmaker() as session:
        return agency_public(await service.get_agency(session, principal, agency_id))


@router.put("/agencies/{agency_id}/profile", response_model=AgencyPublic)
async def update_agency_profile(
    agency_id: str,
    body: ProfileUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Set the agency's business lines (transaction, licensing, valuation, investment and financing,
    enforcement, litigation, commercialisation): the agency itself or an operator."""

    async def work(session: AsyncSession) -> tuple[int, AgencyPublic]:
        return 200, agency_public(await service.update_profile(session, principal, agency_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/agencies/{agency_id}/revenue-reports", status_code=201, response_model=RevenueReportPublic)
async def submit_revenue_report(
    agency_id: str,
    body: RevenueReportCreate,
    request: Request,
    principal: AgencyPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """An agency reports its main-business revenue for a year (not a future year) with its evidence.
    A second report for the same year is a correction: the next version, the earlier ones kept.
    Only a verified version counts."""

    async def work(session: AsyncSession) -> tuple[int, RevenueReportPublic]:
        return 201, report_public(await service.submit_report(session, principal, agency_id, body))

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/revenue-reports", response_model=RevenueReportPage)
async def list_revenue_reports(
    principal: AgencyOrOperator,
    runtime: Runtime,
    agency_id: str | None = None,
    status: RevenueStatus | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RevenueReportPage:
    """Revenue reports with their versions (`status=submitted` is the operators' queue); an agency
    sees its own."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_reports(
            session, principal, agency_id=agency_id, status=status, year=year, limit=limit, offset=offset
        )
    return RevenueReportPage(items=[report_public(r) for r in rows], total=total)


@router.get("/revenue-reports/{report_id}", response_model=RevenueReportPublic)
async def get_revenue_report(report_id: str, principal: AgencyOrOperator, runtime: Runtime) -> RevenueReportPublic:
    """One version of a revenue report."""
    async with runtime.sessionmaker() as session:
        return report_public(await service.get_report(session, principal, report_id))


@router.post("/revenue-reports/{report_id}/verification", response_model=RevenueReportPublic)
async def verify_revenue_report(
    report_id: str,
    body: RevenueVerification,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """An operator verifies a submitted report against its evidence; the agency's figure for the
    year is then this version (409 with `allowed_moves` unless it is submitted)."""

    async def work(session: AsyncSession) -> tuple[int, RevenueReportPublic]:
        report = await service.decide_report(session, principal, report_id, "verify", body.note)
        return 200, report_public(report)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/revenue-reports/{report_id}/rejection", response_model=RevenueReportPublic)
async def reject_revenue_report(
    report_id: str,
    body: RevenueRejection,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """An operator rejects a submitted report, with the reason; the agency may submit a correction."""

    async def work(session: AsyncSession) -> tuple[int, RevenueReportPublic]:
        report = await service.decide_report(session, principal, report_id, "reject", body.reason)
        return 200, report_public(report)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
