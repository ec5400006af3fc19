"""Every (type, status, move) of the case workflow: the legal ones reach the expected status and
name its timestamp field, every other one is a 409 listing the allowed moves."""

from __future__ import annotations

import itertools

import pytest

from enforcement.domain.workflow import can_open_adjudication_from, running_clock, transition
from enforcement.enums import CaseStatus, CaseType, Clock, Move
from ipops.errors import Conflict

# The expected rulebook, written out by hand from DOMAIN-RULES §4 (not derived from the code).
INTAKE = {
    ("received", "accept"): "accepted",
    ("received", "reject"): "rejected",
    ("received", "withdraw"): "withdrawn",
    ("accepted", "start_review"): "under_review",
    ("accepted", "withdraw"): "withdrawn",
    ("rejected", "close"): "closed",
    ("withdrawn", "close"): "closed",
    ("under_review", "withdraw"): "withdrawn",
    # opened in error, merged, a duplicate: cancelled before its outcome, then closed
    ("received", "cancel"): "cancelled",
    ("accepted", "cancel"): "cancelled",
    ("under_review", "cancel"): "cancelled",
    ("cancelled", "close"): "closed",
}
EXPECTED: dict[CaseType, dict[tuple[str, str], str]] = {
    CaseType.PATENT_INFRINGEMENT_ADJUDICATION: {
        **INTAKE,
        ("under_review", "decide"): "decided",
        ("under_review", "mediate"): "mediated",  # settlement during adjudication
        ("decided", "close"): "closed",
        ("mediated", "close"): "closed",
    },
    CaseType.PATENT_MEDIATION: {
        **INTAKE,
        ("under_review", "mediate"): "mediated",
        ("under_review", "fail_mediation"): "mediation_failed",
        ("mediated", "close"): "closed",
        ("mediation_failed", "close"): "closed",
    },
    CaseType.COUNTERFEIT_PATENT: {**INTAKE, ("under_review", "decide"): "decided", ("decided", "close"): "closed"},
    CaseType.TRADEMARK_ENFORCEMENT: {**INTAKE, ("under_review", "decide"): "decided", ("decided", "close"): "closed"},
    CaseType.ASSISTANCE: {
        **INTAKE,
        ("under_review", "close"): "closed",
        ("under_review", "mediate"): "mediated",
        ("mediated", "close"): "closed",
    },
    CaseType.OVERSEAS_ASSISTANCE: {
        **INTAKE,
        ("under_review", "close"): "closed",
        ("under_review", "mediate"): "mediated",
        ("mediated", "close"): "closed",
    },
}

ALL = list(itertools.product(CaseType, CaseStatus, Move))
LEGAL = [(t, s, m) for t, s, m in ALL if (s.value, m.value) in EXPECTED[t]]
ILLEGAL = [(t, s, m) for t, s, m in ALL if (s.value, m.value) not in EXPECTED[t]]


@pytest.mark.parametrize(("case_type", "status", "move"), LEGAL, ids=lambda v: getattr(v, "value", v))
def test_legal_move(case_type: CaseType, status: CaseStatus, move: Move) -> None:
    step = transition(case_type, status, move)
    expected = EXPECTED[case_type][(status.value, move.value)]
    assert step.to_status.value == expected
    assert step.timestamp_field == f"{expected}_at"
    assert step.from_status is status and step.move is move


@pytest.mark.parametrize(("case_type", "status", "move"), ILLEGAL, ids=lambda v: getattr(v, "value", v))
def test_illegal_move(case_type: CaseType, status: CaseStatus, move: Move) -> None:
    with pytest.raises(Conflict) as info:
        transition(case_type, status, move)
    allowed = sorted(m for (s, m) in EXPECTED[case_type] if s == status.value)
    assert info.value.status == 409
    assert info.value.extensions["allowed_moves"] == allowed


def test_closed_allows_nothing() -> None:
    for case_type in CaseType:
        with pytest.raises(Conflict):
            transition(case_type, CaseStatus.CLOSED, Move.CLOSE)


@pytest.mark.parametrize(
    ("case_type", "status", "closed_from", "allowed"),
    [
        (CaseType.PATENT_MEDIATION, CaseStatus.MEDIATION_FAILED, None, True),
        (CaseType.PATENT_MEDIATION, CaseStatus.CLOSED, CaseStatus.MEDIATION_FAILED, True),
        (CaseType.PATENT_MEDIATION, CaseStatus.CLOSED, CaseStatus.MEDIATED, False),
        (CaseType.PATENT_MEDIATION, CaseStatus.UNDER_REVIEW, None, False),
        (CaseType.PATENT_INFRINGEMENT_ADJUDICATION, CaseStatus.DECIDED, None, False),
    ],
)
def test_failed_mediation_may_open_adjudication(
    case_type: CaseType, status: CaseStatus, closed_from: CaseStatus | None, allowed: bool
) -> None:
    assert can_open_adjudication_from(case_type, status, closed_from) is allowed


@pytest.mark.parametrize("status", list(CaseStatus))
def test_one_clock_runs_until_the_outcome(status: CaseStatus) -> None:
    expected = {
        CaseStatus.RECEIVED: Clock.ACCEPTANCE,
        CaseStatus.ACCEPTED: Clock.HANDLING,
        CaseStatus.UNDER_REVIEW: Clock.HANDLING,
    }.get(status)
    assert running_clock(status) is expected
