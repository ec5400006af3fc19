"""The operations rules as plain Python, table-driven: what counts toward each indicator, revenue
versions, transaction and trademark validation, and the state machines."""

from __future__ import annotations

from datetime import date

import pytest

from ipops.errors import Conflict, RuleViolation
from ipops.identifiers import make_patent_number
from operations.domain import indicators as rules
from operations.domain import revenue, trademark, transaction
from operations.domain.indicators import Counts, DesignationFacts
from operations.domain.moves import ALLOWED_MOVES, move
from operations.enums import RightKind, TransactionKind

LINE = rules.AGENCY_REVENUE_LINE_FEN


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({}, None),
        ({2021: LINE - 1}, None),
        ({2021: LINE}, Counts(1, date(2021, 1, 1))),
        ({2021: LINE - 1, 2022: LINE + 5}, Counts(1, date(2022, 1, 1))),
        # a later year below the line does not remove the earlier year's count
        ({2021: LINE, 2022: 0, 2023: LINE - 1}, Counts(1, date(2021, 1, 1))),
    ],
)
def test_operation_agency_counts_from_its_first_year_at_the_line(
    figures: dict[int, int], expected: Counts | None
) -> None:
    assert rules.operation_agency(figures) == expected


@pytest.mark.parametrize(
    ("versions", "counted"),
    [
        ([], None),
        ([revenue.Version(1, "submitted", 5)], None),
        ([revenue.Version(1, "verified", 5), revenue.Version(2, "submitted", 9)], 1),
        ([revenue.Version(1, "verified", 5), revenue.Version(2, "rejected", 9)], 1),
        ([revenue.Version(1, "verified", 5), revenue.Version(2, "verified", 9)], 2),
    ],
)
def test_the_latest_verified_version_is_the_figure(versions: list[revenue.Version], counted: int | None) -> None:
    found = revenue.counted(versions)
    assert (found.version if found else None) == counted
    assert revenue.next_version(versions) == len(versions) + 1


@pytest.mark.parametrize(("year", "ok"), [(2024, True), (2026, True), (2027, False), (2017, False)])
def test_revenue_years(year: int, ok: bool) -> None:
    if ok:
        revenue.check_year(year, 2026)
    else:
        with pytest.raises(RuleViolation):
            revenue.check_year(year, 2026)


def test_transactions_count_in_their_year_and_not_once_rescinded() -> None:
    assert rules.transaction_amount(100, date(2024, 5, 1), rescinded=False) == Counts(100, date(2024, 5, 1))
    assert rules.transaction_amount(100, date(2024, 5, 1), rescinded=True) is None
    assert rules.transaction_amount(0, date(2024, 5, 1), rescinded=False) is None
    assert rules.royalty_amount(7, 2025, rescinded=False) == Counts(7, date(2025, 1, 1))
    assert rules.royalty_amount(7, 2025, rescinded=True) is None


D = DesignationFacts


@pytest.mark.parametrize(
    ("designations", "expected"),
    [
        ([D("pending", None, date(2024, 1, 1))], None),
        ([D("refused", None, date(2024, 2, 1))], None),
        (
            [D("protected", date(2024, 3, 1), date(2024, 3, 1)), D("pending", None, date(2024, 1, 1))],
            Counts(1, date(2024, 3, 1)),
        ),
        (
            [D("lapsed", date(2024, 3, 1), date(2025, 3, 1)), D("protected", date(2024, 6, 1), date(2024, 6, 1))],
            Counts(1, date(2024, 3, 1)),
        ),
        (
            [
                D("lapsed", date(2024, 3, 1), date(2025, 3, 1)),
                D("lapsed", date(2024, 6, 1), date(2025, 9, 1)),
                D("refused", None, date(2024, 2, 1)),
            ],
            Counts(1, date(2024, 3, 1), date(2025, 9, 1)),
        ),
    ],
)
def test_an_overseas_mark_counts_once_until_lapsed_everywhere(designations: list[D], expected: Counts | None) -> None:
    assert rules.overseas_mark(designations) == expected


@pytest.mark.parametrize(
    ("industry", "members", "qualifies"),
    [("new_materials", 3, True), ("new_materials", 2, False), ("other", 9, False)],
)
def test_alliances(industry: str, members: int, qualifies: bool) -> None:
    assert (rules.alliance(industry, members, date(2024, 1, 1)) is not None) is qualifies


@pytest.mark.parametrize(
    ("industry", "contributing", "terms", "qualifies"),
    [
        ("high_end_equipment", 2, date(2024, 1, 1), True),
        ("high_end_equipment", 1, date(2024, 1, 1), False),
        ("high_end_equipment", 2, None, False),
        ("other", 5, date(2024, 1, 1), False),
    ],
)
def test_pools(industry: str, contributing: int, terms: date | None, qualifies: bool) -> None:
    assert (rules.patent_pool(industry, contributing, terms, date(2024, 2, 1)) is not None) is qualifies


def test_a_stock_that_stops_keeps_its_history() -> None:
    before = Counts(1, date(2024, 1, 1))
    assert rules.stopped(before, None, date(2025, 6, 1)) == Counts(1, date(2024, 1, 1), date(2025, 6, 1))
    assert rules.stopped(None, None, date(2025, 6, 1)) is None
    assert rules.stopped(before, before, date(2025, 6, 1)) == before


@pytest.mark.parametrize(
    ("kind", "numbers", "field"),
    [
        (RightKind.PATENT, ["202010123456.3"], "body.right_numbers.0"),
        (
            RightKind.PATENT,
            [make_patent_number(2020, "1", 1), "ZL" + make_patent_number(2020, "1", 1)],
            "body.right_numbers.1",
        ),
        (RightKind.TRADEMARK, ["12345", "x1"], "body.right_numbers.1"),
    ],
)
def test_rights_are_validated_by_kind(kind: RightKind, numbers: list[str], field: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        transaction.normalise_rights(kind, numbers)
    assert caught.value.extensions["errors"][0]["field"] == field


def test_pool_licences_and_royalties() -> None:
    patent = make_patent_number(2020, "1", 5)
    transaction.check_pool_licence(TransactionKind.SUB_LICENCE, RightKind.PATENT, [patent], {patent})
    with pytest.raises(RuleViolation):
        transaction.check_pool_licence(TransactionKind.ASSIGNMENT, RightKind.PATENT, [patent], {patent})
    with pytest.raises(RuleViolation):
        transaction.check_pool_licence(TransactionKind.SUB_LICENCE, RightKind.PATENT, [patent], set())
    with pytest.raises(Conflict):
        transaction.check_royalty("lump_sum", "in_force", 2024, date(2024, 1, 1), date(2026, 1, 1))
    transaction.check_royalty("running_royalty", "in_force", 2025, date(2024, 1, 1), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("codes", "field"),
    [
        (["XK"], "body.designations.0.country"),
        (["CN"], "body.designations.0.country"),
        (["EM", "em"], "body.designations.1.country"),
    ],
)
def test_designated_parties(codes: list[str], field: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        trademark.check_parties(codes)
    assert caught.value.extensions["errors"][0]["field"] == field


def test_iso_list_is_complete_and_regional_offices_pass() -> None:
    assert len(trademark.iso_countries()) == 249
    assert trademark.check_parties(["us", "BX", "OA"]) == ["US", "BX", "OA"]
    assert trademark.check_classes([45, 1]) == [1, 45]


@pytest.mark.parametrize("entity", list(ALLOWED_MOVES))
def test_every_move_lands_on_a_known_status_and_illegal_moves_list_the_allowed(entity: str) -> None:
    statuses = set(ALLOWED_MOVES[entity])
    for status, moves in ALLOWED_MOVES[entity].items():
        for name, target in moves.items():
            assert target in statuses and move(entity, status, name) == target
        with pytest.raises(Conflict) as caught:
            move(entity, status, "no-such-move")
        assert caught.value.extensions["allowed_moves"] == sorted(moves)
