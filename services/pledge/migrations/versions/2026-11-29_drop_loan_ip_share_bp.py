"""a loan's IP share is no longer stored in basis points: the covered part is computed from the
collateral amounts (ip_value_fen, other_collateral_fen), exactly; the truncated figure invited
arithmetic on it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.drop_column("ip_share_bp")


def downgrade() -> None:
    with op.batch_alter_table("loan") as batch:
        batch.add_column(sa.Column("ip_share_bp", sa.Integer(), nullable=True))
    # the floored basis points the column held, from the amounts (0 without collateral)
    op.execute(
        "UPDATE loan SET ip_share_bp = CASE WHEN ip_value_fen + other_collateral_fen > 0 "
        "THEN (ip_value_fen * 10000) / (ip_value_fen + other_collateral_fen) ELSE 0 END"
    )
    with op.batch_alter_table("loan") as batch:
        batch.alter_column("ip_share_bp", existing_type=sa.Integer(), nullable=False)
