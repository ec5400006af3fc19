"""Agency routes: operators register agencies and change their contracts; an agency reads itself."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from trusteeship.agencies import service
from trusteeship.agencies.schemas import AgencyCreate, AgencyPage, AgencyPublic, AgencyUpdate, agency_public

router = APIRouter()


@router.post("/agencies", status_code=201, response_model=AgencyPublic)
async def register_agency(
    body: AgencyCreate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Register a service agency in the district's one registry of agencies (operators only),
    under its trusteeship purchase contract, or without one (quota 0: it cannot enrol; an agency
    of another programme). Announced as `ipops.trusteeship.agency.registered.v1`."""

    async def work(session: AsyncSession) -> tuple[int, AgencyPublic]:
        agency = await service.register_agency(session, body)
        return 201, agency_public(agency)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.patch("/agencies/{agency_id}", response_model=AgencyPublic)
async def update_agency(
    agency_id: str,
    body: AgencyUpdate,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Change an agency's entry or contract: name, credit code, number, period, quota, scope
    (operators only). Announced as `ipops.trusteeship.agency.updated.v1`."""

    async def work(session: AsyncSession) -> tuple[int, AgencyPublic]:
        agency = await service.update_agency(session, agency_id, body)
        return 200, agency_public(agency)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/agencies", response_model=AgencyPage)
async def list_agencies(
    principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> AgencyPage:
    """Agencies: all of them for operators; an agency sees itself."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_agencies(session, principal, limit=limit, offset=offset)
    return AgencyPage(items=[agency_public(r) for r in rows], total=total)


@router.get("/agencies/{agency_id}", response_model=AgencyPublic)
async def get_agency(agency_id: str, principal: AgencyOrOperator, runtime: Runtime) -> AgencyPublic:
    """One agency and its contract."""
    async with runtime.sessionmaker() as session:
        agency = await service.get_agency(session, principal, agency_id)
    return agency_public(agency)
