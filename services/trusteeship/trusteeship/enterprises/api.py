"""Enterprise routes: lists, the profile, details, patents, trademarks, zeroing-out.

An agency reads enterprises it holds or held and changes only those it holds now."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator
from ipops.fields import BoundedDate
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.paging import Limit, Offset
from ipops.runtime import Runtime
from trusteeship.common import today
from trusteeship.enterprises import service
from trusteeship.enterprises.schemas import (
    EnterprisePage,
    EnterpriseProfile,
    EnterprisePublic,
    EnterpriseUpdate,
    FirstPatentPage,
    PatentCreate,
    PatentGrant,
    PatentPublic,
    PatentRestore,
    TrademarkCreate,
    TrademarkPublic,
    enterprise_page,
    enterprise_public,
    first_patent_public,
    patent_public,
    profile_public,
    trademark_public,
)

router = APIRouter()


@router.get("/enterprises", response_model=EnterprisePage)
async def list_enterprises(
    principal: AgencyOrOperator,
    runtime: Runtime,
    active_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnterprisePage:
    """Enterprises by name: an agency's are those it holds or held (`active_only`: holds now)."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.list_enterprises(
            session, principal, active_only=active_only, limit=limit, offset=offset
        )
    return enterprise_page(rows, total)


@router.get("/enterprises/{credit_code}", response_model=EnterpriseProfile)
async def enterprise_profile(credit_code: str, principal: AgencyOrOperator, runtime: Runtime) -> EnterpriseProfile:
    """An enterprise's profile: enrolment history, patents, trademarks, first patent, pledge loans
    and navigation projects."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        rows = await service.enterprise_profile(session, principal, credit_code, day)
    return profile_public(rows)


@router.patch("/enterprises/{credit_code}", response_model=EnterprisePublic)
async def update_enterprise(
    credit_code: str,
    body: EnterpriseUpdate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Change an enterprise's details or record its GB/T 29490 certification (holder or operator)."""

    async def work(session: AsyncSession) -> tuple[int, EnterprisePublic]:
        enterprise, holder = await service.update_enterprise(
            session, principal, credit_code.upper(), body, today(runtime)
        )
        return 200, enterprise_public(enterprise, holder)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/patents", status_code=201, response_model=PatentPublic)
async def add_patent(
    credit_code: str,
    body: PatentCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a patent or application of the enterprise; a granted one is docketed at once."""

    async def work(session: AsyncSession) -> tuple[int, PatentPublic]:
        patent = await service.add_patent(session, principal, credit_code.upper(), body, today(runtime))
        return 201, patent_public(patent)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/patents/{number}/grant", response_model=PatentPublic)
async def grant_patent(
    credit_code: str,
    number: str,
    body: PatentGrant,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record the grant of a pending application: its docket starts, and it may be a first patent."""

    async def work(session: AsyncSession) -> tuple[int, PatentPublic]:
        patent = await service.grant_patent(
            session, principal, credit_code.upper(), number, body.grant_date, today(runtime)
        )
        return 200, patent_public(patent)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/patents/{number}/restore", response_model=PatentPublic)
async def restore_patent(
    credit_code: str,
    number: str,
    body: PatentRestore,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record the restoration of a lapsed patent (the holding agency or an operator): the lapse is
    undone, the unpaid fee recorded as paid with it, and the patent counts again toward the
    enterprises holding a valid patent. Announced as `ipops.trusteeship.patent.restored.v1`;
    409 when the patent has not lapsed."""

    async def work(session: AsyncSession) -> tuple[int, PatentPublic]:
        patent = await service.restore_patent(session, principal, credit_code.upper(), number, body, today(runtime))
        return 200, patent_public(patent)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.post("/enterprises/{credit_code}/trademarks", status_code=201, response_model=TrademarkPublic)
async def add_trademark(
    credit_code: str,
    body: TrademarkCreate,
    request: Request,
    principal: AgencyOrOperator,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Record a trademark of the enterprise."""

    async def work(session: AsyncSession) -> tuple[int, TrademarkPublic]:
        mark = await service.add_trademark(session, principal, credit_code.upper(), body, today(runtime))
        return 201, trademark_public(mark)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/zero-patent-enterprises", response_model=EnterprisePage)
async def zero_patent_enterprises(
    principal: AgencyOrOperator,
    runtime: Runtime,
    as_of: BoundedDate | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnterprisePage:
    """Enterprises held now with no valid patent (专利清零 candidates): agencies help them to a first."""
    day = today(runtime)
    async with runtime.sessionmaker() as session:
        rows, total = await service.zero_patent_enterprises(
            session, principal, as_of, limit=limit, offset=offset, today=day
        )
    return enterprise_page(rows, total)


@router.get("/first-patents", response_model=FirstPatentPage)
async def first_patents(
    principal: AgencyOrOperator, runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> FirstPatentPage:
    """Zeroing-out conversions: enrolled enterprises' first valid patents (an agency: its own)."""
    async with runtime.sessionmaker() as session:
        rows, total = await service.first_patents(session, principal, limit=limit, offset=offset)
    return FirstPatentPage(items=[first_patent_public(r) for r in rows], total=total)
