"""Use cases on a case's clocks: pause (中止) and resume the running clock, extend the handling
deadline within its rule's maximum. Each recomputes the running deadline in the same transaction.
Never commit: the route owns the transaction."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import repository
from enforcement.cases.schemas import ExtensionCreate, PauseCreate, PauseEnd
from enforcement.cases.service import for_update
from enforcement.common import actor_of, record
from enforcement.deadlines import service as deadlines
from enforcement.domain.deadline import check_extension
from enforcement.enums import Clock
from enforcement.models import CaseExtension, CasePause
from ipops.auth import Principal
from ipops.clock import district_today, utc_now
from ipops.errors import Conflict, NotFound, RuleViolation


async def pause_clock(session: AsyncSession, case_id: str, data: PauseCreate, principal: Principal) -> CasePause:
    """Stop the running clock from `started_on`, with the reason."""
    case = await for_update(session, case_id)
    if deadlines.running_clock(case) is not data.clock:
        raise Conflict(
            f"the {data.clock.value} clock is not running in status {case.status}", current_status=case.status
        )
    start = case.received_date if data.clock is Clock.ACCEPTANCE else case.handling_started_date
    assert start is not None
    as_of = district_today()
    if not start < data.started_on <= as_of:
        raise RuleViolation(f"a pause starts after {start} and not after today ({as_of})", field="body.started_on")
    pauses = (await repository.pauses_of(session, [case.id])).get(case.id, [])
    if any(p.clock == data.clock.value and p.ended_on is None for p in pauses):
        raise Conflict(f"the {data.clock.value} clock is already paused")
    if any(p.clock == data.clock.value and p.ended_on is not None and data.started_on < p.ended_on for p in pauses):
        raise RuleViolation("a pause cannot overlap an earlier one", field="body.started_on")
    at = utc_now()
    pause = CasePause(
        case_id=case.id,
        clock=data.clock.value,
        started_on=data.started_on,
        reason=data.reason,
        recorded_by=actor_of(principal),
        recorded_at=at,
    )
    session.add(pause)
    await session.flush()
    await deadlines.refresh_deadlines(session, case, await deadlines.load_calendar(session), as_of)
    case.version += 1
    record(
        session,
        case.id,
        actor_of(principal),
        "clock_paused",
        f"{data.clock.value} clock paused: {data.reason}",
        at,
        clock=data.clock.value,
        started_on=data.started_on.isoformat(),
    )
    return pause


async def resume_clock(
    session: AsyncSession, case_id: str, pause_id: str, data: PauseEnd, principal: Principal
) -> CasePause:
    """Restart a paused clock on `ended_on`; the deadline moves by the time stopped."""
    case = await for_update(session, case_id)
    pause = await repository.get_pause(session, case.id, pause_id)
    if pause is None:
        raise NotFound(f"pause {pause_id} not found on case {case_id}")
    if pause.ended_on is not None:
        raise Conflict("this pause has already ended")
    as_of = district_today()
    if not pause.started_on < data.ended_on <= as_of + timedelta(days=1):
        raise RuleViolation(f"a pause ends after it starts ({pause.started_on}) and by tomorrow", field="body.ended_on")
    pause.ended_on = data.ended_on
    await session.flush()
    await deadlines.refresh_deadlines(session, case, await deadlines.load_calendar(session), as_of)
    case.version += 1
    record(
        session,
        case.id,
        actor_of(principal),
        "clock_resumed",
        f"{pause.clock} clock resumed",
        utc_now(),
        clock=pause.clock,
        ended_on=data.ended_on.isoformat(),
        pause_id=pause.id,
    )
    return pause


async def grant_extension(
    session: AsyncSession, case_id: str, data: ExtensionCreate, principal: Principal
) -> CaseExtension:
    """Extend the handling deadline within the rule's maximum."""
    case = await for_update(session, case_id)
    if deadlines.running_clock(case) is not Clock.HANDLING:
        raise Conflict(f"the handling clock is not running in status {case.status}", current_status=case.status)
    calendar = await deadlines.load_calendar(session)
    as_of = district_today()
    current, granted = await deadlines.current_handling_deadline(session, case, calendar, as_of)
    check_extension(current.rule, complex_case=case.complex, granted=granted, requested=data.amount)
    at = utc_now()
    extension = CaseExtension(
        case_id=case.id,
        amount=data.amount,
        unit=current.rule.unit.value,
        reason=data.reason,
        granted_by=actor_of(principal),
        granted_at=at,
    )
    session.add(extension)
    await session.flush()
    await deadlines.refresh_deadlines(session, case, calendar, as_of)
    case.version += 1
    record(
        session,
        case.id,
        actor_of(principal),
        "deadline_extended",
        f"handling deadline extended by {data.amount} {current.rule.unit.value}: {data.reason}",
        at,
        amount=data.amount,
        unit=current.rule.unit.value,
        handling_due_date=case.handling_due_date.isoformat() if case.handling_due_date else None,
        calendar_missing_year=case.calendar_missing_year,
    )
    return extension
