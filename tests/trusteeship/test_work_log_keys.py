"""The database itself refuses a work log that does not belong to its enrolment (revision 0007:
one composite foreign key instead of three), on PostgreSQL and SQLite, whatever the code above it
checks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from ipops import db
from ipops.migrations import upgrade_to_head
from trusteeship.main import ALEMBIC_INI

AT = "'2026-11-30 00:00:00+00'"
HELD, OTHER, MISSING = "'911201100000000012'", "'911201100000000020'", "'911201100000000039'"
SETUP = [
    *(
        "INSERT INTO agency (id, name, quota, scope, created_at, updated_at) "
        f"VALUES ('{agency}', 'A', 5, '[]', {AT}, {AT})"
        for agency in ("a", "b")
    ),
    *(
        "INSERT INTO enterprise (credit_code, name, industry, size, address, created_at, updated_at) "
        f"VALUES ({code}, 'E', 'i', 'small', 'x', {AT}, {AT})"
        for code in (HELD, OTHER)
    ),
    "INSERT INTO enrolment (id, credit_code, agency_id, status, start_date, start_reason, created_at) "
    f"VALUES ('e1', {HELD}, 'a', 'active', '2026-01-02', 'r', {AT})",
    # another agency's enrolment of another enterprise, so that every value below exists somewhere
    "INSERT INTO enrolment (id, credit_code, agency_id, status, start_date, start_reason, created_at) "
    f"VALUES ('e2', {OTHER}, 'b', 'active', '2026-01-02', 'r', {AT})",
]


def work_log(*, enrolment: str = "'e1'", agency: str = "'a'", code: str = HELD) -> str:
    return (
        "INSERT INTO work_log (agency_id, credit_code, enrolment_id, service_type, work_date, description, "
        "patent_numbers, trademark_numbers, document_refs, source, created_at) "
        f"VALUES ({agency}, {code}, {enrolment}, 'training', '2026-03-01', 'd', '[]', '[]', '[]', 'single', {AT})"
    )


REFUSED = {
    "missing enrolment": work_log(enrolment="'nope'"),
    "missing agency": work_log(agency="'zzz'"),
    "missing enterprise": work_log(code=MISSING),
    "another agency than the enrolment's": work_log(agency="'b'"),
    "another enterprise than the enrolment's": work_log(code=OTHER),
    "another enrolment's agency and enterprise": work_log(enrolment="'e2'"),
    "deleting a logged enrolment": "DELETE FROM enrolment WHERE id = 'e1'",
    "moving a logged enrolment to another agency": "UPDATE enrolment SET agency_id = 'b' WHERE id = 'e1'",
}


@pytest.fixture
async def engine(any_db_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade_to_head(ALEMBIC_INI, any_db_url)
    engine = db.create_engine(any_db_url)
    async with engine.begin() as conn:
        for statement in [*SETUP, work_log()]:
            await conn.execute(text(statement))
    yield engine
    await engine.dispose()


@pytest.mark.parametrize("case", list(REFUSED))
async def test_database_refuses(engine: AsyncEngine, case: str) -> None:
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text(REFUSED[case]))
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM work_log"))).scalar() == 1
        assert (await conn.execute(text("SELECT agency_id FROM enrolment WHERE id = 'e1'"))).scalar() == "a"


async def test_the_enrolments_own_work_is_accepted(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(work_log()))
        await conn.execute(text(work_log(enrolment="'e2'", agency="'b'", code=OTHER)))
        assert (await conn.execute(text("SELECT count(*) FROM work_log"))).scalar() == 3
