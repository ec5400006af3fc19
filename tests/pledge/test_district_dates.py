"""The district's date everywhere in pledge: a statistic's year, the stop line's year, the day
DPD counts to and a loan's maturity are Beijing dates. 2025-12-31T17:00Z is 1 January 2026 there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from ipops import db
from ipops.clock import district_date, district_year, utc_now
from pledge.enums import Move
from pledge.loans import moves
from pledge.loans import service as loans_service
from pledge.loans.schemas import LoanTransition
from pledge.main import create_app
from pledge.models import Loan
from tests import testing
from tests.conftest import serve
from tests.pledge.conftest import pledge_settings
from tests.pledge.helpers import Api, drive, pool_with_agreement, register_bank, set_rows, submit

NEW_YEAR_IN_BEIJING = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)


@pytest.fixture
async def fresh(pg_url: str, tokens: testing.TokenFactory, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(pledge_settings(pg_url, tokens, kafka_bootstrap))) as client:
        yield client


async def test_a_disbursement_at_17_utc_on_new_years_eve_is_dated_in_the_new_year() -> None:
    """Reported without a date at 17:00 UTC on 31 December: paid out on 1 January in Beijing, so
    it counts in the new year (the indicators count by this date: `test_indicators.py`)."""
    loan = Loan(
        id="l", bank_id="b", enterprise_credit_code="c", principal_fen=100, outstanding_fen=100, ip_value_fen=100,
        other_collateral_fen=0, term_months=1, status="registered", submitted_at=NEW_YEAR_IN_BEIJING,
    )  # fmt: skip
    data = LoanTransition(move=Move.DISBURSE)
    await moves.MOVES[Move.DISBURSE].apply(SimpleNamespace(), loan, data, NEW_YEAR_IN_BEIJING)  # type: ignore[arg-type]
    assert loan.disbursed_date == date(2026, 1, 1)


async def test_a_default_at_17_utc_on_new_years_eve_counts_in_the_new_year(
    fresh: httpx.AsyncClient, tokens: testing.TokenFactory, pg_url: str
) -> None:
    operator = Api(fresh, tokens, "operator")
    bank = Api(fresh, tokens, "bank", await register_bank(operator))
    await pool_with_agreement(operator, bank.tenant or "")
    loan = await submit(bank, amount="1000.00")
    await drive(bank, loan["id"], "registered")
    assert (await bank.move(loan["id"], "disburse", disbursed_date="2026-01-01")).status_code == 200
    for move, fields in [("mark_overdue", {"overdue_since": "2026-10-01"}), ("default", {})]:
        assert (await bank.move(loan["id"], move, **fields)).status_code == 200
    await set_rows(pg_url, Loan, loan["id"], defaulted_at=NEW_YEAR_IN_BEIJING)
    years = {y["year"]: y for y in (await operator.get("/statistics")).json()["years"]}
    assert 2025 not in years
    assert years[2026]["pledge_amount"] == "1000.00" and years[2026]["pledge_count"] == 1
    assert years[2026]["banks"][0]["non_performing"] == "1000.00"


async def test_the_flow_stop_line_counts_a_disbursement_in_the_districts_year(
    fresh: httpx.AsyncClient, tokens: testing.TokenFactory, pg_url: str
) -> None:
    """Paid out at 17:00 UTC on the last day of last year, i.e. on 1 January this year in the
    district (the date a disbursement reported then gets, tested above): the default this year is
    100 % of this year's disbursements (stopped), not a year with nothing paid out (undefined,
    not stopped)."""
    operator = Api(fresh, tokens, "operator")
    bank = Api(fresh, tokens, "bank", await register_bank(operator))
    terms = {"shares": {"pool": "50", "bank": "50"}, "npl_suspension_threshold": "3", "npl_basis": "flow"}
    await pool_with_agreement(operator, bank.tenant or "", terms=terms)
    loan = await submit(bank, amount="1000.00")
    await drive(bank, loan["id"], "registered")
    eve = NEW_YEAR_IN_BEIJING.replace(year=district_year(utc_now()) - 1)
    response = await bank.move(loan["id"], "disburse", disbursed_date=str(district_date(eve)))
    assert response.status_code == 200 and response.json()["disbursed_date"] == f"{district_year(utc_now())}-01-01"
    for move, fields in [("mark_overdue", {"overdue_since": "2026-10-01"}), ("default", {})]:
        assert (await bank.move(loan["id"], move, **fields)).status_code == 200
    banks = (await operator.get("/banks")).json()["items"]
    assert banks[0]["suspended_at"] is not None


async def test_mark_overdue_without_as_of_counts_to_the_districts_date() -> None:
    loan = Loan(
        id="l",
        bank_id="b",
        enterprise_credit_code="c",
        principal_fen=100,
        outstanding_fen=100,
        ip_value_fen=100,
        other_collateral_fen=0,
        term_months=1,
        status="disbursed",
        submitted_at=NEW_YEAR_IN_BEIJING,
    )
    added: list[Any] = []
    session: Any = SimpleNamespace(add=added.append)
    data = LoanTransition(move=Move.MARK_OVERDUE, overdue_since=date(2025, 12, 1))
    await moves.MOVES[Move.MARK_OVERDUE].apply(session, loan, data, NEW_YEAR_IN_BEIJING)
    assert loan.days_past_due == 32  # 1 December to 1 January in Beijing, both counted
    assert added[0].as_of_date == date(2026, 1, 1)


@pytest.mark.parametrize(("as_of", "overdue"), [(date(2026, 2, 1), False), (date(2026, 2, 2), True)])
async def test_maturity_runs_from_the_date_of_disbursement(
    fresh: httpx.AsyncClient, tokens: testing.TokenFactory, pg_url: str, as_of: date, overdue: bool
) -> None:
    """Paid out on 1 January 2026 in Beijing for one month: due 1 February, late from 2 February."""
    operator = Api(fresh, tokens, "operator")
    bank = Api(fresh, tokens, "bank", await register_bank(operator))
    made = await submit(bank, amount="1000.00")
    await drive(bank, made["id"], "disbursed")
    await set_rows(pg_url, Loan, made["id"], disbursed_date=date(2026, 1, 1), term_months=1)
    engine = db.create_engine(pg_url)
    try:
        async with db.transaction(db.make_sessionmaker(engine)) as session:
            await loans_service.recompute_dpd(session, as_of)
    finally:
        await engine.dispose()
    shown = (await bank.get(f"/loans/{made['id']}")).json()
    assert (shown["status"] == "overdue") is overdue
    if overdue:
        assert shown["overdue_since"] == "2026-02-02"
