"""The counting rules of trusteeship's indicators, as pure functions (table-driven)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipops.indicators import catalogue
from ipops.indicators.figures import yearly_values
from trusteeship.domain import docket
from trusteeship.domain import indicators as rules
from trusteeship.domain.indicators import Contribution, Span

CODE = "91120110000000001X"
HASH = hashlib.sha256(CODE.encode()).hexdigest()[:32]
D = date


def sub(start: date) -> str:
    return f"{HASH}:{start:%Y%m%d}"


def test_the_service_owns_exactly_these_indicators() -> None:
    assert {i.id for i in catalogue.owned_by("trusteeship")} == set(rules.INDICATORS)


def test_subject_is_a_hash_never_the_code() -> None:
    assert rules.subject_of(CODE) == HASH and CODE not in rules.span_subject(CODE, D(2020, 1, 2))
    assert len(rules.span_subject(CODE, D(2020, 1, 2))) <= 128


@pytest.mark.parametrize(
    ("size", "enrolments", "expected"),
    [
        # a small firm enrolled and still held: counts from the start
        ("small", [(D(2019, 3, 1), None)], [(sub(D(2019, 3, 1)), 1, D(2019, 3, 1), None)]),
        ("micro", [(D(2019, 3, 1), None)], [(sub(D(2019, 3, 1)), 1, D(2019, 3, 1), None)]),
        # medium and large are enrolled but do not count
        ("medium", [(D(2019, 3, 1), None)], [(sub(D(2019, 3, 1)), 0, D(2019, 3, 1), None)]),
        ("large", [(D(2019, 3, 1), None)], [(sub(D(2019, 3, 1)), 0, D(2019, 3, 1), None)]),
        ("unknown", [(D(2019, 3, 1), None)], [(sub(D(2019, 3, 1)), 0, D(2019, 3, 1), None)]),
        # a transfer is not an end: the next enrolment starts the day the last ends
        (
            "small",
            [(D(2019, 3, 1), D(2020, 6, 1)), (D(2020, 6, 1), None)],
            [(sub(D(2019, 3, 1)), 1, D(2019, 3, 1), None)],
        ),
        # an exit ends it from the exit date
        (
            "small",
            [(D(2019, 3, 1), D(2020, 6, 1)), (D(2020, 6, 1), D(2021, 2, 1))],
            [(sub(D(2019, 3, 1)), 1, D(2019, 3, 1), D(2021, 2, 1))],
        ),
        # back after a gap over a year end: a second span, the gap years not counted
        (
            "small",
            [(D(2019, 3, 1), D(2020, 6, 1)), (D(2022, 1, 5), None)],
            [(sub(D(2019, 3, 1)), 1, D(2019, 3, 1), D(2020, 6, 1)), (sub(D(2022, 1, 5)), 1, D(2022, 1, 5), None)],
        ),
        # back within the same year: no year end can see the gap, one span
        (
            "small",
            [(D(2019, 3, 1), D(2019, 6, 1)), (D(2019, 9, 1), None)],
            [(sub(D(2019, 3, 1)), 1, D(2019, 3, 1), None)],
        ),
        # enrolled and exited the same day: counts nothing
        ("small", [(D(2019, 3, 1), D(2019, 3, 1))], [(sub(D(2019, 3, 1)), 0, D(2019, 3, 1), D(2019, 3, 1))]),
        # never enrolled: nothing
        ("small", [], []),
    ],
)
def test_trusteeship_smes(
    size: str, enrolments: list[tuple[date, date | None]], expected: list[tuple[str, int, date, date | None]]
) -> None:
    assert rules.sme_contributions(CODE, size, enrolments) == [Contribution(rules.SMES, *e) for e in expected]


@pytest.mark.parametrize(
    ("certified", "expires", "withdrawn", "expected"),
    [
        (None, None, None, []),
        (D(2020, 5, 1), None, None, [(1, D(2020, 5, 1), None)]),
        (D(2020, 5, 1), D(2023, 5, 1), None, [(1, D(2020, 5, 1), D(2023, 5, 1))]),
        # withdrawn before expiry: the withdrawal ends it
        (D(2020, 5, 1), D(2023, 5, 1), D(2021, 7, 1), [(1, D(2020, 5, 1), D(2021, 7, 1))]),
        # withdrawn the day it was certified: counts nothing
        (D(2020, 5, 1), D(2023, 5, 1), D(2020, 5, 1), [(0, D(2020, 5, 1), D(2020, 5, 1))]),
    ],
)
def test_certified_organisations(
    certified: date | None, expires: date | None, withdrawn: date | None, expected: list[tuple[int, date, date | None]]
) -> None:
    assert rules.certification_contributions(CODE, certified, expires, withdrawn) == [
        Contribution(rules.CERTIFIED, HASH, *e) for e in expected
    ]


@pytest.mark.parametrize(
    ("certified", "expiry"),
    [(D(2020, 5, 1), D(2023, 5, 1)), (D(2020, 2, 29), D(2023, 3, 1)), (D(2019, 12, 31), D(2022, 12, 31))],
)
def test_a_certificate_runs_three_years(certified: date, expiry: date) -> None:
    assert rules.certificate_expiry(certified) == expiry


@pytest.mark.parametrize(
    ("patents", "expected"),
    [
        # pending only: nothing
        ([(None, D(2039, 1, 1), None)], []),
        # one granted patent in force: from its grant to its term's end
        ([(D(2020, 4, 1), D(2039, 1, 1), None)], [(sub(D(2020, 4, 1)), D(2020, 4, 1), D(2039, 1, 1))]),
        # lapsed: ends on the lapse date
        ([(D(2020, 4, 1), D(2039, 1, 1), D(2022, 1, 1))], [(sub(D(2020, 4, 1)), D(2020, 4, 1), D(2022, 1, 1))]),
        # two overlapping patents: from the first grant to the last one's end
        (
            [(D(2020, 4, 1), D(2039, 1, 1), D(2022, 1, 1)), (D(2021, 6, 1), D(2031, 6, 1), None)],
            [(sub(D(2020, 4, 1)), D(2020, 4, 1), D(2031, 6, 1))],
        ),
        # a gap over a year end: counts again from the later grant
        (
            [(D(2019, 4, 1), D(2039, 1, 1), D(2020, 3, 1)), (D(2022, 6, 1), D(2032, 6, 1), None)],
            [(sub(D(2019, 4, 1)), D(2019, 4, 1), D(2020, 3, 1)), (sub(D(2022, 6, 1)), D(2022, 6, 1), D(2032, 6, 1))],
        ),
    ],
)
def test_enterprises_with_valid_patents(
    patents: list[tuple[date | None, date, date | None]], expected: list[tuple[str, date, date | None]]
) -> None:
    assert rules.valid_patent_contributions(CODE, patents) == [
        Contribution(rules.VALID_PATENTS, s, 1, start, end) for s, start, end in expected
    ]


def test_a_restored_patent_counts_again() -> None:
    lapsed = rules.valid_patent_contributions(CODE, [(D(2020, 4, 1), D(2039, 1, 1), D(2022, 1, 1))])
    restored = rules.valid_patent_contributions(CODE, [(D(2020, 4, 1), D(2039, 1, 1), None)])
    assert lapsed[0].end_on == D(2022, 1, 1) and restored[0].end_on == D(2039, 1, 1)
    assert lapsed[0].subject == restored[0].subject  # the same contribution, counted again


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        ([], []),
        ([Span(D(2020, 1, 1), D(2020, 2, 1)), Span(D(2020, 2, 1), None)], [Span(D(2020, 1, 1), None)]),
        ([Span(D(2021, 1, 1), None), Span(D(2020, 1, 1), D(2020, 2, 1))], [Span(D(2020, 1, 1), D(2020, 2, 1)),
                                                                          Span(D(2021, 1, 1), None)]),
        ([Span(D(2020, 1, 1), D(2025, 1, 1)), Span(D(2021, 1, 1), D(2022, 1, 1))],
         [Span(D(2020, 1, 1), D(2025, 1, 1))]),
    ],
)  # fmt: skip
def test_spans_merge(spans: list[Span], merged: list[Span]) -> None:
    assert rules.merge_spans(spans) == merged


def test_the_stock_per_year_of_an_enterprise_history() -> None:
    """The ledger's arithmetic on one history: a small firm enrolled in 2019, exited mid-2020,
    back in 2022 -> counted at the end of 2019 and 2022 only."""
    rows = rules.sme_contributions(CODE, "small", [(D(2019, 3, 1), D(2020, 6, 1)), (D(2022, 1, 5), None)])
    groups = [(c.start_on.year, c.end_on.year if c.end_on else None, c.quantity, 1) for c in rows]
    values = yearly_values(catalogue.indicator(rules.SMES), groups, [2018, 2019, 2020, 2021, 2022])
    assert values == {2018: 0, 2019: 1, 2020: 0, 2021: 0, 2022: 1}


def test_enterprise_contributions_cover_the_three_indicators() -> None:
    rows = rules.enterprise_contributions(
        CODE,
        "micro",
        [(D(2019, 3, 1), None)],
        (D(2020, 5, 1), D(2023, 5, 1), None),
        [(D(2020, 4, 1), D(2039, 1, 1), None)],
    )
    assert [r.indicator for r in rows] == [rules.SMES, rules.CERTIFIED, rules.VALID_PATENTS]


# --- the rules against a brute-force reading of "counted on 31 December" -------------------------

YEARS = list(range(2018, 2031))


def stock_by_year(rows: list[Contribution], indicator: str) -> dict[int, int]:
    """The ledger's arithmetic (`ipops.indicators.figures`) on the contributions."""
    groups = [(c.start_on.year, c.end_on.year if c.end_on else None, c.quantity, 1) for c in rows]
    values = yearly_values(catalogue.indicator(indicator), groups, YEARS)
    return {y: int(v or 0) for y, v in values.items()}


@st.composite
def enrolment_histories(draw: st.DrawFn) -> list[tuple[date, date | None]]:
    """Enrolments one after another (a transfer: the next starts the day the last ends)."""
    day, history = D(2018, 1, 1) + timedelta(days=draw(st.integers(0, 900))), []
    for _ in range(draw(st.integers(1, 4))):
        length = draw(st.none() | st.integers(0, 900))
        end = None if length is None else day + timedelta(days=length)
        history.append((day, end))
        if end is None:
            break
        day = end + timedelta(days=draw(st.sampled_from([0, 0, 1, 30, 400])))
    return history


@given(enrolment_histories(), st.sampled_from(["micro", "small", "medium", "large"]))
def test_smes_count_the_enterprises_enrolled_on_31_december(history: list[tuple[date, date | None]], size: str) -> None:
    counted = stock_by_year(rules.sme_contributions(CODE, size, history), rules.SMES)
    for year in YEARS:
        eve = D(year, 12, 31)
        enrolled = any(start <= eve and (end is None or end > eve) for start, end in history)
        assert counted[year] == int(enrolled and size in ("micro", "small")), (year, history)


@st.composite
def patent_histories(draw: st.DrawFn) -> list[tuple[date | None, date, date | None]]:
    patents = []
    for _ in range(draw(st.integers(1, 4))):
        grant = D(2017, 1, 1) + timedelta(days=draw(st.integers(0, 4000)))
        expiry = grant + timedelta(days=draw(st.integers(1, 4000)))
        lapse = draw(st.none() | st.integers(0, 3000))
        patents.append((draw(st.none() | st.just(grant)), expiry, None if lapse is None else grant + timedelta(lapse)))
    return patents


@given(patent_histories())
def test_valid_patents_count_the_enterprises_holding_one_in_force_on_31_december(
    patents: list[tuple[date | None, date, date | None]],
) -> None:
    counted = stock_by_year(rules.valid_patent_contributions(CODE, patents), rules.VALID_PATENTS)
    for year in YEARS:
        holds = any(docket.is_valid_on(D(year, 12, 31), g, x, lapsed) for g, x, lapsed in patents)
        assert counted[year] == int(holds), (year, patents)
