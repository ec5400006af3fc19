"""Agency use cases: register, change the contract, read. Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from trusteeship.agencies import repository
from trusteeship.agencies.schemas import AgencyCreate, AgencyUpdate
from trusteeship.domain import enrolment
from trusteeship.models import Agency


def contract(agency: Agency) -> enrolment.Contract:
    """What the agency's contract allows, as the enrolment rules read it."""
    return enrolment.Contract(agency.id, agency.contract_start_date, agency.contract_end_date, agency.quota)


async def register_agency(session: AsyncSession, data: AgencyCreate) -> Agency:
    """Register an agency; its id and contract number must be new."""
    if await repository.get_agency(session, data.id) is not None:
        raise Conflict(f"agency {data.id} is already registered")
    if await repository.get_agency_by_contract(session, data.contract_number) is not None:
        raise Conflict(f"contract {data.contract_number} belongs to another agency")
    now = utc_now()
    agency = Agency(
        id=data.id,
        name=data.name,
        contract_number=data.contract_number,
        contract_start_date=data.contract_start_date,
        contract_end_date=data.contract_end_date,
        quota=data.quota,
        scope=[s.value for s in data.scope],
        created_at=now,
        updated_at=now,
    )
    session.add(agency)
    await flush_or_conflict(session, f"agency {data.id} or contract {data.contract_number} is already registered")
    return agency


async def update_agency(session: AsyncSession, agency_id: str, data: AgencyUpdate) -> Agency:
    """Change an agency's contract terms; the period must stay ordered."""
    agency = await repository.get_agency(session, agency_id, for_update=True)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    changes = data.model_dump(exclude_unset=True)
    if "contract_number" in changes and changes["contract_number"] != agency.contract_number:
        other = await repository.get_agency_by_contract(session, changes["contract_number"])
        if other is not None:
            raise Conflict(f"contract {changes['contract_number']} belongs to another agency")
    for name, value in changes.items():
        if value is None:
            raise RuleViolation(f"{name} cannot be cleared", field=f"body.{name}")
        setattr(agency, name, [s.value for s in value] if name == "scope" else value)
    if agency.contract_end_date < agency.contract_start_date:
        raise RuleViolation("contract_end_date is before contract_start_date", field="body.contract_end_date")
    agency.updated_at = utc_now()
    await flush_or_conflict(session, "that contract number belongs to another agency")
    return agency


async def list_agencies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[Agency], int]:
    """Agencies the caller may read, by name, and their total."""
    return await repository.list_agencies(session, principal, limit=limit, offset=offset)


async def get_agency(session: AsyncSession, principal: Principal, agency_id: str) -> Agency:
    """One agency the caller may read; another's is not found."""
    agency = await repository.readable_agency(session, principal, agency_id)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    return agency


async def agency_of(session: AsyncSession, principal: Principal) -> Agency:
    """The calling agency's own row; an agency the district office never registered is refused."""
    agency = await repository.get_agency(session, str(principal.tenant_id))
    if agency is None:
        raise Forbidden("this agency is not registered with the district office")
    return agency
