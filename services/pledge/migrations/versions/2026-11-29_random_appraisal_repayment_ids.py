"""appraisals and repayments (a bank's records) get random identifiers (UUID4 text) instead of
sequential integers, which told every bank how many the others recorded; existing rows get a fresh
UUID each (nothing refers to them). The downgrade numbers them 1, 2, ... again in the order they
were recorded (the old integers are not kept).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> the column of the time it was recorded
TABLES = {"appraisal": "created_at", "repayment": "recorded_at"}


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        rows = conn.execute(sa.text(f"SELECT id FROM {table}")).all()
        _swap_key(table, sa.String(length=36), {old: str(uuid.uuid4()) for (old,) in rows})


def downgrade() -> None:
    conn = op.get_bind()
    for table, recorded in TABLES.items():
        rows = conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY {recorded}, id")).all()
        _swap_key(table, sa.Integer(), {old: i for i, (old,) in enumerate(rows, start=1)})
        if conn.dialect.name == "postgresql":
            op.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
            op.execute(f"SELECT setval('{table}_id_seq', COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def _swap_key(table: str, new_type: sa.types.TypeEngine, new_ids: dict) -> None:
    """Give every row of `table` its new id (`new_ids`: old -> new). (SQLite's primary keys are
    unnamed: its batch copy drops the key with its column.)"""
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
