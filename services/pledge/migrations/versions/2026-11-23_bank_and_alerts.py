"""bank and collateral alerts; platform tables

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ipops.migrations import create_platform_tables, drop_platform_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "bank",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bank"),
    )
    op.create_table(
        "collateral_alert",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("patent_number", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("case_type", sa.String(64), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_collateral_alert"),
    )
    op.create_index("ix_collateral_alert_patent_number", "collateral_alert", ["patent_number"])


def downgrade() -> None:
    op.drop_index("ix_collateral_alert_patent_number", table_name="collateral_alert")
    op.drop_table("collateral_alert")
    op.drop_table("bank")
    drop_platform_tables()
