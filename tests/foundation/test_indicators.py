"""The indicator system's platform part: the ledger, the arithmetic, the judgement."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from ipops import db
from ipops.events.outbox import OutboxMessage
from ipops.indicators import catalogue
from ipops.indicators.evaluation import average_growth_pct, judge, judged_year
from ipops.indicators.figures import contributing_subjects, contribution_groups, yearly_values
from ipops.indicators.ledger import IndicatorContribution, contribute, lock_current, withdraw
from ipops.indicators.statistics import build_series, owner_statistics
from tests import testing

PLEDGE_AMOUNT = catalogue.indicator("pledge_amount")
SMES = catalogue.indicator("trusteeship_smes")
SATISFACTION = catalogue.indicator("satisfaction")
CASES_PER_YEAR = catalogue.indicator("enterprises_protected")


def test_every_indicator_has_one_owner_and_a_target() -> None:
    assert len(catalogue.BY_ID) == len(catalogue.CATALOGUE)
    for entry in catalogue.CATALOGUE:
        assert entry.owner in {"pledge", "trusteeship", "navigation", "enforcement", "operations"}
        if entry.target == "growth":
            assert entry.growth_pct is not None and entry.measure in ("flow", "stock")
        else:
            assert entry.target_value is not None
        if entry.target == "cumulative":
            assert entry.measure == "stock", f"{entry.id}: a cumulative target is judged on a stock"
    goals = {e.goal for e in catalogue.CATALOGUE}
    assert goals >= {1, 2, 3, 4, 5, 6}


def test_flow_adds_up_the_year_stock_counts_what_is_open_on_31_december() -> None:
    # (start year, end year, quantity, count)
    flow = yearly_values(PLEDGE_AMOUNT, [(2019, None, 10_000, 1), (2019, None, 5_050, 2), (2021, None, 1, 1)],
                         [2018, 2019, 2020, 2021])  # fmt: skip
    assert flow == {2018: Decimal("0.00"), 2019: Decimal("150.50"), 2020: Decimal("0.00"), 2021: Decimal("0.01")}
    stock = yearly_values(
        SMES, [(2019, None, 3, 3), (2019, 2020, 1, 1), (2020, 2022, 2, 2)], [2018, 2019, 2020, 2021, 2022]
    )
    # ended in 2020: counted at the end of 2019 only; ended in 2022: counted at the end of 2020 and 2021
    assert stock == {2018: 0, 2019: 4, 2020: 5, 2021: 5, 2022: 3}


def test_a_level_is_the_mean_of_the_years_figures_and_absent_without_one() -> None:
    values = yearly_values(SATISFACTION, [(2020, None, 845, 1), (2021, None, 1_700, 2)], [2019, 2020, 2021])
    assert values == {2019: None, 2020: Decimal("84.5"), 2021: Decimal("85.0")}


def test_growth_is_compound_from_the_base_year_to_the_judged_year_never_the_partial_year() -> None:
    # The example: 100 -> 200 -> 210 -> 280 M over 2019-2022 from a base of 100 M in 2018,
    # and 20 M in January 2023. Judged in 2023: 2022 is the latest complete year.
    million = Decimal(1_000_000)
    values = {2018: 100 * million, 2019: 100 * million, 2020: 200 * million, 2021: 210 * million,
              2022: 280 * million, 2023: 20 * million}  # fmt: skip
    verdict = judge(PLEDGE_AMOUNT, values, judged_year(2023), 2023)
    assert verdict.judged_year == 2022
    assert verdict.growth_pct == Decimal("29.4")  # (2.8 ** 0.25 - 1) = 29.36 %
    assert verdict.status == "not_met"  # the target is 30 %
    assert judge(PLEDGE_AMOUNT, values, 2023, 2023).status == "year_to_date"
    assert average_growth_pct(Decimal(100), Decimal(169), 2) == Decimal("30.0")
    assert average_growth_pct(Decimal(0), Decimal(169), 2) is None
    assert judge(PLEDGE_AMOUNT, {2018: Decimal(0), 2022: Decimal(5)}, 2022, 2023).status == "no_base"


def test_per_year_targets_are_judged_on_a_complete_year() -> None:
    values = {2022: Decimal(130), 2023: Decimal(4)}
    assert judge(CASES_PER_YEAR, values, 2022, 2023).status == "met"
    assert judge(CASES_PER_YEAR, values, 2023, 2023).status == "year_to_date"
    assert judge(CASES_PER_YEAR, values, 2022, 2023, has_source=False).status == "no_data"


def test_the_dashboard_judges_the_plans_final_year_once_the_plan_is_over() -> None:
    assert judged_year(2021) == 2020
    assert judged_year(2026) == 2022
    series = build_series(SMES, [(2019, None, 1000, 1000)], 2026)
    assert [y.year for y in series.series] == list(range(2018, 2027))
    assert series.series[-1].year_to_date and not series.series[-2].year_to_date
    assert series.judgement.status == "met" and series.judgement.judged_year == 2022


async def _events(session: db.AsyncSession) -> list[dict[str, object]]:
    rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()  # type: ignore[arg-type]
    return [json.loads(r.payload) for r in rows if r.event_type.startswith("ipops.indicator.")]


async def test_a_contribution_is_announced_once_per_change_and_a_withdrawal_takes_it_out(
    probe_db: db.SessionMaker,
) -> None:
    async with db.transaction(probe_db) as session:
        assert await contribute(session, owner="pledge", indicator="pledge_amount", subject="loan-1",
                                quantity=1_000_000, start_on=date(2021, 3, 1), reason="loan disbursed")  # fmt: skip
        assert not await contribute(session, owner="pledge", indicator="pledge_amount", subject="loan-1",
                                    quantity=1_000_000, start_on=date(2021, 3, 1), reason="again")  # fmt: skip
        assert await contribute(session, owner="pledge", indicator="pledge_amount", subject="loan-2",
                                quantity=50, start_on=date(2021, 12, 31), reason="loan disbursed")  # fmt: skip
    async with db.transaction(probe_db) as session:
        assert await withdraw(session, owner="pledge", indicator="pledge_amount", subject="loan-1", reason="withdrawn")
        assert not await withdraw(session, owner="pledge", indicator="pledge_amount", subject="loan-1", reason="x")
        assert not await withdraw(session, owner="pledge", indicator="pledge_amount", subject="never", reason="x")
    async with probe_db() as session:
        events = await _events(session)
        groups = await contribution_groups(session, ["pledge_amount"])
        subjects = await contributing_subjects(session, "pledge_amount", 2021, stock=False)
        stats = await owner_statistics(session, "pledge", 2023)
        row = await session.get(IndicatorContribution, ("pledge_amount", "loan-1"))
    assert [(e["subject"], e["quantity"], e["revision"]) for e in events] == [
        ("loan-1", 1_000_000, 1), ("loan-2", 50, 1), ("loan-1", 0, 2)
    ]  # fmt: skip
    assert groups["pledge_amount"] == [(2021, None, 50, 1)]
    assert subjects == ["loan-2"]
    assert row is not None and row.revision == 2 and row.reason == "withdrawn"
    amount = next(s for s in stats.indicators if s.indicator == "pledge_amount")
    assert {y.year: y.value for y in amount.series}[2021] == Decimal("0.50")


async def test_a_service_cannot_contribute_to_anothers_indicator_nor_end_before_it_starts(
    probe_db: db.SessionMaker,
) -> None:
    async with probe_db() as session:
        with pytest.raises(ValueError, match="does not own"):
            await contribute(session, owner="navigation", indicator="pledge_amount", subject="x", quantity=1,
                             start_on=date(2021, 1, 1), reason="r")  # fmt: skip
        with pytest.raises(ValueError, match="before it starts"):
            await contribute(session, owner="trusteeship", indicator="trusteeship_smes", subject="x", quantity=1,
                             start_on=date(2021, 1, 2), end_on=date(2021, 1, 1), reason="r")  # fmt: skip


async def test_rows_locked_together_give_the_same_outcome_in_one_read(probe_db: db.SessionMaker) -> None:
    async with db.transaction(probe_db) as session:
        await contribute(session, owner="pledge", indicator="pledge_amount", subject="loan-1",
                         quantity=100, start_on=date(2021, 3, 1), reason="disbursed")  # fmt: skip
        await contribute(session, owner="pledge", indicator="pledge_count", subject="loan-1",
                         quantity=1, start_on=date(2021, 3, 1), reason="disbursed")  # fmt: skip
    keys = [("pledge_amount", "loan-1"), ("pledge_count", "loan-1"), ("mixed_pledges", "loan-1")]
    async with db.transaction(probe_db) as session:
        with testing.Statements().counting() as seen:
            locked = await lock_current(session, keys)
            changed = [
                await contribute(session, owner="pledge", indicator="pledge_amount", subject="loan-1",
                                 quantity=100, start_on=date(2021, 3, 1), reason="same", locked=locked),
                await contribute(session, owner="pledge", indicator="mixed_pledges", subject="loan-1",
                                 quantity=1, start_on=date(2021, 3, 1), reason="now mixed", locked=locked),
                await withdraw(session, owner="pledge", indicator="pledge_count", subject="loan-1",
                               reason="withdrawn", locked=locked),
            ]  # fmt: skip
        assert set(locked) == {("pledge_amount", "loan-1"), ("pledge_count", "loan-1")}  # no row: absent
        # one read (SQLite's BEGIN IMMEDIATE aside); the writes wait for the flush
        assert [s.split()[0] for s in seen if not s.startswith("BEGIN")] == ["SELECT"]
    assert changed == [False, True, True]
    async with probe_db() as session:
        events = await _events(session)
        count = await session.get(IndicatorContribution, ("pledge_count", "loan-1"))
    assert [(e["indicator"], e["quantity"]) for e in events[2:]] == [("mixed_pledges", 1), ("pledge_count", 0)]
    assert count is not None and (count.quantity, count.revision) == (0, 2)
