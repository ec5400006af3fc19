"""Routes of district enterprises: parse, authorise, open the transaction, call a use case, present."""

from __future__ import annotations

from fastapi import APIRouter

from ipops.auth import AgencyOrOperator, OperatorPrincipal
from ipops.fields import CreditCode
from ipops.runtime import Runtime
from navigation.common import PREFIX
from navigation.enterprises import service
from navigation.enterprises.schemas import (
    DistrictEnterpriseList,
    DistrictEnterprisePublic,
    DistrictEnterpriseUpsert,
    district_enterprise_public,
)

router = APIRouter(prefix=PREFIX, tags=["navigation"])


@router.put("/district-enterprises/{credit_code}", response_model=DistrictEnterprisePublic)
async def upsert_district_enterprise(
    credit_code: CreditCode, body: DistrictEnterpriseUpsert, principal: OperatorPrincipal, runtime: Runtime
) -> DistrictEnterprisePublic:
    """Add or change an enterprise of the district (operators only): its name and aliases mark
    "the district's own applicants" in every landscape computed afterwards."""
    async with runtime.transaction() as session:
        row = await service.upsert_district_enterprise(session, credit_code, body)
    return district_enterprise_public(row)


@router.get("/district-enterprises", response_model=DistrictEnterpriseList)
async def list_district_enterprises(principal: AgencyOrOperator, runtime: Runtime) -> DistrictEnterpriseList:
    """The district's enterprises."""
    async with runtime.sessionmaker() as session:
        rows = await service.list_district_enterprises(session)
    return DistrictEnterpriseList(items=[district_enterprise_public(r) for r in rows])
