"""the plan's indicators (#12): the contribution ledger, the yearly satisfaction survey, cancelled
cases; pauses get random identifiers (#15)

- `indicator_contribution` (`ipops.migrations.create_indicator_table`): filled for existing cases
  by `POST /statistics/indicators/recount`, which recomputes every case through the same counting
  rules the use cases apply (an SQL copy of the rules here would be a second definition);
- `satisfaction_survey`: the district's yearly public survey, one row per version of a year;
- `enforcement_case.cancelled_at`: the cancel move (opened in error, merged, a duplicate);
- `case_pause.id`: UUID4 hex text instead of a sequence (a path names it); existing pauses get a
  fresh one each (only the timeline's details mention the old number, as history). The downgrade
  numbers them 1, 2, ... again in the order they were recorded.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ipops.migrations import create_indicator_table

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_indicator_table()
    op.create_table(
        "satisfaction_survey",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("score_tenths", sa.Integer(), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("conducted_by", sa.String(200), nullable=False),
        sa.Column("conducted_on", sa.Date(), nullable=False),
        sa.Column("evidence_reference", sa.String(1000), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_satisfaction_survey"),
        sa.UniqueConstraint("year", "version", name="uq_satisfaction_survey_year_version"),
    )
    op.create_index("ix_satisfaction_survey_year", "satisfaction_survey", ["year"])
    with op.batch_alter_table("enforcement_case") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    rows = op.get_bind().execute(sa.text("SELECT id FROM case_pause")).all()
    _swap_key("case_pause", sa.String(32), {old: uuid.uuid4().hex for (old,) in rows})


def downgrade() -> None:
    conn = op.get_bind()
    cancelled = conn.scalar(sa.text("SELECT count(*) FROM enforcement_case WHERE cancelled_at IS NOT NULL"))
    if cancelled:
        raise RuntimeError(f"{cancelled} cases were cancelled; the older schema has no cancellation")
    rows = conn.execute(sa.text("SELECT id FROM case_pause ORDER BY recorded_at, id")).all()
    _swap_key("case_pause", sa.Integer(), {old: i for i, (old,) in enumerate(rows, start=1)})
    if conn.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE case_pause_id_seq OWNED BY case_pause.id")
        op.execute("ALTER TABLE case_pause ALTER COLUMN id SET DEFAULT nextval('case_pause_id_seq')")
        op.execute("SELECT setval('case_pause_id_seq', COALESCE((SELECT max(id) FROM case_pause), 0) + 1, false)")
    with op.batch_alter_table("enforcement_case") as batch:
        batch.drop_column("cancelled_at")
    op.drop_index("ix_satisfaction_survey_year", table_name="satisfaction_survey")
    op.drop_table("satisfaction_survey")
    op.drop_index("ix_indicator_contribution_indicator_year", table_name="indicator_contribution")
    op.drop_table("indicator_contribution")


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
