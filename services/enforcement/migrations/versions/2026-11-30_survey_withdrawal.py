"""a survey version may withdraw the year's survey (recorded for the wrong year, say): the year then
has no satisfaction figure; the version keeps the score it withdraws, for the record

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("satisfaction_survey") as batch:
        batch.add_column(sa.Column("withdrawn", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    withdrawn = op.get_bind().scalar(sa.text("SELECT count(*) FROM satisfaction_survey WHERE withdrawn"))
    if withdrawn:
        raise RuntimeError(f"{withdrawn} survey versions withdraw a year's survey; the older schema cannot say so")
    with op.batch_alter_table("satisfaction_survey") as batch:
        batch.drop_column("withdrawn")
