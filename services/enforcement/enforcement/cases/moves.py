"""The case workflow as a table: what each move does beyond entering its status, and the event it
announces. `domain/workflow.py` says which move is allowed from where; `MOVES` says what happens
when it is made; `transition_case` applies the common part (status, its timestamp, version,
history, timeline) and then the move's row of the table. Never commit: the route owns the
transaction."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement.cases import indicators, repository
from enforcement.cases.repository import CaseRows
from enforcement.cases.schemas import CaseTransition
from enforcement.cases.service import for_update, rows_of
from enforcement.common import SOURCE, actor_of, record, token_digest
from enforcement.deadlines import service as deadlines
from enforcement.domain import workflow
from enforcement.domain.calendar import CalendarYearMissing, WorkCalendar
from enforcement.enums import CaseStatus, CaseType, Move, RightKind
from enforcement.models import Case, CasePause, CaseStateChange, RatingToken
from ipops.auth import Principal
from ipops.clock import district_date, utc_now
from ipops.contracts.enforcement import (
    CaseAcceptedV1,
    CaseCancelledV1,
    CaseClosedV1,
    CaseDecidedV1,
    CaseMediatedV1,
    CaseWithdrawnV1,
)
from ipops.errors import Conflict, RuleViolation
from ipops.events import EventPayload, add_to_outbox


@dataclass(frozen=True)
class Moved:
    """A move just made: the case (already in its new status) and what the effects need."""

    session: AsyncSession
    case: Case
    step: workflow.Step
    at: datetime
    actor: str
    calendar: WorkCalendar
    reason: str | None = None
    # The case's parties, rights and handlers, read once after the lock: no move changes them, and
    # the deadlines, the event, the ledger and the answer all use them.
    rows: CaseRows | None = None
    # The case's pauses once read (a move reads them at most once; ending one changes the rows
    # in place).
    loaded_pauses: dict[str, list[CasePause]] = field(default_factory=dict)

    async def pauses(self) -> list[CasePause]:
        """The case's pauses, read on first use."""
        if self.case.id not in self.loaded_pauses:
            self.loaded_pauses[self.case.id] = (await repository.pauses_of(self.session, [self.case.id])).get(
                self.case.id, []
            )
        return self.loaded_pauses[self.case.id]

    async def refresh_deadlines(self, as_of: date) -> None:
        """The case's kept deadline again, from what this move has already read."""
        await deadlines.refresh_deadlines(
            self.session,
            self.case,
            self.calendar,
            as_of,
            rights=self.rows.rights if self.rows is not None else None,
            pauses=await self.pauses(),
        )


@dataclass(frozen=True)
class Announced:
    """What every event of a move repeats: the case's rights and its requesters' credit codes."""

    patents: list[str]
    trademarks: list[str]
    codes: list[str]


# An effect does what a move does beyond entering its status; it returns a secret to hand back
# once (the rating token of a closure), or None.
Effect = Callable[[Moved], Awaitable[str | None]]
Announce = Callable[[Moved, Announced], EventPayload]


@dataclass(frozen=True)
class MoveRule:
    """One row of the table: the move's effect (if any) and the event it announces (if any)."""

    effect: Effect | None = None
    announce: Announce | None = None


# --- effects -------------------------------------------------------------------------------------


async def start_handling_clock(moved: Moved) -> str | None:
    """Acceptance starts the handling clock on the day of acceptance (district date)."""
    day = district_date(moved.at)
    moved.case.handling_started_date = day
    await moved.refresh_deadlines(day)
    return None


async def issue_rating_token(moved: Moved) -> str | None:
    """Closure judges the outcome against its deadline and invites a rating with a single-use
    token (returned once; only its digest is kept)."""
    case, at = moved.case, moved.at
    if case.calendar_missing_year is not None:  # the year may be covered by now
        await moved.refresh_deadlines(district_date(at))
    case.closed_within_deadline = _within_deadline(case, moved.step.from_status, at)
    token = secrets.token_urlsafe(32)
    moved.session.add(RatingToken(case_id=case.id, token_sha256=token_digest(token), issued_at=at))
    record(moved.session, case.id, moved.actor, "rating_token_issued", "satisfaction rating invited", at)
    return token


def _within_deadline(case: Case, closed_from: CaseStatus, closed_at: datetime) -> bool:
    """Whether the outcome came in time: the date the outcome was reached (the status the case is
    closed from, or the closure itself when assistance closes straight from review) against the
    clock that was running then; `CalendarYearMissing` (409) when that deadline needs a year no
    source covers and the outcome came in that year."""
    outcome_at = closed_at if closed_from is CaseStatus.UNDER_REVIEW else getattr(case, f"{closed_from.value}_at")
    outcome_date = district_date(outcome_at)
    due = case.handling_due_date if case.handling_started_date is not None else case.acceptance_due_date
    if due is not None:
        return outcome_date <= due
    # The deadline waits for a calendar year, so it falls in that year or later: an outcome
    # before the year is in time; one in it cannot be judged until the year is covered.
    year = case.calendar_missing_year or outcome_date.year
    if outcome_date.year < year:
        return True
    raise CalendarYearMissing(year)


# --- events --------------------------------------------------------------------------------------


def accepted(moved: Moved, facts: Announced) -> EventPayload:
    """`case.accepted`, with the handling deadline just started."""
    case = moved.case
    return CaseAcceptedV1(
        case_id=case.id,
        case_type=case.case_type,
        channel=case.channel,
        requester_credit_codes=facts.codes,
        accepted_at=moved.at,
        handling_due_date=case.handling_due_date,
    )


def decided(moved: Moved, facts: Announced) -> EventPayload:
    """`case.decided`."""
    case = moved.case
    return CaseDecidedV1(
        case_id=case.id,
        case_type=case.case_type,
        requester_credit_codes=facts.codes,
        patent_numbers=facts.patents,
        trademark_numbers=facts.trademarks,
        decided_at=moved.at,
        resolution_reason=case.resolution_reason,
    )


def mediated(moved: Moved, facts: Announced) -> EventPayload:
    """`case.mediated`."""
    case = moved.case
    return CaseMediatedV1(
        case_id=case.id,
        case_type=case.case_type,
        requester_credit_codes=facts.codes,
        patent_numbers=facts.patents,
        trademark_numbers=facts.trademarks,
        mediated_at=moved.at,
        resolution_reason=case.resolution_reason,
    )


def withdrawn(moved: Moved, facts: Announced) -> EventPayload:
    """`case.withdrawn`."""
    case = moved.case
    return CaseWithdrawnV1(
        case_id=case.id,
        case_type=case.case_type,
        requester_credit_codes=facts.codes,
        patent_numbers=facts.patents,
        trademark_numbers=facts.trademarks,
        withdrawn_at=moved.at,
        reason=moved.reason,
    )


def cancelled(moved: Moved, facts: Announced) -> EventPayload:
    """`case.cancelled`, with why (the move requires a reason)."""
    case = moved.case
    return CaseCancelledV1(
        case_id=case.id,
        case_type=case.case_type,
        requester_credit_codes=facts.codes,
        patent_numbers=facts.patents,
        trademark_numbers=facts.trademarks,
        cancelled_at=moved.at,
        reason=moved.reason or "",
        resolution_reason=case.resolution_reason,
    )


def closed(moved: Moved, facts: Announced) -> EventPayload:
    """`case.closed`, naming the outcome it closes and whether it came within the deadline."""
    case = moved.case
    return CaseClosedV1(
        case_id=case.id,
        case_type=case.case_type,
        channel=case.channel,
        outcome=moved.step.from_status.value,
        resolution_reason=case.resolution_reason,
        requester_credit_codes=facts.codes,
        patent_numbers=facts.patents,
        trademark_numbers=facts.trademarks,
        closed_at=moved.at,
        within_deadline=case.closed_within_deadline,
    )


MOVES: Mapping[Move, MoveRule] = {
    Move.ACCEPT: MoveRule(effect=start_handling_clock, announce=accepted),
    Move.REJECT: MoveRule(),
    Move.START_REVIEW: MoveRule(),
    Move.DECIDE: MoveRule(announce=decided),
    Move.MEDIATE: MoveRule(announce=mediated),
    Move.FAIL_MEDIATION: MoveRule(),
    Move.WITHDRAW: MoveRule(announce=withdrawn),
    Move.CANCEL: MoveRule(announce=cancelled),
    Move.CLOSE: MoveRule(effect=issue_rating_token, announce=closed),
}


# --- the use case --------------------------------------------------------------------------------


async def transition_case(
    session: AsyncSession, case_id: str, data: CaseTransition, principal: Principal
) -> tuple[CaseRows, str | None]:
    """Apply a move: status, its timestamp, history, timeline, deadlines and the event; closing
    issues the single-use rating token (returned once, only its hash is kept)."""
    case = await for_update(session, case_id)
    if data.expected_version is not None and data.expected_version != case.version:
        raise Conflict(f"case {case_id} changed (version {case.version})", version=case.version)
    step = workflow.transition(CaseType(case.case_type), CaseStatus(case.status), data.move)
    if step.move is Move.CANCEL and not data.reason:
        raise RuleViolation("say why the case is cancelled (opened in error, merged, a duplicate)", field="body.reason")
    at = _occurred_at(case, data)
    calendar = await deadlines.load_calendar(session)
    rows = await rows_of(session, case)
    counted = indicators.facts_of(case)
    moved = Moved(session, case, step, at, actor_of(principal), calendar, data.reason, rows)
    await _stop_paused_clock(moved)
    _enter(moved, data)
    rule = MOVES[step.move]
    token = None
    if rule.effect is not None:
        # The effect's reads (pauses, extensions) do not depend on the case row just changed in
        # the session: one UPDATE of it at the end instead of one before and one after them.
        with session.no_autoflush:
            token = await rule.effect(moved)
    codes = repository.requester_codes_of(rows.parties)
    if rule.announce is not None:
        add_to_outbox(session, rule.announce(moved, _announced(rows, codes)), source=SOURCE, key=case.id)
    # Counted again whenever the move changed what the counting rules see of the case (today only
    # a withdrawal or a cancellation does, but the test is on the facts, not on a list of moves, so
    # no move that takes a case out can be forgotten here). A move that changes none of them
    # cannot change a contribution: the case's own, and its enterprises', were written by the
    # intake or change that made them what they are (cases from before the ledger are counted by
    # the recount, README "Indicators"), and re-reading them cost four statements a move.
    if indicators.facts_of(case) != counted:
        await indicators.count_case(session, case, codes)
    return rows, token


def _occurred_at(case: Case, data: CaseTransition) -> datetime:
    """When the move happened: now, or earlier when recorded afterwards (never in the future,
    never before the case's previous status)."""
    current = utc_now()
    at = data.occurred_at or current
    if at.tzinfo is None:
        raise RuleViolation("occurred_at needs a time zone", field="body.occurred_at")
    if at > current:
        raise RuleViolation("occurred_at is in the future", field="body.occurred_at")
    stamps = [getattr(case, f"{s.value}_at") for s in CaseStatus]
    if at < max(s for s in stamps if s is not None):
        raise RuleViolation("occurred_at is before the case's previous status", field="body.occurred_at")
    return at


def _enter(moved: Moved, data: CaseTransition) -> None:
    """The part every move shares: the new status and its timestamp, the version, the outcome's
    words, the history row and the timeline entry."""
    case, step, at = moved.case, moved.step, moved.at
    case.status = step.to_status.value
    setattr(case, step.timestamp_field, at)
    case.version += 1
    if data.resolution_reason is not None:
        case.resolution_reason = data.resolution_reason
    if data.resolution is not None:
        case.resolution = data.resolution
    moved.session.add(
        CaseStateChange(
            case_id=case.id,
            from_status=step.from_status.value,
            to_status=step.to_status.value,
            move=step.move.value,
            actor=moved.actor,
            reason=data.reason,
            at=at,
        )
    )
    record(
        moved.session,
        case.id,
        moved.actor,
        "status_changed",
        f"{step.from_status.value} -> {step.to_status.value}",
        at,
        move=step.move.value,
        reason=data.reason,
        resolution_reason=data.resolution_reason,
    )


def _announced(rows: CaseRows, codes: list[str]) -> Announced:
    rights = rows.rights
    return Announced(
        patents=[r.number for r in rights if r.kind == RightKind.PATENT.value],
        trademarks=[r.number for r in rights if r.kind == RightKind.TRADEMARK.value],
        codes=codes,
    )


async def _stop_paused_clock(moved: Moved) -> None:
    """A move that ends the running clock while it is paused ends the pause on the move's day
    first, so the deadline the outcome is judged against counts the whole pause and no more."""
    session, case, at = moved.session, moved.case, moved.at
    clock = deadlines.running_clock(case)
    if clock is None or workflow.running_clock(moved.step.to_status) is clock:
        return
    day = district_date(at)
    pauses = await moved.pauses()
    open_pauses = [p for p in pauses if p.clock == clock.value and p.ended_on is None]
    if not open_pauses:
        return
    for pause in open_pauses:
        pause.ended_on = max(day, pause.started_on + timedelta(days=1))
        record(
            session,
            case.id,
            moved.actor,
            "clock_resumed",
            f"{clock.value} clock resumed by the move",
            at,
            clock=clock.value,
            ended_on=pause.ended_on.isoformat(),
            pause_id=pause.id,
        )
    await session.flush()
    await moved.refresh_deadlines(day)
