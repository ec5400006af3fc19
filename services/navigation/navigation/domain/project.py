"""The navigation project's life: states, phases and the deliverables each phase gate asks for.

Guarantees: a project leaves a phase only when every deliverable of that phase and of the phases
before it is present (the gate is cumulative, so nothing skipped early slips through later); a
refused move names exactly what is missing; only the district office approves, accepts, returns or
rejects, while the undertaking organisation may complete the phases of its own project.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ipops.errors import Conflict, Forbidden, RuleViolation
from navigation.enums import DeliverableKind, Phase, ProjectKind, ProjectMove, ProjectStatus

# GB/T 39551 part of each kind; only parts 3 and 4 are open for new projects.
GBT_PART = {
    ProjectKind.REGIONAL_PLANNING: 2,
    ProjectKind.INDUSTRY_PLANNING: 3,
    ProjectKind.ENTERPRISE_OPERATION: 4,
    ProjectKind.RND_ACTIVITY: 5,
    ProjectKind.TALENT_MANAGEMENT: 6,
}
OPEN_KINDS = frozenset({ProjectKind.INDUSTRY_PLANNING, ProjectKind.ENTERPRISE_OPERATION})

PHASE_ORDER = (Phase.PREPARATION, Phase.RETRIEVAL, Phase.ANALYSIS, Phase.REVIEW)

# What must be present to leave each phase (the review phase is left by acceptance).
PHASE_DELIVERABLES: dict[Phase, tuple[DeliverableKind, ...]] = {
    Phase.PREPARATION: (DeliverableKind.TECHNOLOGY_DECOMPOSITION,),
    Phase.RETRIEVAL: (DeliverableKind.SEARCH_STRATEGY, DeliverableKind.DATASET_SNAPSHOT),
    Phase.ANALYSIS: (DeliverableKind.REPORT,),
    Phase.REVIEW: (DeliverableKind.ACCEPTANCE_OPINION,),
}

ALLOWED_MOVES: dict[ProjectStatus, frozenset[ProjectMove]] = {
    ProjectStatus.PROPOSED: frozenset({ProjectMove.APPROVE, ProjectMove.REJECT}),
    ProjectStatus.IN_PROGRESS: frozenset({ProjectMove.COMPLETE_PHASE}),
    ProjectStatus.UNDER_REVIEW: frozenset({ProjectMove.ACCEPT, ProjectMove.RETURN_FOR_REWORK, ProjectMove.REJECT}),
    ProjectStatus.ACCEPTED: frozenset(),
    ProjectStatus.REJECTED: frozenset(),
}

OPERATOR_ONLY_MOVES = frozenset(
    {ProjectMove.APPROVE, ProjectMove.ACCEPT, ProjectMove.RETURN_FOR_REWORK, ProjectMove.REJECT}
)


DECIDED = frozenset({ProjectStatus.ACCEPTED, ProjectStatus.REJECTED})


class Announcement(StrEnum):
    """What a move tells the other services (each is one event type of the project topic)."""

    APPROVED = "approved"
    PHASE_COMPLETED = "phase_completed"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class StateChange:
    """The outcome of a legal move."""

    from_status: ProjectStatus
    to_status: ProjectStatus
    from_phase: Phase | None
    to_phase: Phase | None
    move: ProjectMove
    completed_phase: Phase | None = None
    announces: tuple[Announcement, ...] = ()
    # the `<status>_at` column this move stamps, if any (returning for rework stamps none)
    stamps: str | None = None


# Where a move leads from the current phase: (status, phase, the phase it completes).
Target = Callable[[Phase | None], tuple[ProjectStatus, Phase | None, Phase | None]]


def _advance(phase: Phase | None) -> tuple[ProjectStatus, Phase | None, Phase | None]:
    assert phase is not None, "a project in progress has a phase"
    following = next_phase(phase)
    status = ProjectStatus.UNDER_REVIEW if following is Phase.REVIEW else ProjectStatus.IN_PROGRESS
    return status, following, phase


@dataclass(frozen=True)
class MoveRule:
    """What one move does: where it leads, whether the phase gate must be open (and the acceptance
    opinion pass), and the events it announces."""

    target: Target
    gated: bool = False
    needs_passing_opinion: bool = False
    announces: tuple[Announcement, ...] = ()


MOVES: dict[ProjectMove, MoveRule] = {
    ProjectMove.APPROVE: MoveRule(
        lambda phase: (ProjectStatus.IN_PROGRESS, Phase.PREPARATION, None), announces=(Announcement.APPROVED,)
    ),
    ProjectMove.REJECT: MoveRule(lambda phase: (ProjectStatus.REJECTED, phase, None)),
    ProjectMove.RETURN_FOR_REWORK: MoveRule(lambda phase: (ProjectStatus.IN_PROGRESS, Phase.ANALYSIS, None)),
    ProjectMove.COMPLETE_PHASE: MoveRule(_advance, gated=True, announces=(Announcement.PHASE_COMPLETED,)),
    ProjectMove.ACCEPT: MoveRule(
        lambda phase: (ProjectStatus.ACCEPTED, Phase.REVIEW, Phase.REVIEW),
        gated=True,
        needs_passing_opinion=True,
        announces=(Announcement.PHASE_COMPLETED, Announcement.ACCEPTED),
    ),
}

# The timestamp column each move stamps: approval by its move, the other stamps by the status reached.
MOVE_STAMPS: dict[ProjectMove, str] = {ProjectMove.APPROVE: "approved_at"}
STATUS_STAMPS: dict[ProjectStatus, str] = {
    ProjectStatus.UNDER_REVIEW: "under_review_at",
    ProjectStatus.ACCEPTED: "accepted_at",
    ProjectStatus.REJECTED: "rejected_at",
}


def check_kind_open(kind: ProjectKind) -> None:
    """Refuse the reserved kinds (GB/T 39551 parts 2, 5 and 6): the plan runs parts 3 and 4 only."""
    if kind not in OPEN_KINDS:
        raise RuleViolation(
            f"{kind.value} (GB/T 39551.{GBT_PART[kind]}) is reserved; the plan runs industry_planning "
            "and enterprise_operation projects",
            field="body.kind",
        )


def check_plan(
    kind: ProjectKind, start: date, planned_end: date, beneficiary_code: str | None, beneficiary_name: str | None
) -> None:
    """The rules across a proposal's fields (no schema states them): the plan ends on or after it
    starts; an enterprise-operation project names its beneficiary (code and name), an
    industry-planning one none."""
    if planned_end < start:
        raise RuleViolation("planned_end_date is before start_date", field="body.planned_end_date")
    if kind is ProjectKind.ENTERPRISE_OPERATION and (beneficiary_code is None or beneficiary_name is None):
        raise RuleViolation(
            "an enterprise_operation project names its beneficiary_credit_code and beneficiary_name",
            field="body.beneficiary_credit_code" if beneficiary_code is None else "body.beneficiary_name",
        )
    if kind is ProjectKind.INDUSTRY_PLANNING and beneficiary_code is not None:
        raise RuleViolation(
            "an industry_planning project serves an industry, not one beneficiary enterprise",
            field="body.beneficiary_credit_code",
        )


def required_before_leaving(phase: Phase) -> tuple[DeliverableKind, ...]:
    """Every deliverable due by the end of `phase` (its own and all earlier phases')."""
    upto = PHASE_ORDER[: PHASE_ORDER.index(phase) + 1]
    return tuple(kind for p in upto for kind in PHASE_DELIVERABLES[p])


def missing_deliverables(phase: Phase, present: Collection[DeliverableKind]) -> list[DeliverableKind]:
    """The deliverables still missing to leave `phase`, in gate order."""
    return [kind for kind in required_before_leaving(phase) if kind not in present]


def next_phase(phase: Phase) -> Phase:
    """The phase after `phase` (the review phase has none)."""
    index = PHASE_ORDER.index(phase)
    if index + 1 >= len(PHASE_ORDER):
        raise ValueError("review is the last phase")
    return PHASE_ORDER[index + 1]


def transition(
    status: ProjectStatus,
    phase: Phase | None,
    move: ProjectMove,
    *,
    by_operator: bool,
    present: Collection[DeliverableKind] = (),
    opinion_passed: bool | None = None,
) -> StateChange:
    """Apply `move` to a project in (`status`, `phase`) holding the `present` deliverables.

    Raises Forbidden when an undertaking organisation attempts an operator's move, Conflict (409,
    with `allowed_moves`, and `missing` for a closed gate) when the state or a gate refuses it."""
    if move in OPERATOR_ONLY_MOVES and not by_operator:
        raise Forbidden(f"only the district IP office may {move.value} a project")
    allowed = ALLOWED_MOVES[status]
    if move not in allowed:
        raise Conflict(f"a project {status.value} cannot {move.value}", allowed_moves=[m.value for m in allowed])
    rule = MOVES[move]
    if rule.gated:
        assert phase is not None, "a project in progress or under review has a phase"
        _check_gate(phase, present, allowed)
    if rule.needs_passing_opinion and not opinion_passed:
        raise Conflict(
            "the acceptance opinion does not pass the project: return it for rework or reject it",
            allowed_moves=[ProjectMove.RETURN_FOR_REWORK.value, ProjectMove.REJECT.value],
        )
    to_status, to_phase, completed = rule.target(phase)
    return StateChange(
        status,
        to_status,
        phase,
        to_phase,
        move,
        completed_phase=completed,
        announces=rule.announces,
        stamps=MOVE_STAMPS.get(move) or STATUS_STAMPS.get(to_status),
    )


def _check_gate(phase: Phase, present: Collection[DeliverableKind], allowed: Collection[ProjectMove]) -> None:
    missing = missing_deliverables(phase, present)
    if missing:
        raise Conflict(
            f"the {phase.value} phase cannot be closed: deliverables missing: "
            + ", ".join(kind.value for kind in missing),
            allowed_moves=[m.value for m in allowed],
            missing=[kind.value for kind in missing],
        )


def check_open(status: ProjectStatus) -> None:
    """Refuse any change to a decided (accepted or rejected) project."""
    if status in DECIDED:
        raise Conflict(f"the project is {status.value}; it no longer changes", allowed_moves=[])


def check_takes_work(status: ProjectStatus, what: str) -> None:
    """Refuse work (`what`: "deliverables are submitted", ...) on a project not approved or decided."""
    check_open(status)
    if status is ProjectStatus.PROPOSED:
        raise Conflict(f"{what} once the project is approved", allowed_moves=["approve", "reject"])


def is_overdue(due_date: date, done_date: date | None, today: date) -> bool:
    """True when the due date passed and the milestone is not done."""
    return done_date is None and due_date < today
