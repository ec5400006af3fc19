"""The project state machine and its phase gates, table-driven and pure."""

from __future__ import annotations

from datetime import date

import pytest

from ipops.errors import Conflict, Forbidden, RuleViolation
from navigation.domain import project as rules
from navigation.enums import DeliverableKind as D
from navigation.enums import Phase, ProjectKind, ProjectMove, ProjectStatus

ALL = set(D)


@pytest.mark.parametrize(
    ("phase", "present", "missing"),
    [
        (Phase.PREPARATION, set(), [D.TECHNOLOGY_DECOMPOSITION]),
        (Phase.PREPARATION, {D.TECHNOLOGY_DECOMPOSITION}, []),
        (Phase.RETRIEVAL, {D.TECHNOLOGY_DECOMPOSITION}, [D.SEARCH_STRATEGY, D.DATASET_SNAPSHOT]),
        (Phase.RETRIEVAL, {D.TECHNOLOGY_DECOMPOSITION, D.SEARCH_STRATEGY}, [D.DATASET_SNAPSHOT]),
        # cumulative: a deliverable of an earlier phase still counts
        (Phase.RETRIEVAL, {D.SEARCH_STRATEGY, D.DATASET_SNAPSHOT}, [D.TECHNOLOGY_DECOMPOSITION]),
        (Phase.ANALYSIS, {D.TECHNOLOGY_DECOMPOSITION, D.SEARCH_STRATEGY, D.DATASET_SNAPSHOT}, [D.REPORT]),
        (Phase.REVIEW, ALL - {D.ACCEPTANCE_OPINION}, [D.ACCEPTANCE_OPINION]),
        (
            Phase.REVIEW,
            set(),
            [D.TECHNOLOGY_DECOMPOSITION, D.SEARCH_STRATEGY, D.DATASET_SNAPSHOT, D.REPORT, D.ACCEPTANCE_OPINION],
        ),
        (Phase.REVIEW, ALL, []),
    ],
)
def test_missing_deliverables(phase: Phase, present: set[D], missing: list[D]) -> None:
    assert rules.missing_deliverables(phase, present) == missing


@pytest.mark.parametrize(
    ("phase", "present", "to_status", "to_phase"),
    [
        (Phase.PREPARATION, {D.TECHNOLOGY_DECOMPOSITION}, ProjectStatus.IN_PROGRESS, Phase.RETRIEVAL),
        (Phase.RETRIEVAL, ALL - {D.REPORT, D.ACCEPTANCE_OPINION}, ProjectStatus.IN_PROGRESS, Phase.ANALYSIS),
        (Phase.ANALYSIS, ALL - {D.ACCEPTANCE_OPINION}, ProjectStatus.UNDER_REVIEW, Phase.REVIEW),
    ],
)
def test_completing_a_phase_with_its_deliverables(
    phase: Phase, present: set[D], to_status: ProjectStatus, to_phase: Phase
) -> None:
    change = rules.transition(
        ProjectStatus.IN_PROGRESS, phase, ProjectMove.COMPLETE_PHASE, by_operator=False, present=present
    )
    assert (change.to_status, change.to_phase, change.completed_phase) == (to_status, to_phase, phase)


def test_a_closed_gate_is_a_conflict_naming_what_is_missing() -> None:
    with pytest.raises(Conflict) as info:
        rules.transition(
            ProjectStatus.IN_PROGRESS,
            Phase.RETRIEVAL,
            ProjectMove.COMPLETE_PHASE,
            by_operator=True,
            present={D.TECHNOLOGY_DECOMPOSITION, D.SEARCH_STRATEGY},
        )
    assert info.value.extensions["missing"] == ["dataset_snapshot"]
    assert info.value.extensions["allowed_moves"] == ["complete_phase"]


@pytest.mark.parametrize(
    ("status", "move", "allowed"),
    [
        (ProjectStatus.PROPOSED, ProjectMove.COMPLETE_PHASE, ["approve", "reject"]),
        (ProjectStatus.PROPOSED, ProjectMove.ACCEPT, ["approve", "reject"]),
        (ProjectStatus.IN_PROGRESS, ProjectMove.APPROVE, ["complete_phase"]),
        (ProjectStatus.IN_PROGRESS, ProjectMove.ACCEPT, ["complete_phase"]),
        (ProjectStatus.ACCEPTED, ProjectMove.REJECT, []),
        (ProjectStatus.REJECTED, ProjectMove.APPROVE, []),
        (ProjectStatus.UNDER_REVIEW, ProjectMove.COMPLETE_PHASE, ["accept", "reject", "return_for_rework"]),
    ],
)
def test_illegal_moves_list_the_allowed_ones(status: ProjectStatus, move: ProjectMove, allowed: list[str]) -> None:
    with pytest.raises(Conflict) as info:
        rules.transition(status, Phase.REVIEW if status is ProjectStatus.UNDER_REVIEW else None, move, by_operator=True)
    assert info.value.extensions["allowed_moves"] == allowed


@pytest.mark.parametrize("move", sorted(rules.OPERATOR_ONLY_MOVES))
def test_an_organisation_cannot_make_the_offices_moves(move: ProjectMove) -> None:
    with pytest.raises(Forbidden):
        rules.transition(ProjectStatus.UNDER_REVIEW, Phase.REVIEW, move, by_operator=False, present=ALL)


def test_acceptance_needs_a_passing_opinion() -> None:
    with pytest.raises(Conflict) as info:
        rules.transition(
            ProjectStatus.UNDER_REVIEW,
            Phase.REVIEW,
            ProjectMove.ACCEPT,
            by_operator=True,
            present=ALL,
            opinion_passed=False,
        )
    assert info.value.extensions["allowed_moves"] == ["reject", "return_for_rework"]
    change = rules.transition(
        ProjectStatus.UNDER_REVIEW,
        Phase.REVIEW,
        ProjectMove.ACCEPT,
        by_operator=True,
        present=ALL,
        opinion_passed=True,
    )
    assert change.to_status is ProjectStatus.ACCEPTED


def test_return_for_rework_goes_back_to_analysis() -> None:
    change = rules.transition(ProjectStatus.UNDER_REVIEW, Phase.REVIEW, ProjectMove.RETURN_FOR_REWORK, by_operator=True)
    assert (change.to_status, change.to_phase) == (ProjectStatus.IN_PROGRESS, Phase.ANALYSIS)


@pytest.mark.parametrize(
    "kind", [ProjectKind.REGIONAL_PLANNING, ProjectKind.RND_ACTIVITY, ProjectKind.TALENT_MANAGEMENT]
)
def test_reserved_kinds_are_refused(kind: ProjectKind) -> None:
    with pytest.raises(RuleViolation):
        rules.check_kind_open(kind)


def test_open_kinds_map_to_their_parts() -> None:
    rules.check_kind_open(ProjectKind.INDUSTRY_PLANNING)
    assert rules.GBT_PART[ProjectKind.INDUSTRY_PLANNING] == 3
    assert rules.GBT_PART[ProjectKind.ENTERPRISE_OPERATION] == 4


def test_every_move_has_a_rule_and_every_announcement_an_event() -> None:
    from navigation.projects.events import ANNOUNCERS

    assert set(rules.MOVES) == set(ProjectMove)
    announced = {a for rule in rules.MOVES.values() for a in rule.announces}
    assert announced == set(rules.Announcement) == set(ANNOUNCERS)


@pytest.mark.parametrize(
    ("status", "phase", "move", "announces", "stamps"),
    [
        (ProjectStatus.PROPOSED, None, ProjectMove.APPROVE, ["approved"], "approved_at"),
        (ProjectStatus.PROPOSED, None, ProjectMove.REJECT, [], "rejected_at"),
        (ProjectStatus.IN_PROGRESS, Phase.PREPARATION, ProjectMove.COMPLETE_PHASE, ["phase_completed"], None),
        (ProjectStatus.IN_PROGRESS, Phase.ANALYSIS, ProjectMove.COMPLETE_PHASE, ["phase_completed"], "under_review_at"),
        (ProjectStatus.UNDER_REVIEW, Phase.REVIEW, ProjectMove.RETURN_FOR_REWORK, [], None),
        (ProjectStatus.UNDER_REVIEW, Phase.REVIEW, ProjectMove.REJECT, [], "rejected_at"),
        (ProjectStatus.UNDER_REVIEW, Phase.REVIEW, ProjectMove.ACCEPT, ["phase_completed", "accepted"], "accepted_at"),
    ],
)
def test_what_each_move_announces_and_stamps(
    status: ProjectStatus, phase: Phase | None, move: ProjectMove, announces: list[str], stamps: str | None
) -> None:
    change = rules.transition(status, phase, move, by_operator=True, present=ALL, opinion_passed=True)
    assert [a.value for a in change.announces] == announces
    assert change.stamps == stamps


@pytest.mark.parametrize(
    ("status", "refused"),
    [
        (ProjectStatus.PROPOSED, True),
        (ProjectStatus.IN_PROGRESS, False),
        (ProjectStatus.UNDER_REVIEW, False),
        (ProjectStatus.ACCEPTED, True),
        (ProjectStatus.REJECTED, True),
    ],
)
def test_work_is_taken_only_between_approval_and_decision(status: ProjectStatus, refused: bool) -> None:
    if refused:
        with pytest.raises(Conflict):
            rules.check_takes_work(status, "deliverables are submitted")
    else:
        rules.check_takes_work(status, "deliverables are submitted")


@pytest.mark.parametrize(
    ("due", "done", "overdue"),
    [("2026-01-10", None, True), ("2026-01-11", None, False), ("2026-01-01", "2026-01-05", False)],
)
def test_a_milestone_is_overdue_past_its_due_date_until_done(due: str, done: str | None, overdue: bool) -> None:
    today = date.fromisoformat("2026-01-11")
    done_date = date.fromisoformat(done) if done else None
    assert rules.is_overdue(date.fromisoformat(due), done_date, today) is overdue
