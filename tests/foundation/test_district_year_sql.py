"""The district's year in SQL agrees with `ipops.clock.district_year` on PostgreSQL and SQLite, so
a figure grouped by year in a database and one counted in Python put the same event in the same
year (issue 14: statistics and the public figures used UTC years)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ipops import db
from ipops.clock import district_year as python_district_year
from ipops.db import district_year
from tests.foundation.probe import ProbeItem


@pytest.mark.parametrize(
    "at",
    [
        datetime(2025, 12, 31, 15, 59, 59, tzinfo=UTC),  # 23:59:59 in Beijing: still 2025
        datetime(2025, 12, 31, 16, 0, tzinfo=UTC),  # midnight in Beijing: 2026
        datetime(2025, 12, 31, 17, 0, tzinfo=UTC),
        datetime(2026, 6, 1, 3, 0, tzinfo=UTC),
    ],
)
async def test_sql_year_is_the_district_year(probe_db: db.SessionMaker, at: datetime) -> None:
    async with db.transaction(probe_db) as session:
        session.add(ProbeItem(item_id=at.isoformat(), seq=1, created_at=at))
        await session.flush()
        year = (await session.execute(select(district_year(ProbeItem.created_at)))).scalar_one()  # type: ignore[arg-type]
    assert year == python_district_year(at)
