"""Docket use cases: regenerate deadlines, the daily run (expire, lapse, remind), record a
payment, read an enterprise's docket or a window of it. Never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.auth import Principal
from ipops.clock import utc_now
from ipops.contracts.trusteeship import FeeDueV1, PatentLapsedV1
from ipops.db import flush_or_conflict
from ipops.errors import Conflict, NotFound, RuleViolation
from ipops.events import add_to_outbox
from ipops.money import format_yuan, to_fen
from trusteeship.common import SOURCE
from trusteeship.docket import repository
from trusteeship.docket.schemas import DocketRunResult, FeePaymentCreate
from trusteeship.domain import docket
from trusteeship.enrolments import repository as enrolments
from trusteeship.enrolments.service import readable_enterprise, writable_enterprise
from trusteeship.enums import DeadlineStatus, Milestone, PatentKind, PatentStatus
from trusteeship.models import FeeDeadline, FeePayment, FeeReminder, Patent, random_id
from trusteeship.statistics.service import recount_enterprise

DocketLine = tuple[FeeDeadline, str, FeePayment | None]


async def regenerate_deadlines(session: AsyncSession, patents: Sequence[Patent]) -> int:
    """Add the deadlines these patents lack (never a second one for a patent year); returns how many."""
    added = 0
    now = utc_now()
    for start in range(0, len(patents), 5000):
        chunk = patents[start : start + 5000]
        held = await repository.deadline_years(session, [p.number for p in chunk])
        # plain rows in one bulk INSERT: a patent has up to 20 years of fees, and building a model
        # object for each was most of a granted patent's recording (py-spy, make demo)
        rows = [
            {
                "id": random_id(),
                "patent_number": patent.number,
                "patent_year": d.patent_year,
                "due_date": d.due_date,
                "grace_end_date": d.grace_end_date,
                "fee_fen": d.fee_fen,
                "status": DeadlineStatus.OPEN.value,
                "rules_version": docket.RULES.version,
                "created_at": now,
            }
            for patent in chunk
            for d in docket.missing_deadlines(
                docket.expected_deadlines(
                    PatentKind(patent.kind), patent.filing_date, patent.grant_date, docket_from=patent.docket_from_date
                ),
                held[patent.number],
            )
        ]
        if rows:
            await session.execute(insert(FeeDeadline), rows)
        added += len(rows)
    await session.flush()
    return added


async def run_docket(session: AsyncSession, as_of: date) -> DocketRunResult:
    """The daily job for `as_of`: regenerate, expire, lapse, remind. Running it again for the same
    day changes nothing and sends nothing twice."""
    await repository.lock_docket_run(session)
    added = await regenerate_deadlines(session, await repository.granted_valid_patents(session))
    expired = await _expire(session, as_of)
    lapsed = await _lapse(session, as_of)
    sent = await _send_reminders(session, as_of)
    return DocketRunResult(
        as_of=as_of, deadlines_added=added, reminders_sent=sent, patents_lapsed=lapsed, patents_expired=expired
    )


async def _expire(session: AsyncSession, as_of: date) -> int:
    """Patents whose term has ended are expired; returns how many."""
    expired = 0
    for ended in await repository.patents_expiring(session, as_of):
        ended.status = PatentStatus.EXPIRED
        ended.updated_at = utc_now()
        expired += 1
    return expired


async def _lapse(session: AsyncSession, as_of: date) -> int:
    """A fee unpaid past its grace period lapses the patent as of that fee's due date, and closes
    the patent's open deadlines; returns how many patents lapsed."""
    lapsed = 0
    lapsed_codes: set[str] = set()
    by_patent: dict[str, list[FeeDeadline]] = defaultdict(list)
    for deadline in await repository.deadlines_past_grace(session, as_of):
        by_patent[deadline.patent_number].append(deadline)
    for number, overdue in by_patent.items():
        patent = await repository.get_patent(session, number, for_update=True)
        assert patent is not None
        first = min(overdue, key=lambda d: d.due_date)
        for deadline in await repository.open_deadlines_of(session, number):
            deadline.status = DeadlineStatus.LAPSED
            deadline.lapse_detected_on = as_of
        if patent.status != PatentStatus.VALID:
            continue
        patent.status = PatentStatus.LAPSED
        patent.lapsed_date = first.due_date  # the right ends as of the unpaid fee's due date
        patent.updated_at = utc_now()
        lapsed += 1
        add_to_outbox(
            session,
            PatentLapsedV1(
                patent_number=number,
                credit_code=patent.credit_code,
                agency_id=await enrolments.holder_of(session, patent.credit_code),
                patent_year=first.patent_year,
                due_date=first.due_date,
                grace_end_date=first.grace_end_date,
                lapsed_date=first.due_date,
                detected_on=as_of,
            ),
            source=SOURCE,
            key=number,
        )
        lapsed_codes.add(patent.credit_code)
    await session.flush()
    for code in sorted(lapsed_codes):
        await recount_enterprise(session, code, "patent lapsed")
    return lapsed


async def _send_reminders(session: AsyncSession, as_of: date) -> int:
    """At most one reminder per deadline, the most urgent one reached and not yet sent."""
    horizon = as_of + timedelta(days=max(docket.RULES.reminder_days_before_due))
    window = await repository.deadlines_in_reminder_window(session, as_of, horizon)
    already = await repository.sent_reminders(session, [d.id for d, _, _ in window])
    count = 0
    now = utc_now()
    for deadline, credit_code, agency_id in window:
        sent = {(Milestone(m), k) for m, k in already[deadline.id]}
        reminder = docket.reminder_for(deadline.due_date, deadline.grace_end_date, as_of, sent)
        if reminder is None:
            continue
        session.add(
            FeeReminder(
                deadline_id=deadline.id,
                milestone=reminder.milestone.value,
                offset_days=reminder.offset_days,
                reminded_on=as_of,
                created_at=now,
            )
        )
        add_to_outbox(
            session,
            _fee_due(deadline, credit_code, agency_id, reminder, as_of),
            source=SOURCE,
            key=deadline.patent_number,
        )
        count += 1
    await session.flush()
    return count


def _fee_due(
    deadline: FeeDeadline, credit_code: str, agency_id: str, reminder: docket.Reminder, as_of: date
) -> FeeDueV1:
    return FeeDueV1(
        deadline_id=deadline.id,
        patent_number=deadline.patent_number,
        credit_code=credit_code,
        agency_id=agency_id,
        patent_year=deadline.patent_year,
        milestone=reminder.milestone.value,
        offset_days=reminder.offset_days,
        days_left=reminder.days_left,
        due_date=deadline.due_date,
        grace_end_date=deadline.grace_end_date,
        fee=format_yuan(deadline.fee_fen),
        surcharge_if_paid_at_grace_end=format_yuan(
            docket.surcharge_fen(deadline.fee_fen, deadline.due_date, deadline.grace_end_date)
        ),
        reminded_on=as_of,
    )


async def record_payment(
    session: AsyncSession, principal: Principal, deadline_id: str, data: FeePaymentCreate, today: date
) -> DocketLine:
    """Record that an annual fee was paid; a payment in the grace period carries its surcharge.
    Returns the deadline with its enterprise's credit code and the payment."""
    deadline = await repository.get_deadline(session, deadline_id, for_update=True)
    patent = await repository.get_patent(session, deadline.patent_number) if deadline else None
    if deadline is None or patent is None:
        raise NotFound(f"no fee deadline {deadline_id}")
    await writable_enterprise(session, principal, patent.credit_code)
    if deadline.status != DeadlineStatus.OPEN:
        raise Conflict(f"the fee of year {deadline.patent_year} is {deadline.status}", allowed_moves=[])
    if data.paid_date > today:
        raise RuleViolation(f"{data.paid_date} is in the future", field="body.paid_date")
    if data.paid_date > deadline.grace_end_date:
        raise RuleViolation(
            f"the grace period ended on {deadline.grace_end_date}; the patent has lapsed", field="body.paid_date"
        )
    surcharge = docket.surcharge_fen(deadline.fee_fen, deadline.due_date, data.paid_date)
    payment = FeePayment(
        deadline_id=deadline_id,
        paid_date=data.paid_date,
        amount_fen=to_fen(data.amount),
        surcharge_fen=surcharge,
        recorded_by=principal.owner_key,
        recorded_at=utc_now(),
    )
    deadline.status = DeadlineStatus.PAID
    session.add(payment)
    await flush_or_conflict(session, "this fee was paid at the same moment")
    return deadline, patent.credit_code, payment


async def enterprise_docket(session: AsyncSession, principal: Principal, credit_code: str) -> list[DocketLine]:
    """Every deadline of a readable enterprise's patents, by due date, with payments."""
    enterprise = await readable_enterprise(session, principal, credit_code)
    rows = await repository.docket_of(session, enterprise.credit_code)
    return await _with_payments(session, rows)


async def docket_window(
    session: AsyncSession,
    principal: Principal,
    *,
    from_date: date | None,
    to_date: date | None,
    status: DeadlineStatus | None,
    limit: int,
    offset: int,
    today: date,
) -> tuple[list[DocketLine], int]:
    """Deadlines due in a window (default: the next 90 days) for enterprises held now, and the total."""
    start = from_date or today
    end = to_date or start + timedelta(days=90)
    if end < start:
        raise RuleViolation("to_date is before from_date", field="query.to_date")
    rows, total = await repository.list_docket(
        session, principal, from_date=start, to_date=end, status=status, limit=limit, offset=offset
    )
    return await _with_payments(session, rows), total


async def _with_payments(session: AsyncSession, rows: Sequence[tuple[FeeDeadline, str]]) -> list[DocketLine]:
    payments = await repository.payments_for(session, [d.id for d, _ in rows])
    return [(d, c, payments.get(d.id)) for d, c in rows]
