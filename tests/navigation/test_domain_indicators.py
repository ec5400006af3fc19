"""The navigation counting rules (`navigation.domain.indicators`), table-driven."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipops.indicators.catalogue import owned_by
from navigation.domain import indicators as rules
from navigation.domain.indicators import Contribution, Spell
from navigation.enums import ProjectKind, ProjectStatus

D = date
TODAY = D(2026, 11, 30)


def test_the_rules_cover_exactly_the_indicators_navigation_owns() -> None:
    owned = {i.id for i in owned_by(rules.OWNER)}
    assert owned == {*rules.PROJECT_INDICATORS.values(), rules.HIGH_VALUE_PORTFOLIOS}


@pytest.mark.parametrize(
    ("kind", "status", "accepted_on", "expected"),
    [
        (ProjectKind.INDUSTRY_PLANNING, ProjectStatus.ACCEPTED, D(2019, 12, 31),
         [Contribution(rules.INDUSTRY_PLANNING, "p", 1, D(2019, 12, 31))]),
        (ProjectKind.ENTERPRISE_OPERATION, ProjectStatus.ACCEPTED, D(2020, 1, 1),
         [Contribution(rules.ENTERPRISE_OPERATION, "p", 1, D(2020, 1, 1))]),
        (ProjectKind.ENTERPRISE_OPERATION, ProjectStatus.UNDER_REVIEW, None,
         [Contribution(rules.ENTERPRISE_OPERATION, "p", 0, TODAY)]),
        (ProjectKind.INDUSTRY_PLANNING, ProjectStatus.REJECTED, None,
         [Contribution(rules.INDUSTRY_PLANNING, "p", 0, TODAY)]),
        (ProjectKind.INDUSTRY_PLANNING, ProjectStatus.PROPOSED, None,
         [Contribution(rules.INDUSTRY_PLANNING, "p", 0, TODAY)]),
        (ProjectKind.REGIONAL_PLANNING, ProjectStatus.ACCEPTED, D(2020, 5, 1), []),
    ],
)  # fmt: skip
def test_a_project_counts_from_its_acceptance_date(
    kind: ProjectKind, status: ProjectStatus, accepted_on: date | None, expected: list[Contribution]
) -> None:
    assert rules.project_contributions("p", kind, status, accepted_on, TODAY) == expected


def test_a_patent_lists_key_ignores_order_and_repetition() -> None:
    a = rules.patent_list_key(["202010123456.2", "201810000001.1", "202010123456.2"])
    assert a == rules.patent_list_key(["201810000001.1", "202010123456.2"])
    assert len(a) == 32 and a != rules.patent_list_key(["201810000001.1"])
    assert rules.spell_subject(a, D(2019, 3, 4)) == f"{a}:20190304"


@pytest.mark.parametrize(
    ("spells", "merged"),
    [
        ([], []),
        ([Spell(D(2019, 5, 1))], [Spell(D(2019, 5, 1))]),
        # twenty registrations of one list, one qualifying: one spell
        ([Spell(D(2019, 5, 1))] * 20, [Spell(D(2019, 5, 1))]),
        # a hand-over (one withdrawn, the next qualifies that day): one spell from the earliest
        ([Spell(D(2021, 6, 1)), Spell(D(2019, 5, 1), D(2021, 6, 1))], [Spell(D(2019, 5, 1))]),
        # a gap inside one year: no year end saw it
        ([Spell(D(2019, 5, 1), D(2020, 2, 1)), Spell(D(2020, 9, 1), D(2020, 10, 1))],
         [Spell(D(2019, 5, 1), D(2020, 10, 1))]),
        # a gap over a year end: two spells
        ([Spell(D(2019, 5, 1), D(2020, 2, 1)), Spell(D(2021, 3, 1))],
         [Spell(D(2019, 5, 1), D(2020, 2, 1)), Spell(D(2021, 3, 1))]),
    ],
)  # fmt: skip
def test_spells_of_one_list_merge_when_no_year_end_separates_them(spells: list[Spell], merged: list[Spell]) -> None:
    assert rules.merge_spells(spells) == merged


def test_a_list_counts_once_per_spell_from_its_earliest_qualification() -> None:
    key = rules.patent_list_key(["202010123456.2"])
    spells = [Spell(D(2020, 1, 1)), Spell(D(2019, 5, 1), D(2020, 1, 1)), Spell(D(2018, 2, 1), D(2018, 2, 1))]
    assert rules.portfolio_list_contributions(key, spells) == [
        Contribution(rules.HIGH_VALUE_PORTFOLIOS, f"{key}:20180201", 0, D(2018, 2, 1), D(2018, 2, 1)),
        Contribution(rules.HIGH_VALUE_PORTFOLIOS, f"{key}:20190501", 1, D(2019, 5, 1), None),
    ]


@pytest.mark.parametrize(
    ("qualifies", "spell", "on", "list_changed", "after"),
    [
        (True, None, D(2020, 3, 1), False, Spell(D(2020, 3, 1))),  # qualifies for the first time
        (False, None, D(2020, 3, 1), False, None),  # never qualified
        (True, Spell(D(2019, 1, 1)), D(2020, 3, 1), False, Spell(D(2019, 1, 1))),  # still qualifies
        (False, Spell(D(2019, 1, 1)), D(2020, 3, 1), False, Spell(D(2019, 1, 1), D(2020, 3, 1))),  # stops
        (False, Spell(D(2019, 6, 1)), D(2019, 1, 1), False, Spell(D(2019, 6, 1), D(2019, 6, 1))),  # out of order
        (True, Spell(D(2019, 1, 1), D(2020, 3, 1)), D(2020, 8, 1), False, Spell(D(2019, 1, 1))),  # back same year
        (True, Spell(D(2019, 1, 1), D(2020, 3, 1)), D(2021, 8, 1), False, Spell(D(2021, 8, 1))),  # back later
        (False, Spell(D(2019, 1, 1), D(2020, 3, 1)), D(2021, 8, 1), False, Spell(D(2019, 1, 1), D(2020, 3, 1))),
        (True, Spell(D(2019, 1, 1)), D(2022, 4, 1), True, Spell(D(2022, 4, 1))),  # new list, new spell
        (False, Spell(D(2019, 1, 1)), D(2022, 4, 1), True, None),  # the old list's spell is not this list's
    ],
)  # fmt: skip
def test_a_portfolios_spell_after_a_reassessment(
    qualifies: bool, spell: Spell | None, on: date, list_changed: bool, after: Spell | None
) -> None:
    assert rules.spell_after_change(qualifies, spell, on, list_changed=list_changed) == after


def _covers(start: date, end: date | None, year: int) -> bool:
    """Whether [start, end) includes 31 December of `year` (the stock's counting day)."""
    return start.year <= year and (end is None or end.year > year)


spell_dates = st.dates(min_value=D(2018, 1, 1), max_value=D(2024, 12, 31))


@st.composite
def spells(draw: st.DrawFn) -> Spell:
    start = draw(spell_dates)
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=900)))
    return Spell(start, None if length is None else start + timedelta(days=length))


@given(st.lists(spells(), max_size=8))
def test_a_list_counts_once_at_each_year_end_a_portfolio_holding_it_qualified(found: list[Spell]) -> None:
    contributions = rules.portfolio_list_contributions("k", found)
    assert len({c.subject for c in contributions}) == len(contributions)
    for year in range(2017, 2026):
        counted = sum(c.quantity for c in contributions if _covers(c.start_on, c.end_on, year))
        assert counted == int(any(_covers(s.start, s.end, year) for s in found))
