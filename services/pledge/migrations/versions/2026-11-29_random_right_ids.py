"""rights get random identifiers (UUID4 text) instead of sequential integers, so one bank cannot
enumerate the district's collateral; existing rights get a fresh UUID each and every reference
(appraisal.right_id, loan_collateral.right_id) follows. Enterprises and rights record the bank
that registered them (`registered_by`, NULL when an operator did or before this revision).
The downgrade numbers the rights again 1, 2, ... in the order they were recorded (the old
integers are not kept: they were the enumerable part) and drops `registered_by`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFERRERS = ("appraisal", "loan_collateral")


def upgrade() -> None:
    for table in ("enterprise", "pledged_right"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("registered_by", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id FROM pledged_right")).all()
    _swap_right_key(sa.String(length=36), sa.Integer(), {old: str(uuid.uuid4()) for (old,) in rows})


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id FROM pledged_right ORDER BY created_at, id")).all()
    _swap_right_key(sa.Integer(), sa.String(length=36), {old: i for i, (old,) in enumerate(rows, start=1)})
    if conn.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE pledged_right_id_seq OWNED BY pledged_right.id")
        op.execute("ALTER TABLE pledged_right ALTER COLUMN id SET DEFAULT nextval('pledged_right_id_seq')")
        op.execute("SELECT setval('pledged_right_id_seq', COALESCE((SELECT max(id) FROM pledged_right), 0) + 1, false)")
    for table in ("pledged_right", "enterprise"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("registered_by")


def _swap_right_key(new_type: sa.types.TypeEngine, old_type: sa.types.TypeEngine, new_ids: dict) -> None:
    """Give every right its new id (`new_ids`: old -> new) and make every reference follow.
    (SQLite's primary keys are unnamed: its batch copy drops the key with its column.)"""
    named_pk = op.get_bind().dialect.name != "sqlite"
    with op.batch_alter_table("pledged_right") as batch:
        batch.add_column(sa.Column("new_id", new_type, nullable=True))
    for old, new in new_ids.items():
        op.get_bind().execute(
            sa.text("UPDATE pledged_right SET new_id = :new WHERE id = :old"), {"new": new, "old": old}
        )
    for table in REFERRERS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("right_ref", new_type, nullable=True))
        op.execute(
            f"UPDATE {table} SET right_ref = "
            f"(SELECT new_id FROM pledged_right WHERE pledged_right.id = {table}.right_id)"
        )
    op.drop_index("uq_loan_collateral_live_right", table_name="loan_collateral")
    op.drop_index("ix_appraisal_right_id", table_name="appraisal")
    with op.batch_alter_table("appraisal") as batch:
        batch.drop_constraint("fk_appraisal_right_id_pledged_right", type_="foreignkey")
        batch.drop_column("right_id")
        batch.alter_column("right_ref", new_column_name="right_id", existing_type=new_type, nullable=False)
    with op.batch_alter_table("loan_collateral") as batch:
        batch.drop_constraint("fk_loan_collateral_right_id_pledged_right", type_="foreignkey")
        if named_pk:
            batch.drop_constraint("pk_loan_collateral", type_="primary")
        batch.drop_column("right_id")
        batch.alter_column("right_ref", new_column_name="right_id", existing_type=new_type, nullable=False)
    with op.batch_alter_table("loan_collateral", recreate="auto") as batch:
        batch.create_primary_key("pk_loan_collateral", ["loan_id", "right_id"])
    with op.batch_alter_table("pledged_right") as batch:
        if named_pk:
            batch.drop_constraint("pk_pledged_right", type_="primary")
        batch.drop_column("id")
        batch.alter_column("new_id", new_column_name="id", existing_type=new_type, nullable=False)
    with op.batch_alter_table("pledged_right") as batch:
        batch.create_primary_key("pk_pledged_right", ["id"])
    for table in REFERRERS:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(f"fk_{table}_right_id_pledged_right", "pledged_right", ["right_id"], ["id"])
    op.create_index("ix_appraisal_right_id", "appraisal", ["right_id"], unique=False)
    op.create_index(
        "uq_loan_collateral_live_right",
        "loan_collateral",
        ["right_id"],
        unique=True,
        postgresql_where=sa.text("released_at IS NULL"),
        sqlite_where=sa.text("released_at IS NULL"),
    )
