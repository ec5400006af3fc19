"""The counting rules of enforcement's indicators, table-driven (pure: no database)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from enforcement.domain.indicators import (
    CountedCase,
    case_contribution,
    enterprise_contribution,
    enterprise_subject,
    is_taken_out,
    score_tenths,
    survey_contribution,
)
from enforcement.enums import CaseType
from ipops.indicators.catalogue import owned_by

T = CaseType
CODE = "91120110MA05JXXX0N"
DAY = date(2021, 12, 30)


def test_the_rules_cover_exactly_the_indicators_enforcement_owns() -> None:
    assert {i.id for i in owned_by("enforcement")} == {"enforcement_cases", "enterprises_protected", "satisfaction"}


@pytest.mark.parametrize(
    ("case_type", "taken_out", "quantity"),
    [
        (T.PATENT_INFRINGEMENT_ADJUDICATION, False, 1),
        (T.COUNTERFEIT_PATENT, False, 1),
        (T.TRADEMARK_ENFORCEMENT, False, 1),
        (T.PATENT_MEDIATION, False, 0),  # mediation is a service, not enforcement
        (T.ASSISTANCE, False, 0),
        (T.OVERSEAS_ASSISTANCE, False, 0),
        (T.PATENT_INFRINGEMENT_ADJUDICATION, True, 0),  # withdrawn or cancelled: taken back out
        (T.TRADEMARK_ENFORCEMENT, True, 0),
    ],
)
def test_an_administrative_case_counts_once_in_the_year_received(
    case_type: CaseType, taken_out: bool, quantity: int
) -> None:
    got = case_contribution(CountedCase("c1", case_type, DAY, taken_out))
    assert (got.indicator, got.subject, got.quantity, got.start_on, got.end_on) == (
        "enforcement_cases", "c1", quantity, DAY, None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("withdrawn", "cancelled", "out"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_a_withdrawal_or_a_cancellation_takes_a_case_out(withdrawn: bool, cancelled: bool, out: bool) -> None:
    assert is_taken_out(withdrawn, cancelled) is out


def _case(day: date, taken_out: bool = False, case_type: CaseType = T.PATENT_MEDIATION) -> CountedCase:
    return CountedCase(f"c-{day}-{taken_out}", case_type, day, taken_out)


@pytest.mark.parametrize(
    ("year", "cases", "quantity", "start_on"),
    [
        # any type counts, mediation and assistance included; from the first case of the year
        (2021, [_case(date(2021, 3, 1)), _case(date(2021, 2, 1), case_type=T.ASSISTANCE)], 1, date(2021, 2, 1)),
        # received in December, closed in January: December's year only
        (2021, [_case(date(2021, 12, 31))], 1, date(2021, 12, 31)),
        (2022, [_case(date(2021, 12, 31))], 0, date(2022, 1, 1)),
        # the first case taken out: it counts from the next one
        (2021, [_case(date(2021, 2, 1), taken_out=True), _case(date(2021, 5, 1))], 1, date(2021, 5, 1)),
        # every case taken out: withdrawn (quantity 0), dated on the first
        (2021, [_case(date(2021, 2, 1), taken_out=True), _case(date(2021, 5, 1), True)], 0, date(2021, 2, 1)),
        (2021, [], 0, date(2021, 1, 1)),
    ],
)
def test_an_enterprise_counts_once_a_year_it_requested_a_case(
    year: int, cases: list[CountedCase], quantity: int, start_on: date
) -> None:
    got = enterprise_contribution(year, CODE, cases)
    assert (got.indicator, got.quantity, got.start_on) == ("enterprises_protected", quantity, start_on)
    assert got.subject == f"{year}:{hashlib.sha256(CODE.encode()).hexdigest()[:32]}"


def test_an_enterprise_subject_never_holds_the_credit_code() -> None:
    subject = enterprise_subject(2021, CODE)
    assert CODE not in subject and subject.startswith("2021:") and len(subject) == 37
    assert enterprise_subject(2022, CODE) != subject


@pytest.mark.parametrize(
    ("year", "score", "conducted_on", "quantity", "start_on"),
    [
        (2021, Decimal("84.5"), date(2021, 11, 20), 845, date(2021, 11, 20)),
        (2021, Decimal("100"), date(2021, 6, 1), 1000, date(2021, 6, 1)),
        (2021, Decimal("80.0"), date(2022, 1, 15), 800, date(2021, 12, 31)),  # conducted after the year ended
        (2021, Decimal("0.1"), date(2021, 12, 31), 1, date(2021, 12, 31)),
    ],
)
def test_a_years_survey_is_its_satisfaction_level(
    year: int, score: Decimal, conducted_on: date, quantity: int, start_on: date
) -> None:
    got = survey_contribution(year, score, conducted_on)
    assert (got.indicator, got.subject, got.quantity, got.start_on) == (
        "satisfaction",
        f"survey:{year}",
        quantity,
        start_on,
    )
    assert score_tenths(score) == quantity
    withdrawn = survey_contribution(year, score, conducted_on, withdrawn=True)  # the year has no figure
    assert (withdrawn.subject, withdrawn.quantity, withdrawn.start_on) == (f"survey:{year}", 0, start_on)
