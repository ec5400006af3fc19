"""Use cases of deadlines: keep the clocks of cases up to date (after a move, a pause, an
extension or a calendar edit), judge open cases against them on a day, and flag the overdue ones
once. A deadline that needs a calendar year no source covers waits, visibly: its date is None and
the case names the year (`calendar_missing_year`) until the year is covered. Never commit: the
route (or the daily job) owns the transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.calendar import repository as calendar_days
from enforcement.cases import repository as cases
from enforcement.common import SOURCE, record
from enforcement.deadlines import repository
from enforcement.deadlines.schemas import ClockState, DeadlineState, Judged, WaitingState
from enforcement.domain import workflow
from enforcement.domain.calendar import CalendarYearMissing, WorkCalendar, combine
from enforcement.domain.deadline import (
    Deadline,
    Pause,
    RuleBook,
    deadline,
    is_overdue,
    load_rules,
    remaining_working_days,
)
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import CaseStatus, CaseType, Channel, Clock
from enforcement.models import Case, CasePause, CaseRight
from ipops.clock import district_today, utc_now
from ipops.contracts.enforcement import CaseOverdueV1
from ipops.events import add_to_outbox

log = logging.getLogger(__name__)

RULES: RuleBook = load_rules()


async def load_calendar(session: AsyncSession) -> WorkCalendar:
    """The calendar deadlines count on: the official calendar (the library), the operator's table
    over it day by day, covering the library's years and the years operators declared complete."""
    operator, declared = await calendar_days.calendar_source(session)
    return combine(OFFICIAL, operator, declared)


def running_clock(case: Case) -> Clock | None:
    """The clock that runs in the case's status (None once an outcome is reached)."""
    return workflow.running_clock(CaseStatus(case.status))


def kept_clock(case: Case) -> Clock | None:
    """The clock whose deadline the case keeps up to date: the running one, or, while a deadline
    waits for a calendar year after its clock stopped, the one its outcome is judged against."""
    running = running_clock(case)
    if running is not None or case.calendar_missing_year is None:
        return running
    return Clock.HANDLING if case.handling_started_date is not None else Clock.ACCEPTANCE


def start_acceptance_clock(case: Case, calendar: WorkCalendar) -> None:
    """The acceptance deadline of a case just received, or its wait for a missing calendar year
    (the case is saved either way)."""
    try:
        case.acceptance_due_date = deadline([RULES.acceptance], case.received_date, calendar).due_date
    except CalendarYearMissing as missing:
        case.acceptance_due_date, case.calendar_missing_year = None, missing.year


def handling_deadline(
    case: Case,
    rights: Sequence[CaseRight],
    calendar: WorkCalendar,
    pauses: Sequence[Pause],
    extension: int,
    as_of: date,
) -> Deadline:
    """The handling deadline of an accepted case."""
    assert case.handling_started_date is not None
    rules = RULES.handling_rules(
        CaseType(case.case_type), Channel(case.channel), [r.patent_type for r in rights if r.patent_type]
    )
    return deadline(
        rules,
        case.handling_started_date,
        calendar,
        complex_case=case.complex,
        extension=extension,
        pauses=pauses,
        as_of=as_of,
    )


def _pauses(rows: Sequence[CasePause], clock: Clock) -> list[Pause]:
    return [Pause(p.started_on, p.ended_on) for p in rows if p.clock == clock.value]


def _paused_on(rows: Sequence[CasePause], clock: Clock, as_of: date) -> bool:
    return any(
        p.clock == clock.value and p.started_on <= as_of and (p.ended_on is None or p.ended_on > as_of) for p in rows
    )


async def current_handling_deadline(
    session: AsyncSession, case: Case, calendar: WorkCalendar, as_of: date
) -> tuple[Deadline, int]:
    """The handling deadline running now, and the extensions granted so far (in the rule's unit);
    `CalendarYearMissing` when its due date needs a year no source covers."""
    pauses = (await cases.pauses_of(session, [case.id])).get(case.id, [])
    return await _handling(session, case, calendar, pauses, as_of)


async def _handling(
    session: AsyncSession,
    case: Case,
    calendar: WorkCalendar,
    pauses: Sequence[CasePause],
    as_of: date,
    rights: Sequence[CaseRight] | None = None,
) -> tuple[Deadline, int]:
    if rights is None:
        rights = (await cases.rights_of(session, [case.id])).get(case.id, [])
    extensions = (await cases.extensions_of(session, [case.id])).get(case.id, [])
    granted = sum(e.amount for e in extensions)
    return handling_deadline(case, rights, calendar, _pauses(pauses, Clock.HANDLING), granted, as_of), granted


async def refresh_deadlines(
    session: AsyncSession,
    case: Case,
    calendar: WorkCalendar,
    as_of: date,
    *,
    rights: Sequence[CaseRight] | None = None,
    pauses: Sequence[CasePause] | None = None,
) -> None:
    """Recompute the kept clock of a case after a pause, an extension or a calendar edit; when it
    needs a year no source covers, its dates become None and the case names the year. A caller
    that has the case's rights or pauses loaded passes them (a move), and they are not read again."""
    clock = kept_clock(case)
    if clock is None:
        return
    if pauses is None:
        pauses = (await cases.pauses_of(session, [case.id])).get(case.id, [])
    try:
        if clock is Clock.ACCEPTANCE:
            result = deadline(
                [RULES.acceptance], case.received_date, calendar, pauses=_pauses(pauses, clock), as_of=as_of
            )
            case.acceptance_due_date = result.due_date
        else:
            result, _granted = await _handling(session, case, calendar, pauses, as_of, rights)
            case.handling_due_date, case.handling_max_date = result.due_date, result.max_date
    except CalendarYearMissing as missing:
        if clock is Clock.ACCEPTANCE:
            case.acceptance_due_date = None
        else:
            case.handling_due_date = case.handling_max_date = None
        case.calendar_missing_year = missing.year
        return
    case.calendar_missing_year = result.max_missing_year


async def refresh_open_cases(session: AsyncSession, as_of: date) -> int:
    """Recompute the clocks of every open case (the calendar changed, or the daily check), each
    case locked as a move locks it; returns how many were recomputed."""
    calendar = await load_calendar(session)
    ids = [c.id for c in await repository.open_cases(session) if kept_clock(c) is not None]
    if not ids:
        return 0
    for case in await repository.lock_cases(session, ids):
        await refresh_deadlines(session, case, calendar, as_of)
    await session.flush()
    return len(ids)


def _remaining(due: date, as_of: date, calendar: WorkCalendar) -> int | CalendarYearMissing:
    try:
        return remaining_working_days(due, as_of, calendar)
    except CalendarYearMissing as missing:
        return missing


def _clock_state(
    clock: Clock,
    case: Case,
    due: date | None,
    max_date: date | None,
    pauses: Sequence[CasePause],
    calendar: WorkCalendar,
    as_of: date,
) -> ClockState:
    paused = _paused_on(pauses, clock, as_of)
    running = running_clock(case) is clock
    waiting = case.calendar_missing_year if kept_clock(case) is clock else None
    if not running or due is None:
        return ClockState(clock, running, paused, due, max_date, False, None, waiting)
    remaining = _remaining(due, as_of, calendar)
    if isinstance(remaining, CalendarYearMissing):
        remaining, waiting = None, remaining.year  # type: ignore[assignment]
    return ClockState(clock, running, paused, due, max_date, not paused and is_overdue(due, as_of), remaining, waiting)


async def case_clocks(session: AsyncSession, case: Case, as_of: date) -> list[ClockState]:
    """The acceptance and handling clocks of one case as of a day, with whether each is paused
    (a paused clock is never overdue) and the calendar year it waits for, if any."""
    calendar = await load_calendar(session)
    pauses = (await cases.pauses_of(session, [case.id])).get(case.id, [])
    return [
        _clock_state(Clock.ACCEPTANCE, case, case.acceptance_due_date, None, pauses, calendar, as_of),
        _clock_state(Clock.HANDLING, case, case.handling_due_date, case.handling_max_date, pauses, calendar, as_of),
    ]


def _judge(
    case: Case, clock: Clock, pauses: Sequence[CasePause], calendar: WorkCalendar, as_of: date
) -> DeadlineState | WaitingState | None:
    due = case.acceptance_due_date if clock is Clock.ACCEPTANCE else case.handling_due_date
    if due is None:
        year = case.calendar_missing_year
        return WaitingState(case, clock, year) if year is not None else None
    paused = _paused_on(pauses, clock, as_of)
    overdue = not paused and is_overdue(due, as_of)
    remaining = _remaining(due, as_of, calendar)
    if isinstance(remaining, CalendarYearMissing):
        return WaitingState(case, clock, remaining.year)
    days_overdue = (as_of - due).days if overdue else 0
    return DeadlineState(case, clock, due, paused, overdue, days_overdue, remaining)


async def deadline_states(session: AsyncSession, as_of: date) -> Judged:
    """Every open case with a running clock, against that clock on `as_of`. A paused clock is
    neither overdue nor at risk: it is stopped. A clock that needs a calendar year no source
    covers cannot be judged: the case is listed as waiting for it."""
    calendar = await load_calendar(session)
    open_cases = [c for c in await repository.open_cases(session) if running_clock(c) is not None]
    pauses = await cases.pauses_of(session, [c.id for c in open_cases])
    states, waiting = [], []
    for case in open_cases:
        clock = running_clock(case)
        assert clock is not None
        judged = _judge(case, clock, pauses.get(case.id, []), calendar, as_of)
        if isinstance(judged, WaitingState):
            waiting.append(judged)
        elif judged is not None:
            states.append(judged)
    return Judged(states, waiting)


def _soonest_first(states: list[DeadlineState]) -> list[DeadlineState]:
    return sorted(states, key=lambda s: (s.due_date, s.case.id))


async def overdue_cases(session: AsyncSession, as_of: date | None) -> tuple[date, Judged]:
    """Open cases past the due date of their running clock on `as_of` (default: today in the
    district), most overdue first, and the cases waiting for a calendar year; returns the day
    judged by and the cases."""
    day = as_of or district_today()
    judged = await deadline_states(session, day)
    return day, Judged(_soonest_first([s for s in judged.states if s.overdue]), judged.waiting)


async def at_risk_cases(
    session: AsyncSession, as_of: date | None, within_working_days: int | None, *, default_within: int
) -> tuple[date, Judged]:
    """Open cases not overdue nor paused whose running clock falls due within `within_working_days`
    working days (`default_within` when not given) of `as_of` (default: today), soonest first, and
    the cases waiting for a calendar year."""
    day = as_of or district_today()
    limit = within_working_days if within_working_days is not None else default_within
    judged = await deadline_states(session, day)
    states = [s for s in judged.states if not s.overdue and not s.paused and s.remaining_working_days <= limit]
    return day, Judged(_soonest_first(states), judged.waiting)


async def scan_overdue(session: AsyncSession, as_of: date) -> Judged:
    """Flag every case whose running clock passed its due date on `as_of` and publish
    `case.overdue` for it, once per case and clock whatever the number of scans. Cases whose
    deadline waits for a calendar year are returned (and logged as a warning), never dropped."""
    judged = await deadline_states(session, as_of)
    if judged.waiting:
        years = sorted({w.year for w in judged.waiting})
        log.warning(
            f"overdue scan: {len(judged.waiting)} open cases wait for the holiday calendar of {years}",
            extra={"as_of": str(as_of), "years": years, "cases": [w.case.id for w in judged.waiting]},
        )
    states = [
        s
        for s in judged.states
        if s.overdue and getattr(s.case, f"{s.clock.value}_overdue_at") is None  # flagged ones cost nothing
    ]
    return Judged(await _flag_all(session, states, as_of), judged.waiting)


async def _flag_all(session: AsyncSession, states: list[DeadlineState], as_of: date) -> list[DeadlineState]:
    if not states:
        return []
    ids = [s.case.id for s in states]
    # One statement locks them all (in id order, so two scans never deadlock) and re-reads them:
    # a scan running at the same time has either flagged a case already, or waits for us.
    locked = {c.id: c for c in await repository.lock_cases(session, ids)}
    codes = await cases.requester_codes(session, ids)
    handlers = await cases.handlers_of(session, ids)
    at = utc_now()
    flagged = []
    for state in states:
        case = locked[state.case.id]
        if getattr(case, f"{state.clock.value}_overdue_at") is not None or running_clock(case) is not state.clock:
            continue
        active = [h.handler_id for h in handlers.get(case.id, []) if h.released_at is None]
        _flag_overdue(session, case, state, at, as_of, codes.get(case.id, []), active)
        flagged.append(state)
    return flagged


def _flag_overdue(
    session: AsyncSession,
    case: Case,
    state: DeadlineState,
    at: datetime,
    as_of: date,
    codes: list[str],
    handler_ids: list[str],
) -> None:
    setattr(case, f"{state.clock.value}_overdue_at", at)
    record(
        session,
        case.id,
        "system:overdue-scan",
        "overdue",
        f"{state.clock.value} deadline {state.due_date} passed",
        at,
        clock=state.clock.value,
        due_date=state.due_date.isoformat(),
        as_of=as_of.isoformat(),
    )
    add_to_outbox(
        session,
        CaseOverdueV1(
            case_id=case.id,
            case_type=case.case_type,
            channel=case.channel,
            clock=state.clock.value,
            due_date=state.due_date,
            as_of=as_of,
            requester_credit_codes=codes,
            handler_ids=handler_ids,
        ),
        source=SOURCE,
        key=case.id,
    )
