"""Agency use cases: follow trusteeship's registry, keep the operation profile, submit, verify
and reject revenue reports. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.contracts.operations import RevenueRejectedV1, RevenueSubmittedV1, RevenueVerifiedV1
from ipops.db import flush_or_conflict
from ipops.errors import NotFound
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from operations.agencies import repository
from operations.agencies.schemas import ProfileUpdate, RevenueReportCreate
from operations.common import SOURCE, actor_of, count, new_id, subject
from operations.domain import indicators, revenue
from operations.domain.moves import move
from operations.models import Agency, RevenueReport, RevenueReportStateChange


async def follow_agency(
    session: AsyncSession, agency_id: str, name: str, credit_code: str | None, at: datetime
) -> Agency:
    """Upsert an agency from trusteeship's registry; an older update than the one kept is ignored."""
    agency = await session.get(Agency, agency_id, with_for_update=True)
    if agency is None:
        agency = Agency(id=agency_id, name=name, credit_code=credit_code, registered_at=at, updated_at=at)
        session.add(agency)
    elif at >= agency.updated_at:
        agency.name, agency.credit_code, agency.updated_at = name, credit_code, at
    await session.flush()
    return agency


async def get_agency(session: AsyncSession, principal: Principal, agency_id: str, *, lock: bool = False) -> Agency:
    """An agency the caller may see; another agency's is the same 404 as a missing one."""
    agency = await repository.get_agency(session, principal, agency_id, for_update=lock)
    if agency is None:
        raise NotFound(f"no agency {agency_id}")
    return agency


async def list_agencies(
    session: AsyncSession, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[Agency], int]:
    """Agencies the caller may see."""
    return await repository.list_agencies(session, principal, limit=limit, offset=offset)


async def update_profile(session: AsyncSession, principal: Principal, agency_id: str, data: ProfileUpdate) -> Agency:
    """Replace the agency's business lines (the agency itself or an operator)."""
    agency = await get_agency(session, principal, agency_id, lock=True)
    agency.business_lines = sorted({line.value for line in data.business_lines})
    agency.profile_updated_at = utc_now()
    await session.flush()
    return agency


async def submit_report(
    session: AsyncSession, principal: Principal, agency_id: str, data: RevenueReportCreate
) -> RevenueReport:
    """An agency reports its revenue for a year; a second report for a year is the next version."""
    agency = await get_agency(session, principal, agency_id, lock=True)  # serialises versions
    revenue.check_year(data.year, district_today().year)
    versions = await repository.versions_of(session, agency.id, data.year)
    now = utc_now()
    report = RevenueReport(
        id=new_id(),
        agency_id=agency.id,
        year=data.year,
        version=revenue.next_version(_versions(versions)),
        revenue_fen=to_fen(data.revenue),
        evidence=data.evidence,
        status="submitted",
        submitted_by=actor_of(principal),
        submitted_at=now,
    )
    session.add(report)
    session.add(RevenueReportStateChange(report_id=report.id, to_status="submitted", actor=report.submitted_by, at=now))
    await flush_or_conflict(session, f"a report for {data.year} was submitted at the same time; retry")
    add_to_outbox(
        session,
        RevenueSubmittedV1(
            report_id=report.id,
            agency_id=agency.id,
            year=report.year,
            version=report.version,
            revenue=format_yuan(report.revenue_fen),
            submitted_at=now,
        ),
        source=SOURCE,
        key=agency.id,
        subject=report.id,
    )
    return report


async def decide_report(
    session: AsyncSession, principal: Principal, report_id: str, decision: str, reason: str | None
) -> RevenueReport:
    """An operator verifies (`verify`) or rejects (`reject`, with a reason) a submitted report."""
    report = await repository.get_report(session, principal, report_id, for_update=True)
    if report is None:
        raise NotFound(f"no revenue report {report_id}")
    await get_agency(session, principal, report.agency_id, lock=True)  # one agency's decisions in turn
    target = move("revenue_report", report.status, decision)
    now = utc_now()
    session.add(
        RevenueReportStateChange(
            report_id=report.id,
            from_status=report.status,
            to_status=target,
            actor=actor_of(principal),
            reason=reason,
            at=now,
        )
    )
    report.status, report.reason, report.decided_by, report.decided_at = target, reason, actor_of(principal), now
    await session.flush()
    if target == "verified":
        payload: RevenueVerifiedV1 | RevenueRejectedV1 = RevenueVerifiedV1(
            report_id=report.id, agency_id=report.agency_id, year=report.year, version=report.version,
            revenue=format_yuan(report.revenue_fen), verified_at=now,
        )  # fmt: skip
        await recount_agency(session, report.agency_id)
    else:
        payload = RevenueRejectedV1(
            report_id=report.id, agency_id=report.agency_id, year=report.year, version=report.version,
            reason=reason or "", rejected_at=now,
        )  # fmt: skip
    add_to_outbox(session, payload, source=SOURCE, key=report.agency_id, subject=report.id)
    return report


async def recount_agency(session: AsyncSession, agency_id: str) -> None:
    """Whether the agency counts toward goal 一, from its verified figures (rule in domain/indicators)."""
    by_year: dict[int, list[revenue.Version]] = {}
    for row in await repository.verified_reports(session, agency_id):
        by_year.setdefault(row.year, []).append(revenue.Version(row.version, row.status, row.revenue_fen))
    figures = {year: v.revenue_fen for year, vs in by_year.items() if (v := revenue.counted(vs)) is not None}
    verdict = indicators.operation_agency(figures)
    await count(session, "operation_agencies", subject("agency", agency_id), verdict, "verified revenue")


async def get_report(session: AsyncSession, principal: Principal, report_id: str) -> RevenueReport:
    """A report the caller may see."""
    report = await repository.get_report(session, principal, report_id)
    if report is None:
        raise NotFound(f"no revenue report {report_id}")
    return report


async def list_reports(
    session: AsyncSession, principal: Principal, **filters: object
) -> tuple[Sequence[RevenueReport], int]:
    """Reports the caller may see, filtered."""
    return await repository.list_reports(session, principal, **filters)  # type: ignore[arg-type]


def _versions(rows: Sequence[RevenueReport]) -> list[revenue.Version]:
    return [revenue.Version(r.version, r.status, r.revenue_fen) for r in rows]
