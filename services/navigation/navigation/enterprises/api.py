"""Routes of district enterprises and of the operator's applicant alias table: parse, authorise,
open the transaction, call a use case, present."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.fields import CreditCode
from ipops.idempotency import IdempotencyKey, idempotent_write
from ipops.runtime import Runtime
from navigation.common import PREFIX
from navigation.enterprises import service
from navigation.enterprises.schemas import (
    ApplicantAliasList,
    ApplicantAliasPublic,
    ApplicantAliasPut,
    DistrictEnterpriseList,
    DistrictEnterprisePublic,
    DistrictEnterpriseUpsert,
    applicant_alias_public,
    district_enterprise_public,
)

Canonical = Annotated[
    str,
    Path(min_length=1, max_length=200, description="the canonical name as shown (URL-encoded; a `/` is part of it)"),
]

router = APIRouter(prefix=PREFIX, tags=["navigation"])


@router.put("/district-enterprises/{credit_code}", response_model=DistrictEnterprisePublic)
async def upsert_district_enterprise(
    credit_code: CreditCode, body: DistrictEnterpriseUpsert, principal: OperatorPrincipal, runtime: Runtime
) -> DistrictEnterprisePublic:
    """Add or change an enterprise of the district (operators only): its name and aliases mark
    "the district's own applicants" in every landscape computed afterwards, and its aliases count
    as its registered name in rankings and concentration figures."""
    async with runtime.transaction() as session:
        row = await service.upsert_district_enterprise(session, credit_code, body)
    return district_enterprise_public(row)


@router.get("/district-enterprises", response_model=DistrictEnterpriseList)
async def list_district_enterprises(principal: AgencyOrOperator, runtime: Runtime) -> DistrictEnterpriseList:
    """The district's enterprises."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_district_enterprises(session)
    return DistrictEnterpriseList(items=[district_enterprise_public(r) for r in rows])


@router.put("/applicant-aliases/{canonical:path}", response_model=ApplicantAliasPublic)
async def put_applicant_alias(
    canonical: Canonical,
    body: ApplicantAliasPut,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Set the spellings that count as `canonical` in every landscape computed afterwards
    (operators only; replaces the group's previous variants). Spellings are compared by name key.
    A spelling belongs to one group and a canonical is nobody's variant: an overlap is 409. Where
    the district register says otherwise about a spelling, this table wins."""

    async def work(session: AsyncSession) -> tuple[int, ApplicantAliasPublic]:
        row = await service.put_alias_group(session, principal, canonical, body)
        return 200, applicant_alias_public(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)


@router.get("/applicant-aliases", response_model=ApplicantAliasList)
async def list_applicant_aliases(principal: OperatorPrincipal, runtime: Runtime) -> ApplicantAliasList:
    """The operator's alias groups, by canonical name (operators only)."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_alias_groups(session)
    return ApplicantAliasList(items=[applicant_alias_public(r) for r in rows])


@router.get("/applicant-aliases/{canonical:path}", response_model=ApplicantAliasPublic)
async def get_applicant_alias(
    canonical: Canonical, principal: OperatorPrincipal, runtime: Runtime
) -> ApplicantAliasPublic:
    """The alias group of `canonical` (any spelling with the same name key; operators only)."""
    async with runtime.sessionmaker() as session:
        row = await service.get_alias_group(session, canonical)
    return applicant_alias_public(row)


@router.delete("/applicant-aliases/{canonical:path}", response_model=ApplicantAliasPublic)
async def delete_applicant_alias(
    canonical: Canonical,
    request: Request,
    principal: OperatorPrincipal,
    runtime: Runtime,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Remove the alias group of `canonical` (operators only); answers with the group removed. Its
    spellings stay apart in landscapes computed afterwards."""

    async def work(session: AsyncSession) -> tuple[int, ApplicantAliasPublic]:
        row = await service.delete_alias_group(session, canonical)
        return 200, applicant_alias_public(row)

    return await idempotent_write(runtime, request, principal, idempotency_key, work)
