"""The annual-fee calendar on real dates: anniversaries (29 February too), grace ends, surcharges,
lapse, reminders and regeneration without duplicates. Pure: values in, values out."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trusteeship.domain import docket
from trusteeship.domain.docket import RULES, Deadline, FeeRules, Reminder
from trusteeship.enums import Milestone, PatentKind

M = Milestone


class TestRulesAreData:
    def test_rules_load_from_the_shipped_file(self) -> None:
        assert RULES.grace_months == 6
        assert RULES.reminder_days_before_due == (7, 30, 90)
        assert RULES.version == "cnipa-2021"

    def test_changing_the_data_changes_the_engine(self) -> None:
        import tomllib
        from importlib import resources

        raw = tomllib.loads(resources.files("trusteeship.domain").joinpath("annual_fee_rules.toml").read_text())
        raw["grace_months"] = 3
        rules = FeeRules.from_mapping(raw)
        [first, *_] = docket.expected_deadlines(PatentKind.INVENTION, date(2020, 5, 31), date(2021, 1, 1), rules)
        assert first.grace_end_date == date(2021, 8, 31)


class TestAnniversaries:
    @pytest.mark.parametrize(
        ("filed", "years", "expected"),
        [
            (date(2020, 2, 29), 1, date(2021, 2, 28)),  # common year: last day of February
            (date(2020, 2, 29), 4, date(2024, 2, 29)),  # leap year again: the 29th, not a drifted 28th
            (date(2020, 2, 29), 5, date(2025, 2, 28)),
            (date(2016, 2, 29), 84, date(2100, 2, 28)),  # 2100 is not a leap year
            (date(2019, 3, 1), 1, date(2020, 3, 1)),
            (date(2019, 12, 31), 1, date(2020, 12, 31)),
        ],
    )
    def test_anniversary(self, filed: date, years: int, expected: date) -> None:
        assert docket.anniversary(filed, years) == expected

    @pytest.mark.parametrize(
        ("due", "grace_end"),
        [
            (date(2021, 2, 28), date(2021, 8, 28)),
            (date(2024, 2, 29), date(2024, 8, 29)),
            (date(2022, 8, 31), date(2023, 2, 28)),  # no 31 February: the last day of the month
            (date(2023, 8, 31), date(2024, 2, 29)),  # ... which is the 29th in a leap year
            (date(2022, 12, 31), date(2023, 6, 30)),
            (date(2022, 3, 15), date(2022, 9, 15)),
        ],
    )
    def test_grace_period_ends_six_months_after_the_due_date(self, due: date, grace_end: date) -> None:
        assert docket.add_months(due, RULES.grace_months) == grace_end


class TestTerms:
    @pytest.mark.parametrize(
        ("kind", "filed", "expiry"),
        [
            (PatentKind.INVENTION, date(2010, 2, 28), date(2030, 2, 28)),
            (PatentKind.UTILITY_MODEL, date(2012, 2, 29), date(2022, 2, 28)),
            (PatentKind.DESIGN, date(2021, 5, 31), date(2031, 5, 31)),  # before the 2021 amendment: 10 years
            (PatentKind.DESIGN, date(2021, 6, 1), date(2036, 6, 1)),  # from 2021-06-01: 15 years
        ],
    )
    def test_expiry(self, kind: PatentKind, filed: date, expiry: date) -> None:
        assert docket.expiry_date(kind, filed) == expiry


class TestExpectedDeadlines:
    def test_leap_day_utility_model(self) -> None:
        deadlines = docket.expected_deadlines(PatentKind.UTILITY_MODEL, date(2020, 2, 29), date(2021, 7, 10))
        # years 1 and 2 fell due before the grant (paid with the registration); 3..10 are docketed
        assert [d.patent_year for d in deadlines] == list(range(3, 11))
        assert [d.due_date for d in deadlines[:3]] == [date(2022, 2, 28), date(2023, 2, 28), date(2024, 2, 29)]
        assert deadlines[0].fee_fen == 60_000 and deadlines[1].fee_fen == 90_000 and deadlines[-1].fee_fen == 200_000
        assert deadlines[2].grace_end_date == date(2024, 8, 29)

    def test_invention_runs_to_year_twenty(self) -> None:
        deadlines = docket.expected_deadlines(PatentKind.INVENTION, date(2015, 6, 30), date(2018, 6, 30))
        assert deadlines[-1].patent_year == 20 and deadlines[-1].fee_fen == 800_000
        assert deadlines[-1].due_date == date(2034, 6, 30)

    def test_a_due_date_on_the_grant_day_is_paid_with_the_grant(self) -> None:
        deadlines = docket.expected_deadlines(PatentKind.INVENTION, date(2015, 6, 30), date(2018, 6, 30))
        assert deadlines[0].patent_year == 5 and deadlines[0].due_date == date(2019, 6, 30)

    def test_pending_application_has_none(self) -> None:
        assert docket.expected_deadlines(PatentKind.INVENTION, date(2024, 1, 5), None) == []


class TestRegeneration:
    def test_regenerating_adds_only_missing_years(self) -> None:
        expected = docket.expected_deadlines(PatentKind.INVENTION, date(2019, 4, 1), date(2021, 9, 1))
        first = docket.missing_deadlines(expected, set())
        held = {d.patent_year for d in first}
        assert docket.missing_deadlines(expected, held) == []
        held.discard(7)
        assert [d.patent_year for d in docket.missing_deadlines(expected, held)] == [7]

    @settings(max_examples=150, deadline=None)
    @given(
        filed=st.dates(min_value=date(2003, 1, 1), max_value=date(2030, 12, 31)),
        grant_after_days=st.integers(min_value=0, max_value=2500),
        kind=st.sampled_from(list(PatentKind)),
        rounds=st.integers(min_value=1, max_value=4),
    )
    def test_no_round_of_regeneration_duplicates(
        self, filed: date, grant_after_days: int, kind: PatentKind, rounds: int
    ) -> None:
        from datetime import timedelta

        grant = filed + timedelta(days=grant_after_days)
        held: list[int] = []
        for _ in range(rounds):
            held.extend(
                d.patent_year
                for d in docket.missing_deadlines(docket.expected_deadlines(kind, filed, grant), set(held))
            )
        assert len(held) == len(set(held))
        due_dates = [d.due_date for d in docket.expected_deadlines(kind, filed, grant)]
        assert due_dates == sorted(set(due_dates))
        assert all(d > grant for d in due_dates)


class TestSurcharge:
    FEE = 120_000  # 1200.00 yuan

    @pytest.mark.parametrize(
        ("paid", "surcharge"),
        [
            (date(2021, 2, 27), 0),  # early
            (date(2021, 2, 28), 0),  # on the due date
            (date(2021, 3, 28), 0),  # exactly one month late: still the free month
            (date(2021, 3, 29), 6_000),  # into the second month: 5 %
            (date(2021, 5, 15), 12_000),  # third month late: 10 %
            (date(2021, 6, 29), 24_000),  # fifth month: 20 %
            (date(2021, 8, 28), 30_000),  # last day of grace: 25 %
        ],
    )
    def test_surcharge_grows_five_percent_a_month(self, paid: date, surcharge: int) -> None:
        assert docket.surcharge_fen(self.FEE, date(2021, 2, 28), paid) == surcharge

    def test_payable_until_grace_end_inclusive(self) -> None:
        deadline = Deadline(3, date(2022, 2, 28), date(2022, 8, 28), 60_000)
        assert docket.payable_on(date(2022, 8, 28), deadline)
        assert not docket.payable_on(date(2022, 8, 29), deadline)


class TestLapseAndValidity:
    @pytest.mark.parametrize(
        ("as_of", "lapsed"),
        [(date(2024, 8, 28), False), (date(2024, 8, 29), False), (date(2024, 8, 30), True)],
    )
    def test_lapses_the_day_after_the_grace_period(self, as_of: date, lapsed: bool) -> None:
        assert docket.is_lapsed(date(2024, 8, 29), as_of) is lapsed

    @pytest.mark.parametrize(
        ("day", "valid"),
        [
            (date(2020, 12, 31), False),  # before grant
            (date(2021, 1, 1), True),  # grant day
            (date(2024, 2, 28), True),
            (date(2024, 2, 29), False),  # lapsed from the unpaid due date
        ],
    )
    def test_valid_on(self, day: date, valid: bool) -> None:
        assert docket.is_valid_on(day, date(2021, 1, 1), date(2030, 1, 1), date(2024, 2, 29)) is valid

    def test_expired_is_not_valid(self) -> None:
        assert not docket.is_valid_on(date(2030, 1, 1), date(2021, 1, 1), date(2030, 1, 1), None)


class TestReminders:
    DUE = date(2026, 3, 31)
    GRACE_END = date(2026, 9, 30)

    @pytest.mark.parametrize(
        ("as_of", "sent", "expected"),
        [
            (date(2025, 12, 30), set(), None),  # 91 days ahead
            (date(2025, 12, 31), set(), Reminder(M.DUE, 90, DUE, 90)),
            (date(2026, 1, 15), {(M.DUE, 90)}, None),
            (date(2026, 3, 1), {(M.DUE, 90)}, Reminder(M.DUE, 30, DUE, 30)),
            (date(2026, 3, 24), {(M.DUE, 90), (M.DUE, 30)}, Reminder(M.DUE, 7, DUE, 7)),
            (date(2026, 3, 31), {(M.DUE, 7)}, None),  # on the due date, 7-day already sent
            # the job missed days: one reminder, the most urgent reached, not a burst
            (date(2026, 3, 26), set(), Reminder(M.DUE, 7, DUE, 5)),
            # past due: counting down to the end of grace
            (date(2026, 4, 1), {(M.DUE, 7)}, None),
            (date(2026, 8, 31), {(M.DUE, 7)}, Reminder(M.GRACE_END, 30, GRACE_END, 30)),
            (date(2026, 9, 23), {(M.GRACE_END, 30)}, Reminder(M.GRACE_END, 7, GRACE_END, 7)),
            (date(2026, 10, 1), set(), None),  # grace over: lapse, not a reminder
        ],
    )
    def test_reminder_for(self, as_of: date, sent: set[tuple[Milestone, int]], expected: Reminder | None) -> None:
        assert docket.reminder_for(self.DUE, self.GRACE_END, as_of, sent) == expected


class TestDocketFrom:
    def test_a_patent_recorded_late_is_docketed_forward(self) -> None:
        deadlines = docket.expected_deadlines(
            PatentKind.INVENTION, date(2016, 2, 29), date(2018, 5, 2), docket_from=date(2026, 11, 23)
        )
        # year 11 fell due 2026-02-28, its grace ended 2026-08-28: before the recording, so left out
        assert deadlines[0].patent_year == 12 and deadlines[0].due_date == date(2027, 2, 28)

    def test_still_in_grace_on_the_recording_day_is_kept(self) -> None:
        deadlines = docket.expected_deadlines(
            PatentKind.INVENTION, date(2016, 6, 30), date(2018, 5, 2), docket_from=date(2026, 11, 23)
        )
        assert deadlines[0].due_date == date(2026, 6, 30) and deadlines[0].grace_end_date == date(2026, 12, 30)
