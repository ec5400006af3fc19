"""accepted projects: undertaking organisation's name and a summary

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rm_project") as batch:
        batch.add_column(sa.Column("undertaking_org_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("summary", sa.String(2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rm_project") as batch:
        batch.drop_column("summary")
        batch.drop_column("undertaking_org_name")
