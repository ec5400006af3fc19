"""The navigation project's life: states, phases and the deliverables each phase gate asks for.

Guarantees: a project leaves a phase only when every deliverable of that phase and of the phases
before it is present (the gate is cumulative, so nothing skipped early slips through later); a
refused move names exactly what is missing; only the district office approves, accepts, returns or
rejects, while the undertaking organisation may complete the phases of its own project.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

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


@dataclass(frozen=True)
class StateChange:
    """The outcome of a legal move."""

    from_status: ProjectStatus
    to_status: ProjectStatus
    from_phase: Phase | None
    to_phase: Phase | None
    move: ProjectMove
    completed_phase: Phase | None = None


def check_kind_open(kind: ProjectKind) -> None:
    """Refuse the reserved kinds (GB/T 39551 parts 2, 5 and 6): the plan runs parts 3 and 4 only."""
    if kind not in OPEN_KINDS:
        raise RuleViolation(
            f"{kind.value} (GB/T 39551.{GBT_PART[kind]}) is reserved; the plan runs industry_planning "
            "and enterprise_operation projects",
            field="body.kind",
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
    if move is ProjectMove.APPROVE:
        return StateChange(status, ProjectStatus.IN_PROGRESS, phase, Phase.PREPARATION, move)
    if move is ProjectMove.REJECT:
        return StateChange(status, ProjectStatus.REJECTED, phase, phase, move)
    if move is ProjectMove.RETURN_FOR_REWORK:
        return StateChange(status, ProjectStatus.IN_PROGRESS, phase, Phase.ANALYSIS, move)
    assert phase is not None, "a project in progress or under review has a phase"
    missing = missing_deliverables(phase, present)
    if missing:
        raise Conflict(
            f"the {phase.value} phase cannot be closed: deliverables missing: "
            + ", ".join(kind.value for kind in missing),
            allowed_moves=[m.value for m in allowed],
            missing=[kind.value for kind in missing],
        )
    if move is ProjectMove.ACCEPT:
        if not opinion_passed:
            raise Conflict(
                "the acceptance opinion does not pass the project: return it for rework or reject it",
                allowed_moves=[ProjectMove.RETURN_FOR_REWORK.value, ProjectMove.REJECT.value],
            )
        return StateChange(status, ProjectStatus.ACCEPTED, phase, Phase.REVIEW, move, completed_phase=Phase.REVIEW)
    following = next_phase(phase)
    to_status = ProjectStatus.UNDER_REVIEW if following is Phase.REVIEW else ProjectStatus.IN_PROGRESS
    return StateChange(status, to_status, phase, following, move, completed_phase=phase)
