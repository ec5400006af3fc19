"""Enforcement routes under /api/v1/enforcement: parse, authorise, open the transaction, call a
use case, return a schema. Operators handle cases; an agency files and reads the cases it brought;
the public reads aggregates only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement import repository, service
from enforcement.enums import CaseStatus, CaseType
from enforcement.schemas import CaseCreate, CasePage, CasePublic
from ipops.auth import AgencyOrOperator
from ipops.errors import NotFound
from ipops.fields import CreditCode
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime

router = APIRouter(prefix="/api/v1/enforcement", tags=["enforcement"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


@router.post("/cases", status_code=201, response_model=CasePublic)
async def open_case(
    body: CaseCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Receive a case (intake). Operators file any case; an agency files one for its enterprise and
    is recorded as the case's requester agency. Publishes `case.opened` naming the rights and
    parties. Requires an Idempotency-Key."""

    async def work(session: AsyncSession) -> tuple[int, CasePublic]:
        case = await service.open_case(session, body, principal)
        return 201, (await service.describe(session, [case]))[0]

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/cases", response_model=CasePage)
async def list_cases(
    principal: AgencyOrOperator,
    runtime: Runtime,
    status: CaseStatus | None = None,
    case_type: CaseType | None = None,
    credit_code: Annotated[CreditCode | None, Query(description="cases naming this enterprise")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="received in this year")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CasePage:
    """Cases, newest first (an agency sees only the cases it brought)."""
    async with runtime.sessionmaker() as session:
        rows, total = await repository.list_cases(
            session,
            principal,
            status=status,
            case_type=case_type,
            credit_code=credit_code,
            year=year,
            limit=limit,
            offset=offset,
        )
        items = await service.describe(session, rows)
    return CasePage(items=items, total=total)


@router.get("/cases/{case_id}", response_model=CasePublic)
async def get_case(case_id: str, principal: AgencyOrOperator, runtime: Runtime) -> CasePublic:
    """One case with its parties, rights, handlers and allowed moves."""
    async with runtime.sessionmaker() as session:
        case = await repository.get_case(session, case_id, principal)
        if case is None:
            raise NotFound(f"case {case_id} not found")
        return (await service.describe(session, [case]))[0]
