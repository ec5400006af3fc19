"""Properties of the deadline arithmetic over the official calendar (Hypothesis, modest counts):
starts from 2004 to 2024, so every period of up to 20 months or working days ends in a year the
library covers."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement.domain.calendar import combine
from enforcement.domain.deadline import Pause, due_date
from enforcement.domain.official_calendar import OFFICIAL
from enforcement.enums import DayUnit

CAL = combine(OFFICIAL, [], ())
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2024, 12, 31))
units = st.sampled_from(list(DayUnit))
amounts = st.integers(min_value=1, max_value=20)


def pauses_after(start: date) -> st.SearchStrategy[list[Pause]]:
    one = st.tuples(st.integers(1, 60), st.integers(1, 30)).map(
        lambda t: Pause(start + timedelta(days=t[0]), start + timedelta(days=t[0] + t[1]))
    )
    return st.lists(one, max_size=2)


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=amounts, unit=units)
def test_due_is_a_working_day_after_the_start(start: date, amount: int, unit: DayUnit) -> None:
    due = due_date(start, amount, unit, CAL)
    assert due > start and CAL.is_working_day(due)


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=amounts)
def test_working_day_period_counts_exactly(start: date, amount: int) -> None:
    due = due_date(start, amount, DayUnit.WORKING_DAYS, CAL)
    assert CAL.working_days_between(start + timedelta(days=1), due + timedelta(days=1)) == amount


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=amounts, unit=units, data=st.data())
def test_pauses_never_bring_a_deadline_forward(start: date, amount: int, unit: DayUnit, data: st.DataObject) -> None:
    pauses = data.draw(pauses_after(start))
    plain = due_date(start, amount, unit, CAL)
    assert due_date(start, amount, unit, CAL, pauses) >= plain


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=amounts, unit=units)
def test_a_longer_period_never_ends_earlier(start: date, amount: int, unit: DayUnit) -> None:
    assert due_date(start, amount + 1, unit, CAL) >= due_date(start, amount, unit, CAL)


@settings(max_examples=100, deadline=None)
@given(start=starts, amount=amounts, data=st.data())
def test_a_working_day_pause_costs_the_working_days_it_covers(start: date, amount: int, data: st.DataObject) -> None:
    plain = due_date(start, amount, DayUnit.WORKING_DAYS, CAL)
    offset = data.draw(st.integers(1, max(1, (plain - start).days)))
    length = data.draw(st.integers(1, 20))
    pause = Pause(start + timedelta(days=offset), start + timedelta(days=offset + length))
    paused_days = CAL.working_days_between(pause.started_on, pause.ended_on)  # type: ignore[arg-type]
    due = due_date(start, amount, DayUnit.WORKING_DAYS, CAL, [pause])
    assert CAL.working_days_between(plain + timedelta(days=1), due + timedelta(days=1)) == paused_days
