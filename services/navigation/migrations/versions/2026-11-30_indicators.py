"""the indicator ledger (#12); projects keep their acceptance date, portfolios their qualification
spell, patent-list key and withdrawal; milestones get random ids (#15)

- `indicator_contribution` (the platform's ledger table). It starts empty: the operator route
  `POST /statistics/indicators/recount` fills it from the existing rows through the counting rules
  (the same use case the tests run on existing data).
- `project.accepted_on`: the acceptance date; existing accepted projects get the Beijing date of
  `accepted_at`.
- `portfolio.qualified_on` / `disqualified_on`: the latest qualification spell. A portfolio
  qualified now gets the Beijing date of `first_qualified_at` (the only date kept of it); one not
  qualified now gets no spell (when it stopped was never recorded), so it does not count.
  `patent_list_key` is filled at the next assessment or recount. `withdrawn_on`, `withdrawn_at`,
  `withdrawal_reason`: the new withdrawal.
- `project_milestone.id`: UUID4 hex text instead of a sequence number (existing milestones get a
  fresh one each; nothing refers to them). The downgrade numbers them 1, 2, ... again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta, timezone

import sqlalchemy as sa
from alembic import op

from ipops.db import UtcDateTime
from ipops.migrations import create_indicator_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Beijing has had no daylight saving since 1991: a fixed offset gives the district's date here
# without importing the app (a migration must not change when the app's code does).
BEIJING = timezone(timedelta(hours=8))
PORTFOLIO_COLUMNS = {
    "patent_list_key": sa.String(32),
    "qualified_on": sa.Date(),
    "disqualified_on": sa.Date(),
    "withdrawn_on": sa.Date(),
    "withdrawn_at": sa.DateTime(timezone=True),
    "withdrawal_reason": sa.String(500),
}


def _backfill_date(table: str, stamp: str, target: str, where: str) -> None:
    """`target` := the Beijing date of `stamp`, on the rows `where` says."""
    conn = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.String()), sa.column(stamp, UtcDateTime()))
    query = sa.select(rows.c.id, rows.c[stamp]).where(sa.text(where))
    for row_id, at in conn.execute(query).all():
        conn.execute(
            sa.text(f"UPDATE {table} SET {target} = :on WHERE id = :id"),
            {"on": at.astimezone(BEIJING).date(), "id": row_id},
        )


def upgrade() -> None:
    create_indicator_table()
    op.add_column("project", sa.Column("accepted_on", sa.Date(), nullable=True))
    _backfill_date("project", "accepted_at", "accepted_on", "accepted_at IS NOT NULL")
    for name, type_ in PORTFOLIO_COLUMNS.items():
        op.add_column("portfolio", sa.Column(name, type_, nullable=True))
    _backfill_date("portfolio", "first_qualified_at", "qualified_on", "qualified AND first_qualified_at IS NOT NULL")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id FROM project_milestone")).all()
    _swap_key(sa.String(length=36), {old: uuid.uuid4().hex for (old,) in rows})


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id FROM project_milestone ORDER BY created_at, id")).all()
    _swap_key(sa.Integer(), {old: i for i, (old,) in enumerate(rows, start=1)})
    if conn.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE project_milestone_id_seq OWNED BY project_milestone.id")
        op.execute("ALTER TABLE project_milestone ALTER COLUMN id SET DEFAULT nextval('project_milestone_id_seq')")
        op.execute(
            "SELECT setval('project_milestone_id_seq', COALESCE((SELECT max(id) FROM project_milestone), 0) + 1, false)"
        )
    with op.batch_alter_table("portfolio") as batch:
        for name in PORTFOLIO_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("project") as batch:
        batch.drop_column("accepted_on")
    op.drop_index("ix_indicator_contribution_indicator_year", table_name="indicator_contribution")
    op.drop_table("indicator_contribution")


def _swap_key(new_type: sa.types.TypeEngine, new_ids: dict) -> None:
    """Give every milestone its new id (`new_ids`: old -> new). (SQLite's primary keys are unnamed:
    its batch copy drops the key with its column.)"""
    table = "project_milestone"
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
