"""The pledge migrations revert and reapply on PostgreSQL and SQLite; dropping the stored basis
points keeps nothing that cannot be rebuilt from the collateral amounts."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import text

from ipops import db
from ipops.migrations import alembic_config
from pledge.main import ALEMBIC_INI

LOAN_ROW = (
    "INSERT INTO loan (id, bank_id, enterprise_credit_code, principal_fen, outstanding_fen, ip_value_fen, "
    "other_collateral_fen, term_months, status, version, covered, days_past_due, dpd_bucket, submitted_at) "
    "VALUES ('l1', 'b', '911201100000000012', 300, 300, 200000000, 100000000, 12, 'submitted', 1, false, 0, "
    "'current', '2026-11-29 00:00:00+00')"
)


async def _execute(url: str, *statements: str) -> list[object]:
    engine = db.create_engine(url)
    try:
        async with engine.begin() as conn:
            results = [await conn.execute(text(s)) for s in statements]
            return [r.scalar() if r.returns_rows else None for r in results]
    finally:
        await engine.dispose()


async def test_migrations_revert_and_reapply(any_db_url: str) -> None:
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, cfg, "head")
    await _execute(
        any_db_url,
        "INSERT INTO bank (id, name, registered_at) VALUES ('b', 'Bank', '2026-11-29 00:00:00+00')",
        "INSERT INTO enterprise (credit_code, name, created_at) VALUES ('911201100000000012', 'E', "
        "'2026-11-29 00:00:00+00')",
        LOAN_ROW,
    )
    await asyncio.to_thread(command.downgrade, cfg, "0004")
    [bp] = await _execute(any_db_url, "SELECT ip_share_bp FROM loan WHERE id = 'l1'")
    assert bp == 6666  # the floored figure the column held: 2,000,000.00 of 3,000,000.00
    await asyncio.to_thread(command.downgrade, cfg, "base")
    await asyncio.to_thread(command.upgrade, cfg, "head")


async def test_rights_get_random_ids_and_references_follow(any_db_url: str) -> None:
    """Revision 0006 gives each right a UUID and moves its appraisals and collateral with it (0007
    gives appraisals and repayments UUIDs); the downgrades number them 1, 2, ... again in the
    order they were recorded."""
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, cfg, "0005")
    right = (
        "INSERT INTO pledged_right (id, kind, number, title, owner_credit_code, created_at) VALUES "
        "({id}, 'patent', '{number}', 'T', '911201100000000012', '2026-11-2{day} 00:00:00+00')"
    )
    await _execute(
        any_db_url,
        "INSERT INTO bank (id, name, registered_at) VALUES ('b', 'Bank', '2026-11-29 00:00:00+00')",
        "INSERT INTO enterprise (credit_code, name, created_at) VALUES ('911201100000000012', 'E', "
        "'2026-11-29 00:00:00+00')",
        LOAN_ROW,
        right.format(id=7, number="202010000001.1", day=1),
        right.format(id=9, number="202010000002.X", day=2),
        "INSERT INTO appraisal (right_id, value_fen, valuer, appraised_date, created_at) VALUES "
        "(9, 100, 'V', '2026-10-01', '2026-11-29 00:00:00+00')",
        "INSERT INTO loan_collateral (loan_id, right_id, appraised_value_fen) VALUES ('l1', 9, 100)",
    )
    await asyncio.to_thread(command.upgrade, cfg, "head")
    [new_id, registered_by, appraised, pledged, appraisal_id] = await _execute(
        any_db_url,
        "SELECT id FROM pledged_right WHERE number = '202010000002.X'",
        "SELECT registered_by FROM pledged_right WHERE number = '202010000002.X'",
        "SELECT right_id FROM appraisal",
        "SELECT right_id FROM loan_collateral",
        "SELECT id FROM appraisal",
    )
    assert isinstance(new_id, str) and len(new_id) == 36 and not new_id.isdigit()
    assert isinstance(appraisal_id, str) and len(appraisal_id) == 36  # revision 0007
    assert appraised == pledged == new_id and registered_by is None
    await asyncio.to_thread(command.downgrade, cfg, "0005")
    [old_id, appraised, pledged, appraisal_id] = await _execute(
        any_db_url,
        "SELECT id FROM pledged_right WHERE number = '202010000002.X'",
        "SELECT right_id FROM appraisal",
        "SELECT right_id FROM loan_collateral",
        "SELECT id FROM appraisal",
    )
    assert old_id == appraised == pledged == 2 and appraisal_id == 1
    await _execute(
        any_db_url,
        "INSERT INTO pledged_right (kind, number, title, owner_credit_code, created_at) VALUES "
        "('patent', '202010000003.1', 'T', '911201100000000012', '2026-11-29 00:00:00+00')",
    )
    [next_id] = await _execute(any_db_url, "SELECT id FROM pledged_right WHERE number = '202010000003.1'")
    assert next_id == 3
    await asyncio.to_thread(command.downgrade, cfg, "base")


async def test_revision_0008_dates_disbursements_in_beijing_and_gives_policies_random_ids(any_db_url: str) -> None:
    """A loan paid out at 17:00 UTC on 31 December 2020 was paid out on 1 January 2021 in
    Beijing; policies get UUIDs (the downgrade numbers them again); the ledger starts empty (the
    recount fills it, `test_indicators.py`)."""
    cfg = alembic_config(ALEMBIC_INI, any_db_url)
    await asyncio.to_thread(command.upgrade, cfg, "0007")
    policy = (
        "INSERT INTO insurance_policy (policy_number, insurer, product_type, enterprise_credit_code, "
        "insured_rights, sum_insured_fen, premium_fen, subsidy_fen, start_date, end_date, created_at) VALUES "
        "('{number}', 'PICC', 'p', '911201100000000012', '[]', 100, 1, 0, '2021-01-01', '2021-12-31', "
        "'2026-11-2{day} 00:00:00+00')"
    )
    await _execute(
        any_db_url,
        "INSERT INTO bank (id, name, registered_at) VALUES ('b', 'Bank', '2026-11-29 00:00:00+00')",
        "INSERT INTO enterprise (credit_code, name, created_at) VALUES ('911201100000000012', 'E', "
        "'2026-11-29 00:00:00+00')",
        LOAN_ROW,
        "UPDATE loan SET status = 'disbursed', disbursed_at = '2020-12-31 17:00:00+00' WHERE id = 'l1'",
        LOAN_ROW.replace("'l1'", "'l2'"),
        policy.format(number="P-2", day=2),
        policy.format(number="P-1", day=1),
    )
    await asyncio.to_thread(command.upgrade, cfg, "head")
    [paid_on, never, policy_id, ledger_rows] = await _execute(
        any_db_url,
        "SELECT disbursed_date FROM loan WHERE id = 'l1'",
        "SELECT disbursed_date FROM loan WHERE id = 'l2'",
        "SELECT id FROM insurance_policy WHERE policy_number = 'P-1'",
        "SELECT count(*) FROM indicator_contribution",
    )
    assert str(paid_on) == "2021-01-01" and never is None
    assert isinstance(policy_id, str) and len(policy_id) == 36 and ledger_rows == 0
    await asyncio.to_thread(command.downgrade, cfg, "0007")
    [first, second] = await _execute(
        any_db_url,
        "SELECT id FROM insurance_policy WHERE policy_number = 'P-1'",
        "SELECT id FROM insurance_policy WHERE policy_number = 'P-2'",
    )
    assert (first, second) == (1, 2)  # in the order they were recorded
    await asyncio.to_thread(command.downgrade, cfg, "base")
