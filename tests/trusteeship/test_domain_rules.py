"""Enrolment rules and plan targets, pure; and the rule that domain/ imports no I/O."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import trusteeship.domain
from ipops.errors import Conflict, RuleViolation
from trusteeship.domain import enrolment, targets
from trusteeship.enums import EnrolmentStatus

CONTRACT = enrolment.Contract("agency-a", date(2024, 1, 1), date(2026, 12, 31), quota=2)


class TestCanEnrol:
    def test_within_period_and_quota(self) -> None:
        enrolment.check_can_enrol(CONTRACT, date(2024, 1, 1), 1, held_by=None)

    @pytest.mark.parametrize("start", [date(2023, 12, 31), date(2027, 1, 1)])
    def test_outside_contract_period(self, start: date) -> None:
        with pytest.raises(RuleViolation) as err:
            enrolment.check_can_enrol(CONTRACT, start, 0, held_by=None)
        assert err.value.extensions["errors"][0]["field"] == "body.start_date"

    def test_quota_full(self) -> None:
        with pytest.raises(RuleViolation, match="quota is 2"):
            enrolment.check_can_enrol(CONTRACT, date(2024, 5, 1), 2, held_by=None)

    @pytest.mark.parametrize("holder", ["agency-a", "agency-b"])
    def test_one_agency_at_a_time(self, holder: str) -> None:
        with pytest.raises(Conflict):
            enrolment.check_can_enrol(CONTRACT, date(2024, 5, 1), 0, held_by=holder)

    def test_starts_no_earlier_than_the_last_enrolment_ended(self) -> None:
        with pytest.raises(RuleViolation, match="ended on 2024-05-01") as err:
            enrolment.check_starts_after(date(2024, 5, 1), date(2024, 4, 30))
        assert err.value.extensions["errors"][0]["field"] == "body.start_date"
        enrolment.check_starts_after(date(2024, 5, 1), date(2024, 5, 1))
        enrolment.check_starts_after(None, date(2000, 1, 1))

    def test_cannot_end_before_start(self) -> None:
        with pytest.raises(RuleViolation):
            enrolment.check_end(date(2024, 5, 1), date(2024, 4, 30), field="body.end_date")
        enrolment.check_end(date(2024, 5, 1), date(2024, 5, 1), field="body.end_date")


class TestTargets:
    @pytest.mark.parametrize(
        ("previous", "current", "growth", "met"),
        [
            (100, 115, Decimal("15.00"), True),
            (100, 114, Decimal("14.00"), False),
            (3, 4, Decimal("33.33"), True),
            (7, 8, Decimal("14.29"), False),
            (0, 5, None, None),
        ],
    )
    def test_growth(self, previous: int, current: int, growth: Decimal | None, met: bool | None) -> None:
        assert targets.growth_percent(previous, current) == growth
        assert targets.growth_met(growth) is met

    def test_progress(self) -> None:
        assert targets.progress_percent(333, 1000) == Decimal("33.30")
        assert targets.progress_percent(1, 300) == Decimal("0.33")


def test_domain_imports_no_io() -> None:
    forbidden = (
        "sqlmodel",
        "sqlalchemy",
        "fastapi",
        "aiokafka",
        "ipops.db",
        "ipops.events",
        "ipops.runtime",
        "ipops.kafka",
        "httpx",
        "asyncpg",
    )
    for path in Path(trusteeship.domain.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"


class TestEnrolmentMoves:
    def test_every_status_has_a_row(self) -> None:
        assert set(enrolment.ALLOWED_MOVES) == set(EnrolmentStatus)
        assert {after for moves in enrolment.ALLOWED_MOVES.values() for after in moves.values()} <= set(EnrolmentStatus)

    @pytest.mark.parametrize(("action", "after"), [("transfer", "transferred"), ("exit", "exited")])
    def test_active_moves(self, action: str, after: str) -> None:
        assert enrolment.move("active", action) == after

    @pytest.mark.parametrize("status", ["transferred", "exited"])
    @pytest.mark.parametrize("action", ["transfer", "exit"])
    def test_ended_enrolments_do_not_move(self, status: str, action: str) -> None:
        with pytest.raises(Conflict) as err:
            enrolment.move(status, action)
        assert err.value.extensions["allowed_moves"] == []


class TestWorkRules:
    @pytest.mark.parametrize(
        ("service_type", "work_date", "scope", "held_since", "problems"),
        [
            ("training", date(2025, 3, 1), {"training"}, date(2025, 1, 1), []),
            ("training", date(2025, 3, 1), set(), date(2025, 1, 1), []),  # no scope: everything
            (
                "training",
                date(2025, 3, 1),
                {"training"},
                None,
                [("credit_code", "the agency does not hold this enterprise")],
            ),
            (
                "search",
                date(2025, 3, 1),
                {"training"},
                date(2025, 1, 1),
                [("service_type", "search is outside the agency's contracted scope")],
            ),
            (
                "training",
                date(2025, 3, 2),
                {"training"},
                date(2025, 1, 1),
                [("work_date", "2025-03-02 is in the future")],
            ),
            (
                "training",
                date(2024, 12, 31),
                {"training"},
                date(2025, 1, 1),
                [("work_date", "2024-12-31 is before the enrolment started on 2025-01-01")],
            ),
        ],
    )
    def test_check_work(
        self,
        service_type: str,
        work_date: date,
        scope: set[str],
        held_since: date | None,
        problems: list[tuple[str, str]],
    ) -> None:
        from trusteeship.domain.worklog import check_work

        assert (
            check_work(
                service_type=service_type,
                work_date=work_date,
                scope=scope,
                held_since=held_since,
                today=date(2025, 3, 1),
            )
            == problems
        )
