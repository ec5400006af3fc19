"""The trusteeship revisions go up, down to nothing, and up again, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from ipops import db
from ipops.migrations import alembic_config, upgrade_to_head
from trusteeship.main import ALEMBIC_INI
from trusteeship.models import table_registry


async def tables(url: str) -> set[str]:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_up_down_up(any_db_url: str) -> None:
    ours = set(table_registry.metadata.tables)
    await upgrade_to_head(ALEMBIC_INI, any_db_url)
    assert ours | {"outbox_message", "inbox_entry", "idempotency_record"} <= await tables(any_db_url)
    await asyncio.to_thread(command.downgrade, alembic_config(ALEMBIC_INI, any_db_url), "base")
    assert await tables(any_db_url) <= {"alembic_version"}
    await upgrade_to_head(ALEMBIC_INI, any_db_url)
    assert ours <= await tables(any_db_url)


async def _execute(url: str, *statements: str) -> list[object]:
    engine = db.create_engine(url)
    try:
        async with engine.begin() as conn:
            results = [await conn.execute(text(s)) for s in statements]
            return [r.scalar() if r.returns_rows else None for r in results]
    finally:
        await engine.dispose()


AT = "'2026-11-2{day} 00:00:00+00'"
CODE = "'911201100000000012'"
ROWS_AT_0005 = [
    "INSERT INTO agency (id, name, contract_number, contract_start_date, contract_end_date, quota, scope, "
    f"created_at, updated_at) VALUES ('a', 'A', 'C-1', '2019-01-01', '2027-12-31', 5, '[]', {AT.format(day=1)}, "
    f"{AT.format(day=1)})",
    "INSERT INTO enterprise (credit_code, name, industry, size, address, gbt29490_certified_date, created_at, "
    f"updated_at) VALUES ({CODE}, 'E', 'i', 'small', 'x', '2020-05-01', {AT.format(day=1)}, {AT.format(day=1)})",
    "INSERT INTO enrolment (id, credit_code, agency_id, status, start_date, end_date, start_reason, "
    f"transferred_to_enrolment_id, created_at) VALUES (7, {CODE}, 'a', 'transferred', '2020-01-02', '2021-01-04', "
    f"'r', 9, {AT.format(day=1)})",
    "INSERT INTO enrolment (id, credit_code, agency_id, status, start_date, start_reason, created_at) VALUES "
    f"(9, {CODE}, 'a', 'active', '2021-01-04', 'r', {AT.format(day=2)})",
    "INSERT INTO patent (number, credit_code, title, kind, filing_date, grant_date, expiry_date, status, "
    f"docket_from_date, created_at, updated_at) VALUES ('202010000001.1', {CODE}, 'T', 'invention', '2020-01-02', "
    f"'2021-02-01', '2040-01-02', 'valid', '2021-02-01', {AT.format(day=1)}, {AT.format(day=1)})",
    "INSERT INTO first_patent (credit_code, patent_number, grant_date, agency_id, enrolment_id, counted_at) "
    f"VALUES ({CODE}, '202010000001.1', '2021-02-01', 'a', 9, {AT.format(day=2)})",
    "INSERT INTO fee_deadline (id, patent_number, patent_year, due_date, grace_end_date, fee_fen, status, "
    f"rules_version, created_at) VALUES (4, '202010000001.1', 3, '2022-01-02', '2022-07-02', 90000, 'paid', 'v', "
    f"{AT.format(day=3)})",
    "INSERT INTO fee_payment (deadline_id, paid_date, amount_fen, surcharge_fen, recorded_by, recorded_at) "
    f"VALUES (4, '2022-01-02', 90000, 0, 'a', {AT.format(day=3)})",
    "INSERT INTO fee_reminder (deadline_id, milestone, offset_days, reminded_on, created_at) VALUES "
    f"(4, 'due', 30, '2021-12-03', {AT.format(day=3)})",
    "INSERT INTO work_log (agency_id, credit_code, enrolment_id, service_type, work_date, description, "
    f"patent_numbers, trademark_numbers, document_refs, source, created_at) VALUES ('a', {CODE}, 9, 'training', "
    f"'2021-03-01', 'd', '[]', '[]', '[]', 'single', {AT.format(day=3)})",
    "INSERT INTO work_queue_item (id, agency_id, credit_code, source_kind, reference, summary, details, status, "
    f"raised_at, created_at) VALUES (3, 'a', {CODE}, 'case', 'c1', 's', '{{}}', 'open', {AT.format(day=3)}, "
    f"{AT.format(day=3)})",
]


async def test_random_ids_and_references_follow(any_db_url: str) -> None:
    """Revision 0006 gives enrolments, fee deadlines and work-queue items UUID4-hex ids and moves
    every reference with them; revision 0005 fills in the expiry of an existing certificate; the
    downgrade numbers the rows 1, 2, ... again in the order they were created."""
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, cfg, "0004")
    await _execute(any_db_url, *ROWS_AT_0005)
    await asyncio.to_thread(command.upgrade, cfg, "head")
    [old, new, moved_to, worked, first, deadline, paid, reminded, item, expiry] = await _execute(
        any_db_url,
        "SELECT id FROM enrolment WHERE status = 'transferred'",
        "SELECT id FROM enrolment WHERE status = 'active'",
        "SELECT transferred_to_enrolment_id FROM enrolment WHERE status = 'transferred'",
        "SELECT enrolment_id FROM work_log",
        "SELECT enrolment_id FROM first_patent",
        "SELECT id FROM fee_deadline",
        "SELECT deadline_id FROM fee_payment",
        "SELECT deadline_id FROM fee_reminder",
        "SELECT id FROM work_queue_item",
        "SELECT gbt29490_expiry_date FROM enterprise",
    )
    for value in (old, new, deadline, item):
        assert isinstance(value, str) and len(value) == 32 and int(value, 16) >= 0
    assert moved_to == worked == first == new and old != new
    assert paid == reminded == deadline
    assert str(expiry) == "2023-05-01"
    # the one-active-enrolment rule survives the swap
    second_active = (
        "INSERT INTO enrolment (id, credit_code, agency_id, status, start_date, start_reason, created_at) VALUES "
        f"('x', {CODE}, 'a', 'active', '2022-01-04', 'r', {AT.format(day=4)})"
    )
    try:
        await _execute(any_db_url, second_active)
    except IntegrityError:
        pass
    else:
        raise AssertionError("a second active enrolment was accepted")
    await asyncio.to_thread(command.downgrade, cfg, "0005")
    [old, new, moved_to, worked, deadline, paid, reminded, item] = await _execute(
        any_db_url,
        "SELECT id FROM enrolment WHERE status = 'transferred'",
        "SELECT id FROM enrolment WHERE status = 'active'",
        "SELECT transferred_to_enrolment_id FROM enrolment WHERE status = 'transferred'",
        "SELECT enrolment_id FROM work_log",
        "SELECT id FROM fee_deadline",
        "SELECT deadline_id FROM fee_payment",
        "SELECT deadline_id FROM fee_reminder",
        "SELECT id FROM work_queue_item",
    )
    assert (old, new, moved_to, worked) == (1, 2, 2, 2)
    assert deadline == paid == reminded == 1 and item == 1
    await _execute(
        any_db_url,
        "INSERT INTO work_queue_item (agency_id, credit_code, source_kind, reference, summary, details, status, "
        f"raised_at, created_at) VALUES ('a', {CODE}, 'case', 'c2', 's', '{{}}', 'open', {AT.format(day=5)}, "
        f"{AT.format(day=5)})",
    )
    [next_id] = await _execute(any_db_url, "SELECT max(id) FROM work_queue_item")
    assert next_id == 2
    await asyncio.to_thread(command.downgrade, cfg, "base")
