"""The working-day calendar and deadline rules on real dates of China's 2025 and 2026 calendars
(the official calendar of the library, which the transcribed notices of those years agree with)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from enforcement.domain.calendar import CalendarYearMissing, combine, load_seed
from enforcement.domain.deadline import (
    Pause,
    check_extension,
    deadline,
    due_date,
    is_overdue,
    load_rules,
    remaining_working_days,
)
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import CaseType, Channel, DayKind, DayUnit
from ipops.clock import district_date
from ipops.errors import RuleViolation

CAL = combine(OFFICIAL, [], ())
RULES = load_rules()
D = date.fromisoformat


class TestSeed:
    def test_counts_of_official_days(self) -> None:
        seed = load_seed()
        by_year_kind = {
            (y, k): sum(1 for d in seed if d.day.year == y and d.kind is k) for y in (2025, 2026) for k in DayKind
        }
        # 2025: 1 + 8 + 3 + 5 + 3 + 8 days off, 5 make-up days; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 off, 6 make-up.
        assert by_year_kind == {
            (2025, DayKind.HOLIDAY): 28,
            (2025, DayKind.WORKDAY): 5,
            (2026, DayKind.HOLIDAY): 33,
            (2026, DayKind.WORKDAY): 6,
        }

    def test_make_up_days_are_weekend_days(self) -> None:
        assert all(d.day.weekday() >= 5 for d in load_seed() if d.kind is DayKind.WORKDAY)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-11-23", True),  # an ordinary Monday
        ("2026-11-21", False),  # an ordinary Saturday
        ("2026-01-02", False),  # New Year holiday on a Friday
        ("2026-01-04", True),  # New Year make-up Sunday
        ("2026-02-14", True),  # Spring Festival make-up Saturday
        ("2026-02-16", False),  # Spring Festival Monday
        ("2026-02-23", False),  # last day of the 2026 Spring Festival, a Monday
        ("2026-02-28", True),  # make-up Saturday after the Spring Festival
        ("2025-10-08", False),  # National Day and Mid-Autumn, a Wednesday
        ("2025-10-11", True),  # make-up Saturday
        ("2025-04-27", True),  # Labour Day make-up Sunday
        ("2025-06-02", False),  # Dragon Boat Festival Monday
        ("2026-09-20", True),  # National Day make-up Sunday
    ],
)
def test_working_days(day: str, working: bool) -> None:
    assert CAL.is_working_day(D(day)) is working


def test_no_2027_data_yet_is_refused_not_a_plain_friday() -> None:
    with pytest.raises(CalendarYearMissing):
        CAL.is_working_day(D("2027-01-01"))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-11-20", 5, "2026-11-27"),  # Friday receipt: counted from Monday
        ("2026-11-23", 0, "2026-11-23"),
        ("2026-02-12", 5, "2026-02-26"),  # make-up Saturday 14 counts, the festival does not
        ("2025-09-30", 5, "2025-10-14"),  # Oct 1-8 off, make-up Saturday Oct 11 counts
        ("2025-12-31", 1, "2026-01-04"),  # Jan 1-3 off, Sunday Jan 4 is the make-up day
        ("2026-09-18", 3, "2026-09-22"),  # make-up Sunday Sep 20 is the first
        ("2025-01-24", 5, "2025-02-07"),  # Sunday Jan 26 and Monday 27 work, Jan 28 - Feb 4 off
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(D(start), n) == D(expected)


def test_working_days_between() -> None:
    assert CAL.working_days_between(D("2026-02-09"), D("2026-03-02")) == 11  # 9-13, 14 and 28 (make-up), 24-27
    assert CAL.working_days_between(D("2026-02-15"), D("2026-02-24")) == 0


def test_china_date_crosses_midnight() -> None:
    # deadlines count China dates: enforcement takes them from the district's clock (ipops.clock)
    assert district_date(datetime(2026, 1, 5, 17, 30, tzinfo=UTC)) == D("2026-01-06")
    assert district_date(datetime(2026, 1, 5, 15, 59, tzinfo=UTC)) == D("2026-01-05")
    with pytest.raises(ValueError):
        district_date(datetime(2026, 1, 5))


def handling(case_type: CaseType, channel: Channel = Channel.ORDINARY, patent_types: tuple[str, ...] = ()) -> list:
    return RULES.handling_rules(case_type, channel, patent_types)


ADJ = CaseType.PATENT_INFRINGEMENT_ADJUDICATION
MED = CaseType.PATENT_MEDIATION


@pytest.mark.parametrize(
    ("case_type", "channel", "patent_types", "complex_case", "start", "due", "max_date"),
    [
        # adjudication: 3 months, at most 5; Apr 5 2026 is Qingming (Apr 4-6) -> Tuesday Apr 7
        (ADJ, Channel.ORDINARY, ("invention",), False, "2026-01-05", "2026-04-07", "2026-06-05"),
        # ends on make-up Saturday Feb 28 2026, which is a working day; Nov 30 + 3 months clamps
        (ADJ, Channel.ORDINARY, (), False, "2025-11-30", "2026-02-28", "2026-04-30"),
        # mediation 2 months (May 2 is Labour Day -> May 6), complex 3 months
        (MED, Channel.ORDINARY, (), False, "2026-03-02", "2026-05-06", "2026-06-02"),
        (MED, Channel.ORDINARY, (), True, "2026-03-02", "2026-06-02", "2026-06-02"),
        # rapid design: 10 calendar days ending in National Day week -> Thursday Oct 8
        (ADJ, Channel.RAPID, ("design",), False, "2026-09-21", "2026-10-08", "2026-10-08"),
        # rapid invention: 1 month ending on Saturday May 30 -> Monday Jun 1
        (ADJ, Channel.RAPID, ("invention",), False, "2026-04-30", "2026-06-01", "2026-06-01"),
        # a design and an invention patent: the more generous month applies
        (ADJ, Channel.RAPID, ("design", "invention"), False, "2026-04-30", "2026-06-01", "2026-06-01"),
        # rapid without a patent type the rapid rules know: the ordinary rule
        (ADJ, Channel.RAPID, (), False, "2026-01-05", "2026-04-07", "2026-06-05"),
        # rapid counterfeit: 10 days (Nov 26 2026 is a Thursday)
        (CaseType.COUNTERFEIT_PATENT, Channel.RAPID, (), False, "2026-11-16", "2026-11-26", "2026-11-26"),
        # trademark cases have no rapid rule: 90 days (+30 at most); Sep 25 2026 is Mid-Autumn -> Sep 28
        (CaseType.TRADEMARK_ENFORCEMENT, Channel.RAPID, (), False, "2026-06-27", "2026-09-28", "2026-10-26"),
    ],
)
def test_handling_deadlines(
    case_type: CaseType,
    channel: Channel,
    patent_types: tuple[str, ...],
    complex_case: bool,
    start: str,
    due: str,
    max_date: str,
) -> None:
    result = deadline(handling(case_type, channel, patent_types), D(start), CAL, complex_case=complex_case)
    assert (result.due_date, result.max_date) == (D(due), D(max_date))


class TestAcceptance:
    def test_five_working_days_over_spring_festival(self) -> None:
        assert deadline([RULES.acceptance], D("2026-02-12"), CAL).due_date == D("2026-02-26")

    def test_pause_pushes_by_working_days_paused(self) -> None:
        # due Fri Nov 27; paused Tue 24 and Wed 25 (restarted Thu 26): two working days later
        pauses = [Pause(D("2026-11-24"), D("2026-11-26"))]
        assert due_date(D("2026-11-20"), 5, DayUnit.WORKING_DAYS, CAL, pauses) == D("2026-12-01")

    def test_pause_over_a_weekend_only_costs_nothing(self) -> None:
        pauses = [Pause(D("2026-11-21"), D("2026-11-23"))]
        assert due_date(D("2026-11-20"), 5, DayUnit.WORKING_DAYS, CAL, pauses) == D("2026-11-27")


class TestPauses:
    def test_closed_pause_adds_calendar_days(self) -> None:
        pauses = [Pause(D("2026-02-01"), D("2026-02-11"))]  # ten days stopped
        result = deadline(handling(ADJ), D("2026-01-05"), CAL, pauses=pauses)
        assert result.due_date == D("2026-04-15")

    def test_open_pause_counts_through_as_of(self) -> None:
        pauses = [Pause(D("2026-02-01"))]
        assert deadline(handling(ADJ), D("2026-01-05"), CAL, pauses=pauses, as_of=D("2026-02-10")).due_date == D(
            "2026-04-15"
        )
        # one more day paused, one more day later
        assert deadline(handling(ADJ), D("2026-01-05"), CAL, pauses=pauses, as_of=D("2026-02-11")).due_date == D(
            "2026-04-16"
        )

    def test_pause_after_the_due_date_does_not_count(self) -> None:
        pauses = [Pause(D("2026-05-01"), D("2026-05-20"))]
        assert deadline(handling(ADJ), D("2026-01-05"), CAL, pauses=pauses).due_date == D("2026-04-07")

    def test_two_pauses_add_up(self) -> None:
        pauses = [Pause(D("2026-01-10"), D("2026-01-15")), Pause(D("2026-03-01"), D("2026-03-06"))]
        # Apr 5 + 10 days = Apr 15 (Wednesday)
        assert deadline(handling(ADJ), D("2026-01-05"), CAL, pauses=pauses).due_date == D("2026-04-15")


class TestExtensions:
    def test_adjudication_extends_to_five_months(self) -> None:
        rule = handling(ADJ)[0]
        check_extension(rule, complex_case=False, granted=0, requested=2)
        assert deadline([rule], D("2026-01-05"), CAL, extension=2).due_date == D("2026-06-05")

    @pytest.mark.parametrize(
        ("case_type", "channel", "types", "complex_case", "granted", "requested"),
        [
            (ADJ, Channel.ORDINARY, (), False, 0, 3),  # past 5 months
            (ADJ, Channel.ORDINARY, (), False, 1, 2),  # 1 + 2 past the remaining room
            (MED, Channel.ORDINARY, (), True, 0, 1),  # a complex mediation already has its 3 months
            (ADJ, Channel.RAPID, ("design",), False, 0, 1),  # rapid clocks are not extended
            (ADJ, Channel.ORDINARY, (), False, 0, 0),
        ],
    )
    def test_refused(
        self,
        case_type: CaseType,
        channel: Channel,
        types: tuple[str, ...],
        complex_case: bool,
        granted: int,
        requested: int,
    ) -> None:
        rule = handling(case_type, channel, types)[0]
        with pytest.raises(RuleViolation) as info:
            check_extension(rule, complex_case=complex_case, granted=granted, requested=requested)
        assert info.value.extensions["errors"][0]["field"] == "amount"

    def test_simple_mediation_may_take_one_more_month(self) -> None:
        check_extension(handling(MED)[0], complex_case=False, granted=0, requested=1)


def test_overdue_and_remaining() -> None:
    due = D("2026-02-13")
    assert not is_overdue(due, due) and is_overdue(due, D("2026-02-14"))
    # from Thursday Feb 12: Friday 13 is the one working day left
    assert remaining_working_days(due, D("2026-02-12"), CAL) == 1
    assert remaining_working_days(D("2026-02-26"), D("2026-02-12"), CAL) == 5
    assert remaining_working_days(due, D("2026-03-01"), CAL) == 0


def test_every_type_has_an_ordinary_rule() -> None:
    for case_type in CaseType:
        assert handling(case_type), case_type
