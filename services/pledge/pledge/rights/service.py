"""The rights' use cases: record enterprises, rights and appraisals; raise collateral alerts
from enforcement cases. Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.enforcement import CaseOpenedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.identifiers import normalize_patent_number, patent_type
from ipops.money import to_fen
from pledge.enums import RightKind
from pledge.models import Appraisal, CollateralAlert, Enterprise, PledgedRight
from pledge.rights import repository
from pledge.rights.schemas import AppraisalCreate, EnterpriseCreate, PatentCreate, TrademarkCreate


async def create_enterprise(session: AsyncSession, principal: Principal, data: EnterpriseCreate) -> Enterprise:
    """Record an enterprise for the calling bank (or an operator); its credit code must be new."""
    if await repository.get_enterprise(session, data.credit_code) is not None:
        raise Conflict(f"enterprise {data.credit_code} already exists")
    enterprise = Enterprise(
        credit_code=data.credit_code,
        name=data.name,
        registered_by=repository.registrant(principal),
        created_at=utc_now(),
    )
    session.add(enterprise)
    await flush_or_conflict(session, f"enterprise {data.credit_code} already exists")
    return enterprise


async def read_enterprise(session: AsyncSession, principal: Principal, credit_code: str) -> Enterprise:
    """An enterprise `principal` may see by its credit code (in any case), or NotFound."""
    enterprise = await repository.visible_enterprise(session, principal, credit_code.upper())
    if enterprise is None:
        raise NotFound(f"no enterprise {credit_code}")
    return enterprise


async def create_right(
    session: AsyncSession, principal: Principal, data: PatentCreate | TrademarkCreate
) -> tuple[PledgedRight, Appraisal | None]:
    """Record a patent (type derived from its number) or a trademark for the calling bank (or an
    operator); with its latest appraisal."""
    kind = RightKind(data.kind)
    if await repository.get_enterprise(session, data.owner_credit_code) is None:
        raise RuleViolation("no such enterprise", field="body.owner_credit_code")
    if await repository.find_right(session, kind, data.number) is not None:
        raise Conflict(f"{kind.value} {data.number} is already recorded")
    ptype = patent_type(data.number) if kind is RightKind.PATENT else None
    right = PledgedRight(
        kind=kind.value,
        number=data.number,
        patent_type=ptype.value if ptype else None,
        trademark_class=data.trademark_class if isinstance(data, TrademarkCreate) else None,
        title=data.title,
        owner_credit_code=data.owner_credit_code,
        filing_date=data.filing_date,
        grant_date=data.grant_date,
        registered_by=repository.registrant(principal),
        created_at=utc_now(),
    )
    session.add(right)
    await flush_or_conflict(session, f"{kind.value} {data.number} is already recorded")
    return right, await repository.latest_appraisal(session, right.id)


async def read_right(
    session: AsyncSession, principal: Principal, right_id: str
) -> tuple[PledgedRight, Appraisal | None]:
    """A right `principal` may see with its latest appraisal, or NotFound."""
    right = await repository.visible_right(session, principal, right_id)
    if right is None:
        raise NotFound(f"no right {right_id}")
    return right, await repository.latest_appraisal(session, right.id)


async def appraise_right(
    session: AsyncSession, principal: Principal, right_id: str, data: AppraisalCreate
) -> Appraisal:
    """Add a valuation of a right `principal` may see (the latest is the one a new loan uses)."""
    if await repository.visible_right(session, principal, right_id) is None:
        raise NotFound(f"no right {right_id}")
    appraisal = Appraisal(
        right_id=right_id,
        value_fen=to_fen(data.value),
        valuer=data.valuer,
        appraised_date=data.appraised_date,
        created_at=utc_now(),
    )
    session.add(appraisal)
    await session.flush()
    return appraisal


async def list_alerts(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[CollateralAlert], int]:
    """A page of the collateral alerts `principal` may see (a bank: on its loans' rights), newest
    first, and the total."""
    return await repository.list_alerts(session, principal, limit=limit, offset=offset)


async def record_case(session: AsyncSession, case: CaseOpenedV1) -> None:
    """A case naming a patent or trademark puts it on the collateral-at-risk list and flags every
    live loan pledging it, so the lending bank sees the risk on its loan."""
    flagged_at = utc_now()
    named = [(RightKind.PATENT, _patent(n)) for n in case.patent_numbers]
    named += [(RightKind.TRADEMARK, n.strip()) for n in case.trademark_numbers]
    for kind, number in named:
        session.add(
            CollateralAlert(
                right_kind=kind.value,
                patent_number=number,
                case_id=case.case_id,
                case_type=case.case_type,
                raised_at=case.opened_at,
            )
        )
        for loan in await repository.live_loans_pledging(session, kind, number):
            if loan.collateral_at_risk_at is None:
                loan.collateral_at_risk_at = flagged_at


def _patent(raw: str) -> str:
    """The normalised number (`ZL…` and spacing removed); an invalid one is kept as named: it
    matches no pledged right, but the alert is not lost."""
    try:
        return normalize_patent_number(raw)
    except ValueError:
        return raw
