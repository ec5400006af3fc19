"""the indicator ledger (issue #12): `indicator_contribution`, where pledge records what each loan
and policy contributes to the plan's figures; a loan's disbursement gets its business date
(`disbursed_date`, the Beijing date the money was paid out: history is entered late), existing
disbursed loans take the Beijing date of their `disbursed_at`; insurance policies can be
cancelled (`cancelled_at`, `cancelled_date`, `cancellation_reason`) and get random identifiers
(UUID4 text, a new route names them) - existing policies get a fresh UUID each, nothing refers to
them. The ledger's rows for existing loans and policies are written by the recount
(`POST /statistics/indicators/recount`, run once after this upgrade), through the same rules as
every later change, not by this revision.

The downgrade drops the ledger and the new columns and numbers the policies 1, 2, ... again in the
order they were recorded.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ipops.clock import district_date
from ipops.db import UtcDateTime
from ipops.migrations import create_indicator_table

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_indicator_table()
    with op.batch_alter_table("loan") as batch:
        batch.add_column(sa.Column("disbursed_date", sa.Date(), nullable=True))
    loans = sa.table("loan", sa.column("id", sa.String()), sa.column("disbursed_at", UtcDateTime()))
    conn = op.get_bind()
    for loan_id, disbursed_at in conn.execute(sa.select(loans.c.id, loans.c.disbursed_at)).all():
        if disbursed_at is not None:
            conn.execute(
                sa.text("UPDATE loan SET disbursed_date = :day WHERE id = :id"),
                {"day": district_date(disbursed_at), "id": loan_id},
            )
    with op.batch_alter_table("insurance_policy") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cancelled_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("cancellation_reason", sa.String(length=500), nullable=True))
    rows = conn.execute(sa.text("SELECT id FROM insurance_policy")).all()
    _swap_key(sa.String(length=36), {old: str(uuid.uuid4()) for (old,) in rows})


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id FROM insurance_policy ORDER BY created_at, id")).all()
    _swap_key(sa.Integer(), {old: i for i, (old,) in enumerate(rows, start=1)})
    if conn.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE insurance_policy_id_seq OWNED BY insurance_policy.id")
        op.execute("ALTER TABLE insurance_policy ALTER COLUMN id SET DEFAULT nextval('insurance_policy_id_seq')")
        op.execute(
            "SELECT setval('insurance_policy_id_seq', COALESCE((SELECT max(id) FROM insurance_policy), 0) + 1, false)"
        )
    with op.batch_alter_table("insurance_policy") as batch:
        batch.drop_column("cancellation_reason")
        batch.drop_column("cancelled_date")
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("loan") as batch:
        batch.drop_column("disbursed_date")
    op.drop_index("ix_indicator_contribution_indicator_year", table_name="indicator_contribution")
    op.drop_table("indicator_contribution")


def _swap_key(new_type: sa.types.TypeEngine, new_ids: dict) -> None:
    """Give every policy its new id (`new_ids`: old -> new). (SQLite's primary keys are unnamed:
    its batch copy drops the key with its column.)"""
    table = "insurance_policy"
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("new_id", new_type, nullable=True))
    for old, new in new_ids.items():
        op.get_bind().execute(sa.text(f"UPDATE {table} SET new_id = :new WHERE id = :old"), {"new": new, "old": old})
    with op.batch_alter_table(table) as batch:
        if op.get_bind().dialect.name != "sqlite":
            batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.drop_column("id")
        batch.alter_column("new_id", new_column_name="id", existing_type=new_type, nullable=False)
    with op.batch_alter_table(table) as batch:
        batch.create_primary_key(f"pk_{table}", ["id"])
