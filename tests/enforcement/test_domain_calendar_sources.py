"""Where the working-day calendar comes from: the official calendar of the `chinesecalendar`
library (2004 to its last year, holidays and make-up working days), the operator's table of
special days (which overrides it day by day) and the operator's declaration that a year is
complete. A year no source covers is refused, never counted as weekends only."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement.domain.calendar import (
    CalendarYearMissing,
    SpecialDay,
    WorkCalendar,
    combine,
    coverage,
    effective_days,
    load_seed,
)
from enforcement.domain.deadline import deadline, due_date, load_rules
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import DayKind, DayUnit

D = date.fromisoformat
RULES = load_rules()
CAL = combine(OFFICIAL, [], frozenset())


def acceptance_due(start: str, calendar: WorkCalendar = CAL) -> date:
    return deadline([RULES.acceptance], D(start), calendar).due_date


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # 2024: Feb 10-17 off, Sunday Feb 4 and Sunday Feb 18 worked; Friday Feb 9 (New Year's Eve)
        # is a working day: 9, 18, 19, 20, 21
        ("2024-02-08", "2024-02-21"),
        # 2022: Oct 1-7 off, Saturday Oct 8 and Sunday Oct 9 worked: Sep 30, Oct 8, 9, 10, 11
        ("2022-09-29", "2022-10-11"),
        # 2020: Spring Festival extended to Feb 2 by the State Council (Jan 24 - Feb 2 off): 23, Feb 3-6
        ("2020-01-22", "2020-02-06"),
        # 2015: the 70th anniversary of the victory, Thursday Sep 3 - Saturday Sep 5 off, Sunday Sep 6
        # worked: 2, 6, 7, 8, 9
        ("2015-09-01", "2015-09-09"),
        # 2004, the library's first year: Saturday Jan 17 and Sunday Jan 18 worked before the festival
        ("2004-01-15", "2004-01-20"),
        # the 2025 and 2026 days the service seeded before still come out the same
        ("2026-02-12", "2026-02-26"),
        ("2025-09-30", "2025-10-14"),
    ],
)
def test_five_working_days_on_the_official_calendar(start: str, due: str) -> None:
    assert acceptance_due(start) == D(due)


def test_the_library_agrees_with_the_transcribed_2025_and_2026_notices() -> None:
    library = {(d.day, d.kind) for d in OFFICIAL.days if d.day.year in (2025, 2026)}
    assert library == {(d.day, d.kind) for d in load_seed()}


def test_official_years_are_2004_to_2026() -> None:
    assert OFFICIAL.years == frozenset(range(2004, 2027))
    assert OFFICIAL.source == "chinesecalendar 1.11.0"


@pytest.mark.parametrize(
    ("ask", "year"),
    [
        (lambda c: c.is_working_day(D("2027-01-04")), 2027),
        (lambda c: c.add_working_days(D("2026-12-28"), 5), 2027),  # runs over New Year
        (lambda c: c.working_day_on_or_after(D("2003-06-07")), 2003),  # before the library
        (lambda c: c.working_days_between(D("2026-12-30"), D("2027-01-02")), 2027),
        (lambda c: due_date(D("2026-11-23"), 3, DayUnit.MONTHS, c), 2027),
    ],
)
def test_a_year_no_source_covers_is_refused(ask, year: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalendarYearMissing) as info:
        ask(CAL)
    problem = info.value
    assert (problem.status, problem.type_slug, problem.extensions["year"]) == (409, "calendar-year-missing", year)
    assert str(year) in problem.detail


def test_a_deadline_whose_latest_date_needs_a_missing_year_keeps_its_due_date() -> None:
    # adjudication from 15 Aug 2026: due 3 months later (16 Nov, a Monday), at most 5 (Jan 2027)
    result = deadline(RULES.handling_rules(*_adjudication()), D("2026-08-15"), CAL)
    assert (result.due_date, result.max_date, result.max_missing_year) == (D("2026-11-16"), None, 2027)


def _adjudication() -> tuple:  # type: ignore[type-arg]
    from enforcement.enums import CaseType, Channel

    return CaseType.PATENT_INFRINGEMENT_ADJUDICATION, Channel.ORDINARY, ("invention",)


class TestOperatorTable:
    def test_an_operator_holiday_beats_the_library(self) -> None:
        # the district closes on Friday 9 Feb 2024 (New Year's Eve): one working day fewer
        calendar = combine(OFFICIAL, [SpecialDay(D("2024-02-09"), DayKind.HOLIDAY, "closure")], frozenset())
        assert acceptance_due("2024-02-08", calendar) == D("2024-02-22")

    def test_an_operator_workday_beats_a_library_holiday(self) -> None:
        calendar = combine(OFFICIAL, [SpecialDay(D("2024-02-15"), DayKind.WORKDAY, "office open")], frozenset())
        assert calendar.is_working_day(D("2024-02-15"))
        assert acceptance_due("2024-02-08", calendar) == D("2024-02-20")

    def test_an_operator_holiday_cancels_a_library_make_up_day(self) -> None:
        calendar = combine(OFFICIAL, [SpecialDay(D("2024-02-18"), DayKind.HOLIDAY, "no make-up")], frozenset())
        assert not calendar.is_working_day(D("2024-02-18"))

    def test_operator_days_alone_do_not_cover_a_year(self) -> None:
        days = [SpecialDay(D("2027-01-01"), DayKind.HOLIDAY, "元旦")]
        with pytest.raises(CalendarYearMissing):
            combine(OFFICIAL, days, frozenset()).is_working_day(D("2027-03-01"))

    def test_a_declared_year_is_covered_by_the_operator_table(self) -> None:
        days = [SpecialDay(D("2027-01-01"), DayKind.HOLIDAY, "元旦"), SpecialDay(D("2027-01-02"), DayKind.WORKDAY, "x")]
        calendar = combine(OFFICIAL, days, frozenset({2027}))
        assert not calendar.is_working_day(D("2027-01-01")) and calendar.is_working_day(D("2027-01-02"))
        # Dec 28 2026 + 5: 29, 30, 31, Sat Jan 2 (make-up), Mon Jan 4
        assert calendar.add_working_days(D("2026-12-28"), 5) == D("2027-01-04")


operator_days = st.lists(
    st.builds(
        SpecialDay,
        st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)),
        st.sampled_from(list(DayKind)),
        st.just("operator"),
    ),
    max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(operator=operator_days)
def test_the_calendar_counts_what_the_year_view_shows(operator: list[SpecialDay]) -> None:
    """`combine` (what deadlines count) and `effective_days` (what GET /calendar/years shows) agree
    on every day: the operator's last entry for a day, else the library's, else the weekday."""
    calendar = combine(OFFICIAL, operator, ())
    shown = effective_days(OFFICIAL, operator)
    day = date(2024, 1, 1)
    while day.year == 2024:
        entry = shown.get(day)
        expected = entry.day.kind is DayKind.WORKDAY if entry is not None else day.weekday() < 5
        assert calendar.is_working_day(day) is expected, day
        day = date.fromordinal(day.toordinal() + 1)


@pytest.mark.parametrize(
    ("today", "declared", "next_covered", "alert"),
    [
        ("2026-11-30", frozenset(), False, False),  # next year missing, but before 1 December
        ("2026-12-01", frozenset(), False, True),  # from 1 December it is an alert
        ("2026-12-31", frozenset(), False, True),
        ("2026-12-01", frozenset({2027}), True, False),  # the operator declared 2027
        ("2025-12-15", frozenset(), True, False),  # the library knows 2026
        ("2027-01-05", frozenset(), False, True),  # this year itself is missing: always an alert
        ("2027-01-05", frozenset({2027}), False, False),  # 2027 declared, 2028 not yet due
    ],
)
def test_coverage(today: str, declared: frozenset[int], next_covered: bool, alert: bool) -> None:
    report = coverage(D(today), OFFICIAL.years, declared, alert_from=RULES.calendar_alert_from)
    assert (report.next_year, report.next_year_covered, report.alert) == (D(today).year + 1, next_covered, alert)
    assert report.this_year_covered is (D(today).year in OFFICIAL.years | declared)


def test_the_alert_date_is_data() -> None:
    assert RULES.calendar_alert_from == (12, 1)
    assert coverage(D("2026-11-15"), OFFICIAL.years, frozenset(), alert_from=(11, 1)).alert is True
