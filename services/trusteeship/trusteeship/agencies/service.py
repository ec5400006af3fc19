"""Agency use cases: register, change the contract, read. Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.trusteeship import AgencyRegisteredV1, AgencyUpdatedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, Forbidden, NotFound, RuleViolation
from ipops.events import add_to_outbox
from trusteeship.agencies import repository
from trusteeship.agencies.schemas import AgencyCreate, AgencyUpdate
from trusteeship.common import SOURCE
from trusteeship.domain import enrolment
from trusteeship.models import Agency


def contract(agency: Agency) -> enrolment.Contract:
    """What the agency's contract allows, as the enrolment rules read it."""
    return enrolment.Contract(agency.id, agency.contract_start_date, agency.contract_end_date, agency.quota)


async def register_agency(session: AsyncSession, data: AgencyCreate) -> Agency:
    """Register an agency in the registry and announce it; its id, contract number and credit
    code must be new."""
    if await repository.get_agency(session, data.id) is not None:
        raise Conflict(f"agency {data.id} is already registered")
    if data.contract_number is not None and await repository.get_agency_by_contract(session, data.contract_number):
        raise Conflict(f"contract {data.contract_number} belongs to another agency")
    if data.credit_code is not None and await repository.get_agency_by_credit_code(session, data.credit_code):
        raise Conflict(f"credit code {data.credit_code} belongs to another agency")
    now = utc_now()
    agency = Agency(
        id=data.id,
        name=data.name,
        credit_code=data.credit_code,
        contract_number=data.contract_number,
        contract_start_date=data.contract_start_date,
        contract_end_date=data.contract_end_date,
        quota=data.quota,
        scope=[s.value for s in data.scope],
        created_at=now,
        updated_at=now,
    )
    _check_contract(agency)
    session.add(agency)
    await flush_or_conflict(session, f"agency {data.id}, its contract or its credit code is already registered")
    add_to_outbox(
        session,
        AgencyRegisteredV1(
            agency_id=agency.id,
            name=agency.name,
            credit_code=agency.credit_code,
            has_trusteeship_contract=agency.contract_number is not None,
            registered_at=now,
        ),
        source=SOURCE,
        key=agency.id,
    )
    return agency


async def update_agency(session: AsyncSession, agency_id: str, data: AgencyUpdate) -> Agency:
    """Change an agency's entry or contract terms and announce it; a contract stays whole (number,
    ordered period) and an agency without one keeps quota 0."""
    agency = await repository.get_agency(session, agency_id, for_update=True)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    changes = data.model_dump(exclude_unset=True)
    await _check_unique(session, agency, changes)
    for name, value in changes.items():
        if value is None:
            raise RuleViolation(f"{name} cannot be cleared", field=f"body.{name}")
        setattr(agency, name, [s.value for s in value] if name == "scope" else value)
    _check_contract(agency)
    agency.updated_at = utc_now()
    await flush_or_conflict(session, "that contract number or credit code belongs to another agency")
    add_to_outbox(
        session,
        AgencyUpdatedV1(
            agency_id=agency.id,
            name=agency.name,
            credit_code=agency.credit_code,
            has_trusteeship_contract=agency.contract_number is not None,
            updated_at=agency.updated_at,
        ),
        source=SOURCE,
        key=agency.id,
    )
    return agency


async def _check_unique(session: AsyncSession, agency: Agency, changes: dict[str, object]) -> None:
    """A new contract number or credit code must not be another agency's."""
    number, code = changes.get("contract_number"), changes.get("credit_code")
    taken = isinstance(number, str) and number != agency.contract_number
    if taken and await repository.get_agency_by_contract(session, str(number)) is not None:
        raise Conflict(f"contract {number} belongs to another agency")
    taken = isinstance(code, str) and code != agency.credit_code
    if taken and await repository.get_agency_by_credit_code(session, str(code)) is not None:
        raise Conflict(f"credit code {code} belongs to another agency")


def _check_contract(agency: Agency) -> None:
    """The contract as registered or after a change: whole and ordered, or absent with quota 0."""
    start, end = agency.contract_start_date, agency.contract_end_date
    if agency.contract_number is None and start is None and end is None:
        if agency.quota != 0:
            raise RuleViolation("an agency without a trusteeship contract has quota 0", field="body.quota")
        return
    for name in ("contract_number", "contract_start_date", "contract_end_date"):
        if getattr(agency, name) is None:
            raise RuleViolation(f"a trusteeship contract needs {name}", field=f"body.{name}")
    if start is not None and end is not None and end < start:
        raise RuleViolation("contract_end_date is before contract_start_date", field="body.contract_end_date")
    if agency.quota < 1:
        raise RuleViolation("a trusteeship contract covers at least one enterprise", field="body.quota")


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
