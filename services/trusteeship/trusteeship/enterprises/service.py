"""Enterprise use cases: read, change, record patents (docketed at once) and trademarks, count
first patents, keep the local copies of loans and projects from other services. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ipops import identifiers
from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.navigation import ProjectAcceptedV1
from ipops.contracts.pledge import LoanApprovedV1
from ipops.contracts.trusteeship import FirstPatentV1, PatentRestoredV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import to_fen
from trusteeship.common import SOURCE, known_credit_code
from trusteeship.docket import repository as docket_repository
from trusteeship.docket.service import regenerate_deadlines
from trusteeship.domain import docket, indicators
from trusteeship.enrolments import repository as enrolments
from trusteeship.enrolments.service import readable_enterprise, writable_enterprise
from trusteeship.enterprises import repository
from trusteeship.enterprises.schemas import (
    EnterpriseUpdate,
    PatentCreate,
    PatentRestore,
    ProfileRows,
    TrademarkCreate,
)
from trusteeship.enums import DeadlineStatus, EnrolmentStatus, PatentKind, PatentStatus
from trusteeship.models import (
    Enterprise,
    EnterpriseLoan,
    EnterpriseProject,
    FeePayment,
    FirstPatent,
    Patent,
    Trademark,
)
from trusteeship.statistics.service import recount_enterprise

EnterpriseRow = tuple[Enterprise, str | None]


async def list_enterprises(
    session: AsyncSession, principal: Principal, *, active_only: bool, limit: int, offset: int
) -> tuple[list[EnterpriseRow], int]:
    """Readable enterprises by name with the agency holding each now, and the total."""
    return await repository.list_enterprises(session, principal, active_only=active_only, limit=limit, offset=offset)


async def enterprise_profile(session: AsyncSession, principal: Principal, credit_code: str, today: date) -> ProfileRows:
    """Everything known about a readable enterprise, and how many of its patents are valid today."""
    enterprise = await readable_enterprise(session, principal, credit_code)
    code = enterprise.credit_code
    enrolments_of = await enrolments.enrolment_history(session, code)
    patents = await repository.patents_of(session, code)
    return ProfileRows(
        enterprise=enterprise,
        current_agency_id=next((e.agency_id for e in enrolments_of if e.status == EnrolmentStatus.ACTIVE), None),
        enrolments=enrolments_of,
        patents=patents,
        trademarks=await repository.trademarks_of(session, code),
        valid_patent_count=sum(docket.is_valid_on(today, p.grant_date, p.expiry_date, p.lapsed_date) for p in patents),
        first_patent=await repository.first_patent_of(session, code),
        loans=await repository.loans_of(session, code),
        projects=await repository.projects_of(session, code),
    )


async def update_enterprise(
    session: AsyncSession, principal: Principal, credit_code: str, data: EnterpriseUpdate, today: date
) -> EnterpriseRow:
    """Change an enterprise's details or its GB/T 29490 certificate; a change of size class or
    certificate re-counts its indicators. Returns it with its holder."""
    enterprise = await writable_enterprise(session, principal, credit_code)
    changes = data.model_dump(exclude_unset=True)
    certificate_changes = {k: changes.pop(k) for k in list(changes) if k.startswith("gbt29490_")}
    if certificate_changes:
        _apply_certificate(enterprise, certificate_changes, today)
    if "yearly_revenue" in changes:
        revenue = changes.pop("yearly_revenue")
        enterprise.yearly_revenue_fen = None if revenue is None else to_fen(revenue)
    for name, value in changes.items():
        if value is None and name != "employees":
            raise RuleViolation(f"{name} cannot be cleared", field=f"body.{name}")
        setattr(enterprise, name, value.value if name == "size" else value)
    enterprise.updated_at = utc_now()
    await session.flush()
    if certificate_changes or "size" in changes:
        await recount_enterprise(session, enterprise.credit_code, "corrected" if "size" in changes else "certificate")
    return enterprise, await enrolments.holder_of(session, enterprise.credit_code)


def _apply_certificate(enterprise: Enterprise, changes: dict[str, date | None], today: date) -> None:
    """Record a certification, its expiry or withdrawal, by the rules of `domain.indicators`."""
    current = indicators.Certificate(
        enterprise.gbt29490_certified_date, enterprise.gbt29490_expiry_date, enterprise.gbt29490_withdrawn_date
    )
    updated = indicators.updated_certificate(current, changes, today)
    enterprise.gbt29490_certified_date = updated.certified_on
    enterprise.gbt29490_expiry_date = updated.expires_on
    enterprise.gbt29490_withdrawn_date = updated.withdrawn_on


def _patent_kind(number: str) -> PatentKind:
    kind = identifiers.patent_type(number)
    if kind in (identifiers.PatentType.INVENTION, identifiers.PatentType.PCT_INVENTION):
        return PatentKind.INVENTION
    if kind in (identifiers.PatentType.UTILITY_MODEL, identifiers.PatentType.PCT_UTILITY_MODEL):
        return PatentKind.UTILITY_MODEL
    return PatentKind.DESIGN


def _check_patent_dates(data: PatentCreate, today: date) -> None:
    """The number encodes the filing year, except for PCT national-phase numbers (entry year);
    neither date may lie in the future."""
    kind_code = identifiers.patent_type(data.number)
    pct = kind_code in (identifiers.PatentType.PCT_INVENTION, identifiers.PatentType.PCT_UTILITY_MODEL)
    if not pct and identifiers.patent_filing_year(data.number) != data.filing_date.year:
        raise RuleViolation(
            f"application {data.number} was filed in {identifiers.patent_filing_year(data.number)}",
            field="body.filing_date",
        )
    if data.grant_date is not None and data.grant_date < data.filing_date:
        raise RuleViolation("grant_date is before filing_date", field="body.grant_date")
    if data.filing_date > today or (data.grant_date is not None and data.grant_date > today):
        raise RuleViolation(
            "dates cannot be in the future", field="body.grant_date" if data.grant_date else "body.filing_date"
        )


async def add_patent(
    session: AsyncSession, principal: Principal, credit_code: str, data: PatentCreate, today: date
) -> Patent:
    """Record a patent of the enterprise; a granted one gets its docket (and may be its first)."""
    await writable_enterprise(session, principal, credit_code)
    if await docket_repository.get_patent(session, data.number) is not None:
        raise Conflict(f"patent {data.number} is already recorded")
    _check_patent_dates(data, today)
    kind = _patent_kind(data.number)
    now = utc_now()
    expiry = docket.expiry_date(kind, data.filing_date)
    if data.grant_date is None:
        status = PatentStatus.PENDING
    else:
        status = PatentStatus.VALID if expiry > today else PatentStatus.EXPIRED
    patent = Patent(
        number=data.number,
        credit_code=credit_code,
        title=data.title,
        kind=kind.value,
        filing_date=data.filing_date,
        grant_date=data.grant_date,
        expiry_date=expiry,
        status=status,
        docket_from_date=today,
        created_at=now,
        updated_at=now,
    )
    session.add(patent)
    await flush_or_conflict(session, f"patent {data.number} is already recorded")
    if patent.status == PatentStatus.VALID:
        await regenerate_deadlines(session, [patent])
        await _count_first_patent(session, patent)
    if patent.grant_date is not None:
        await recount_enterprise(session, patent.credit_code, "patent granted")
    return patent


async def grant_patent(
    session: AsyncSession, principal: Principal, credit_code: str, number: str, grant_date: date, today: date
) -> Patent:
    """Record the grant of a pending application: its docket starts, and it may be the first."""
    await writable_enterprise(session, principal, credit_code)
    patent = await docket_repository.get_patent(session, number, for_update=True)
    if patent is None or patent.credit_code != credit_code:
        raise NotFound(f"no patent {number} of enterprise {credit_code}")
    if patent.status != PatentStatus.PENDING:
        raise Conflict(f"patent {number} is {patent.status}, not pending", allowed_moves=[])
    if grant_date < patent.filing_date or grant_date > today:
        raise RuleViolation("the grant date must fall between filing and today", field="body.grant_date")
    patent.grant_date = grant_date
    patent.status = PatentStatus.VALID if patent.expiry_date > today else PatentStatus.EXPIRED
    patent.updated_at = utc_now()
    await session.flush()
    if patent.status == PatentStatus.VALID:
        await regenerate_deadlines(session, [patent])
        await _count_first_patent(session, patent)
    if patent.grant_date is not None:
        await recount_enterprise(session, patent.credit_code, "patent granted")
    return patent


async def restore_patent(
    session: AsyncSession, principal: Principal, credit_code: str, number: str, data: PatentRestore, today: date
) -> Patent:
    """Undo a lapse: the right is in force again with no gap (restoration under rule 6), the fee
    that went unpaid is recorded as paid on the restoration date, the later fees closed by the
    lapse are open again (the daily run lapses the patent anew if they stay unpaid), and the
    enterprise's valid-patent indicator re-counts."""
    await writable_enterprise(session, principal, credit_code)
    patent = await docket_repository.get_patent(session, number, for_update=True)
    if patent is None or patent.credit_code != credit_code:
        raise NotFound(f"no patent {number} of enterprise {credit_code}")
    if patent.status != PatentStatus.LAPSED or patent.lapsed_date is None:
        raise Conflict(f"patent {number} is {patent.status}, not lapsed", allowed_moves=[])
    lapsed_date = patent.lapsed_date
    docket.check_restoration(lapsed_date, data.restored_date, today)
    now = utc_now()
    for i, deadline in enumerate(await docket_repository.lapsed_deadlines_of(session, number)):
        deadline.lapse_detected_on = None
        deadline.status = DeadlineStatus.PAID if i == 0 else DeadlineStatus.OPEN
        if i == 0:
            session.add(
                FeePayment(
                    deadline_id=deadline.id,
                    paid_date=data.restored_date,
                    amount_fen=to_fen(data.fee_paid),
                    surcharge_fen=0,  # the restoration fee is CNIPA's, not an annual-fee surcharge
                    recorded_by=principal.owner_key,
                    recorded_at=now,
                )
            )
    patent.status = PatentStatus.VALID if patent.expiry_date > today else PatentStatus.EXPIRED
    patent.lapsed_date = None
    patent.updated_at = now
    await flush_or_conflict(session, f"patent {number} changed at the same moment; retry")
    add_to_outbox(
        session,
        PatentRestoredV1(
            patent_number=number,
            credit_code=credit_code,
            agency_id=await enrolments.holder_of(session, credit_code),
            lapsed_date=lapsed_date,
            restored_date=data.restored_date,
            restored_at=now,
        ),
        source=SOURCE,
        key=number,
    )
    await recount_enterprise(session, credit_code, "patent restored")
    return patent


async def _count_first_patent(session: AsyncSession, patent: Patent) -> None:
    """Zeroing-out: a grant while enrolled, to an enterprise with no other valid patent that day."""
    assert patent.grant_date is not None
    held = await enrolments.active_enrolment(session, patent.credit_code)
    if held is None or patent.grant_date < held.start_date:
        return
    if await repository.first_patent_of(session, patent.credit_code) is not None:
        return
    others = await repository.count_valid_patents(
        session, patent.credit_code, patent.grant_date, excluding=patent.number
    )
    if others:
        return
    row = FirstPatent(
        credit_code=patent.credit_code,
        patent_number=patent.number,
        grant_date=patent.grant_date,
        agency_id=held.agency_id,
        enrolment_id=held.id,
        counted_at=utc_now(),
    )
    session.add(row)
    add_to_outbox(
        session,
        FirstPatentV1(
            credit_code=row.credit_code,
            patent_number=row.patent_number,
            grant_date=row.grant_date,
            agency_id=row.agency_id,
            enrolment_id=row.enrolment_id,
            counted_at=row.counted_at,
        ),
        source=SOURCE,
        key=row.patent_number,
    )


async def add_trademark(
    session: AsyncSession, principal: Principal, credit_code: str, data: TrademarkCreate, today: date
) -> Trademark:
    """Record a trademark of the enterprise."""
    await writable_enterprise(session, principal, credit_code)
    if await repository.get_trademark(session, data.number) is not None:
        raise Conflict(f"trademark {data.number} is already recorded")
    if data.registration_date is not None and data.registration_date > today:
        raise RuleViolation(f"{data.registration_date} is in the future", field="body.registration_date")
    mark = Trademark(
        number=data.number,
        credit_code=credit_code,
        mark=data.mark,
        nice_class=data.nice_class,
        registration_date=data.registration_date,
        created_at=utc_now(),
    )
    session.add(mark)
    await flush_or_conflict(session, f"trademark {data.number} is already recorded")
    return mark


async def zero_patent_enterprises(
    session: AsyncSession, principal: Principal, as_of: date | None, *, limit: int, offset: int, today: date
) -> tuple[list[EnterpriseRow], int]:
    """Enterprises held now with no valid patent on `as_of` (default today), with their holders."""
    rows, total = await repository.list_zero_patent(session, principal, as_of or today, limit=limit, offset=offset)
    return [(e, await enrolments.holder_of(session, e.credit_code)) for e in rows], total


async def first_patents(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[FirstPatent], int]:
    """Zeroing-out conversions, newest first (an agency: its own), and their total."""
    return await repository.list_first_patents(session, principal, limit=limit, offset=offset)


async def record_loan(session: AsyncSession, payload: LoanApprovedV1) -> None:
    """A pledge loan shows in the enterprise's profile (kept by credit code even before enrolment)."""
    code = known_credit_code(payload.enterprise_credit_code)
    if code is None or await repository.get_loan(session, payload.loan_id) is not None:
        return
    session.add(
        EnterpriseLoan(
            loan_id=payload.loan_id,
            credit_code=code,
            bank_id=payload.bank_id,
            amount_fen=to_fen(payload.amount),
            mixed_pledge=payload.mixed_pledge,
            patent_numbers=list(payload.patent_numbers),
            approved_at=payload.approved_at,
        )
    )


async def record_project(session: AsyncSession, payload: ProjectAcceptedV1) -> None:
    """An enterprise-operation navigation project shows in its beneficiary's profile."""
    code = known_credit_code(payload.beneficiary_credit_code)
    if payload.kind != "enterprise_operation" or code is None:
        return
    if await repository.get_project(session, payload.project_id) is not None:
        return
    session.add(
        EnterpriseProject(
            project_id=payload.project_id,
            credit_code=code,
            title=payload.title,
            industry=payload.industry,
            undertaking_org=payload.undertaking_org,
            accepted_at=payload.accepted_at,
        )
    )
