"""Trusteeship use cases: load, apply the rules, persist, add the events to the outbox. Never commit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.errors import Conflict, NotFound, RuleViolation
from trusteeship import repository
from trusteeship.models import Agency
from trusteeship.schemas import AgencyCreate, AgencyUpdate

SOURCE = "/ipops/trusteeship"


def _now() -> datetime:
    return datetime.now(UTC)


async def register_agency(session: AsyncSession, data: AgencyCreate) -> Agency:
    """Register an agency; its id and contract number must be new."""
    if await repository.get_agency(session, data.id) is not None:
        raise Conflict(f"agency {data.id} is already registered")
    if await repository.get_agency_by_contract(session, data.contract_number) is not None:
        raise Conflict(f"contract {data.contract_number} belongs to another agency")
    now = _now()
    agency = Agency(
        id=data.id, name=data.name, contract_number=data.contract_number,
        contract_start_date=data.contract_start_date, contract_end_date=data.contract_end_date,
        quota=data.quota, scope=[s.value for s in data.scope], created_at=now, updated_at=now,
    )
    session.add(agency)
    await session.flush()
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
    agency.updated_at = _now()
    await session.flush()
    return agency
