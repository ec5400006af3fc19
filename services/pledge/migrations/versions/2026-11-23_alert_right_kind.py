"""collateral alerts name the kind of right (trademarks named in a case flag loans too)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing alerts all came from patent numbers
    with op.batch_alter_table("collateral_alert") as batch:
        batch.add_column(sa.Column("right_kind", sa.String(16), nullable=False, server_default="patent"))


def downgrade() -> None:
    with op.batch_alter_table("collateral_alert") as batch:
        batch.drop_column("right_kind")
