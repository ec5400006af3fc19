"""enrolments, fee deadlines and work-queue items get random identifiers (UUID4 hex, 32
characters) instead of sequential integers (issue #15): they name a tenant's objects in paths
(`/enrolments/{id}/exit`, `/fee-deadlines/{id}/payments`, `/work-queue/{id}/done`), and a
sequence lets one agency count and probe another's. Existing rows get a fresh id each and every
reference follows (work_log.enrolment_id, first_patent.enrolment_id,
enrolment.transferred_to_enrolment_id, fee_payment.deadline_id, fee_reminder.deadline_id).
The downgrade numbers them again 1, 2, ... in the order they were created (the old integers are
not kept: they were the enumerable part).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


@dataclass(frozen=True)
class Ref:
    """A column referring to a table's id: its foreign key and the unique constraints it is in."""

    table: str
    column: str
    nullable: bool = False
    foreign_key: str | None = None
    uniques: dict[str, list[str]] = field(default_factory=dict)


KEYS: dict[str, list[Ref]] = {
    "enrolment": [
        Ref("work_log", "enrolment_id", foreign_key="fk_work_log_enrolment_id_enrolment"),
        Ref("first_patent", "enrolment_id"),
        Ref("enrolment", "transferred_to_enrolment_id", nullable=True),
    ],
    "fee_deadline": [
        Ref(
            "fee_payment",
            "deadline_id",
            foreign_key="fk_fee_payment_deadline_id_fee_deadline",
            uniques={"uq_fee_payment_deadline_id": ["deadline_id"]},
        ),
        Ref(
            "fee_reminder",
            "deadline_id",
            foreign_key="fk_fee_reminder_deadline_id_fee_deadline",
            uniques={"uq_fee_reminder_deadline_id": ["deadline_id", "milestone", "offset_days"]},
        ),
    ],
    "work_queue_item": [],
}
RANDOM, SERIAL = sa.String(length=32), sa.Integer()


def upgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ux_enrolment_active_enterprise", table_name="enrolment")
    for table, refs in KEYS.items():
        rows = conn.execute(sa.text(f"SELECT id FROM {table}")).all()
        _swap_key(table, refs, RANDOM, SERIAL, {old: uuid.uuid4().hex for (old,) in rows})
    _active_index()


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ux_enrolment_active_enterprise", table_name="enrolment")
    for table, refs in KEYS.items():
        rows = conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY created_at, id")).all()
        _swap_key(table, refs, SERIAL, RANDOM, {old: i for i, (old,) in enumerate(rows, start=1)})
        if conn.dialect.name == "postgresql":
            op.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
            op.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
            op.execute(f"SELECT setval('{table}_id_seq', COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
    _active_index()


def _active_index() -> None:
    """At most one active enrolment per enterprise (dropped around the swap: SQLite's batch copy
    would not keep its WHERE clause)."""
    op.create_index(
        "ux_enrolment_active_enterprise",
        "enrolment",
        ["credit_code"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )


def _swap_key(
    table: str, refs: list[Ref], new_type: sa.types.TypeEngine, old_type: sa.types.TypeEngine, new_ids: dict
) -> None:
    """Give every row of `table` its new id (`new_ids`: old -> new) and make every reference
    follow. (SQLite's primary keys are unnamed: its batch copy drops the key with its column.)"""
    conn = op.get_bind()
    named_pk = conn.dialect.name != "sqlite"
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("new_id", new_type, nullable=True))
    for old, new in new_ids.items():
        conn.execute(sa.text(f"UPDATE {table} SET new_id = :new WHERE id = :old"), {"new": new, "old": old})
    for ref in refs:
        with op.batch_alter_table(ref.table) as batch:
            batch.add_column(sa.Column(f"{ref.column}_new", new_type, nullable=True))
        op.execute(
            f"UPDATE {ref.table} SET {ref.column}_new = "
            f"(SELECT t.new_id FROM {table} t WHERE t.id = {ref.table}.{ref.column})"
        )
        with op.batch_alter_table(ref.table) as batch:
            if ref.foreign_key:
                batch.drop_constraint(ref.foreign_key, type_="foreignkey")
            for name in ref.uniques:
                batch.drop_constraint(name, type_="unique")
            batch.drop_column(ref.column)
            batch.alter_column(
                f"{ref.column}_new", new_column_name=ref.column, existing_type=new_type, nullable=ref.nullable
            )
    with op.batch_alter_table(table) as batch:
        if named_pk:
            batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.drop_column("id")
        batch.alter_column("new_id", new_column_name="id", existing_type=new_type, nullable=False)
    with op.batch_alter_table(table) as batch:
        batch.create_primary_key(f"pk_{table}", ["id"])
    for ref in refs:
        with op.batch_alter_table(ref.table) as batch:
            if ref.foreign_key:
                batch.create_foreign_key(ref.foreign_key, table, [ref.column], ["id"])
            for name, columns in ref.uniques.items():
                batch.create_unique_constraint(name, columns)
