"""Queries behind the plan's figures. Coverage and certifications count enterprises ever
enrolled; an agency's own figures are filtered to it in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ipops.auth import Principal
from ipops.db import dialect_name
from ipops.indicators.ledger import IndicatorContribution
from trusteeship.enterprises.repository import valid_on
from trusteeship.enums import EnrolmentStatus
from trusteeship.models import Agency, Enrolment, Enterprise, FirstPatent, Patent, WorkLog


async def coverage(session: AsyncSession) -> tuple[int, int]:
    """(distinct enterprises ever enrolled, enterprises held now)."""
    covered = await session.scalar(select(func.count(func.distinct(col(Enrolment.credit_code)))))
    active = await session.scalar(
        select(func.count()).select_from(Enrolment).where(col(Enrolment.status) == EnrolmentStatus.ACTIVE)
    )
    return int(covered or 0), int(active or 0)


async def coverage_by_agency(session: AsyncSession, principal: Principal) -> list[tuple[Agency, int, int]]:
    """(agency, held now, distinct ever enrolled) per agency; an agency gets its own row."""
    active = func.count(func.distinct(col(Enrolment.credit_code))).filter(
        col(Enrolment.status) == EnrolmentStatus.ACTIVE
    )
    ever = func.count(func.distinct(col(Enrolment.credit_code)))
    query = (
        select(Agency, active, ever)
        .outerjoin(Enrolment, col(Enrolment.agency_id) == col(Agency.id))
        .group_by(col(Agency.id))
        .order_by(col(Agency.id))
    )
    if not principal.is_operator:
        query = query.where(col(Agency.id) == principal.tenant_id)
    rows = await session.execute(query)
    return [(a, int(n or 0), int(m or 0)) for a, n, m in rows.all()]


async def enterprises_with_valid_patent(session: AsyncSession, day: date) -> int:
    """Distinct enterprises ever enrolled holding at least one valid patent on `day`."""
    query = select(func.count(func.distinct(col(Patent.credit_code)))).where(
        valid_on(day), exists().where(col(Enrolment.credit_code) == col(Patent.credit_code))
    )
    return int(await session.scalar(query) or 0)


async def first_grant_year(session: AsyncSession) -> int | None:
    """The year of the earliest grant recorded."""
    first = await session.scalar(select(func.min(col(Patent.grant_date))))
    return first.year if first else None


async def count_first_patents(session: AsyncSession, principal: Principal) -> int:
    """Zeroing-out conversions (an agency: its own)."""
    query = select(func.count()).select_from(FirstPatent)
    if not principal.is_operator:
        query = query.where(col(FirstPatent.agency_id) == principal.tenant_id)
    return int(await session.scalar(query) or 0)


async def certifications(session: AsyncSession) -> list[date]:
    """Certification dates of enterprises ever enrolled."""
    rows = await session.scalars(
        select(col(Enterprise.gbt29490_certified_date)).where(
            col(Enterprise.gbt29490_certified_date).is_not(None),
            exists().where(col(Enrolment.credit_code) == col(Enterprise.credit_code)),
        )
    )
    return [d for d in rows.all() if d is not None]


async def work_by_month(
    session: AsyncSession, principal: Principal, *, from_date: date, to_date: date
) -> list[tuple[str, str, int, Any]]:
    """(month "YYYY-MM", service type, count, hours) over a window; an agency: its own."""
    if dialect_name(session) == "postgresql":
        month = func.to_char(col(WorkLog.work_date), "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", col(WorkLog.work_date))
    query = (
        select(
            month.label("month"),
            col(WorkLog.service_type),
            func.count(),
            func.coalesce(func.sum(col(WorkLog.hours)), 0),
        )
        .where(col(WorkLog.work_date) >= from_date, col(WorkLog.work_date) <= to_date)
        .group_by(month, col(WorkLog.service_type))
        .order_by(month, col(WorkLog.service_type))
    )
    if not principal.is_operator:
        query = query.where(col(WorkLog.agency_id) == principal.tenant_id)
    rows = await session.execute(query)
    return [(m, t, int(n), h) for m, t, n, h in rows.all()]


# (start, end or None) per enrolment; (grant or None, expiry, lapsed or None) per patent
EnrolmentSpan = tuple[date, date | None]
PatentSpan = tuple[date | None, date, date | None]


async def lock_enterprise(session: AsyncSession, credit_code: str) -> Enterprise | None:
    """The enterprise, locked: its contributions are recomputed by one transaction at a time."""
    return await session.get(Enterprise, credit_code, with_for_update=True)


async def enrolment_spans(session: AsyncSession, credit_code: str) -> list[EnrolmentSpan]:
    """The enterprise's enrolments as (start, end) pairs, oldest first."""
    rows = await session.execute(
        select(col(Enrolment.start_date), col(Enrolment.end_date))
        .where(col(Enrolment.credit_code) == credit_code)
        .order_by(col(Enrolment.start_date), col(Enrolment.created_at), col(Enrolment.id))
    )
    return [(s, e) for s, e in rows.all()]


async def patent_spans(session: AsyncSession, credit_code: str) -> list[PatentSpan]:
    """The enterprise's patents as (grant, expiry, lapse) triples."""
    rows = await session.execute(
        select(col(Patent.grant_date), col(Patent.expiry_date), col(Patent.lapsed_date)).where(
            col(Patent.credit_code) == credit_code
        )
    )
    return [(g, x, lapsed) for g, x, lapsed in rows.all()]


async def ledger_rows(
    session: AsyncSession, indicators: Sequence[str], enterprise_subject: str
) -> list[IndicatorContribution]:
    """Every ledger row of one enterprise for `indicators`, locked, in one statement: those that
    count now and those that no longer do (a subject is the enterprise's hash, or a span of it:
    `<hash>:<yyyymmdd>`)."""
    table = IndicatorContribution
    rows = await session.scalars(
        select(table)
        .where(
            col(table.indicator).in_(indicators),
            (col(table.subject) == enterprise_subject) | col(table.subject).startswith(f"{enterprise_subject}:"),
        )
        .with_for_update()
    )
    return list(rows.all())


async def enterprise_codes(session: AsyncSession) -> list[str]:
    """Every enterprise the service knows, by credit code."""
    return list(
        (await session.scalars(select(col(Enterprise.credit_code)).order_by(col(Enterprise.credit_code)))).all()
    )
