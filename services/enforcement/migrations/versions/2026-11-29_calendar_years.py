"""holiday calendar from the official library: operators declare the years they complete; a case's
deadline may wait for a year no source covers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("notice", sa.String(200), nullable=False),
        sa.Column("declared_by", sa.String(200), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_calendar_year"),
    )
    with op.batch_alter_table("enforcement_case") as batch:
        batch.add_column(sa.Column("calendar_missing_year", sa.Integer(), nullable=True))
        batch.alter_column("acceptance_due_date", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    waiting = op.get_bind().scalar(sa.text("SELECT count(*) FROM enforcement_case WHERE acceptance_due_date IS NULL"))
    if waiting:
        raise RuntimeError(
            f"{waiting} cases wait for a calendar year to compute their acceptance deadline; declare the "
            "year (PUT /calendar/years/{year}) before downgrading, the older schema needs a date"
        )
    with op.batch_alter_table("enforcement_case") as batch:
        batch.alter_column("acceptance_due_date", existing_type=sa.Date(), nullable=False)
        batch.drop_column("calendar_missing_year")
    op.drop_table("calendar_year")
