"""The public figures count an event in the district's year, as the services do (issue 14 item 5:
the read model grouped by UTC year, so a loan approved on the evening of 31 December UTC counted
in the old year here and in the new year in the pledge service)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gateway.models import RmFact, RmLoan, table_registry
from gateway.readmodel.queries import SOURCES
from ipops import db


@pytest.fixture
async def sessionmaker(any_db_url: str) -> db.SessionMaker:
    engine = db.create_engine(any_db_url)
    async with engine.begin() as conn:
        await conn.run_sync(table_registry.metadata.create_all)
    return db.make_sessionmaker(engine)


async def test_a_loan_approved_on_new_years_eve_utc_counts_in_the_new_year(sessionmaker: db.SessionMaker) -> None:
    async with db.transaction(sessionmaker) as session:
        session.add(
            RmLoan(
                loan_id="l1",
                bank_id="b",
                amount_fen=100,
                status="approved",
                approved_at=datetime(2025, 12, 31, 17, 0, tzinfo=UTC),
            )
        )
        session.add(
            RmLoan(
                loan_id="l2",
                bank_id="b",
                amount_fen=100,
                status="approved",
                approved_at=datetime(2025, 12, 31, 15, 0, tzinfo=UTC),
            )
        )
        session.add(
            RmFact(
                fact_id="f1",
                metric="enterprises_served",
                quantity=1,
                occurred_at=datetime(2025, 12, 31, 16, 30, tzinfo=UTC),
                attributes={},
            )
        )
    async with sessionmaker() as session:
        assert await SOURCES["pledge_count"](session) == {2025: 1, 2026: 1}
        facts = await SOURCES["enterprises_served"](session)
    assert facts == {2026: 1}
