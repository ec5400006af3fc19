"""a bank's stop remembers the loan whose default tripped the NPL line (its claim is still paid),
and a reinstatement by an operator is kept (it holds until a default trips the line again)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing stops name no tripping loan, and no bank has a reinstatement on record
    with op.batch_alter_table("bank") as batch:
        batch.add_column(sa.Column("suspended_by_loan_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("reinstated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bank") as batch:
        batch.drop_column("reinstated_at")
        batch.drop_column("suspended_by_loan_id")
