"""oauth clients: a token generation, raised by disabling a client or rotating its secret

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
    with op.batch_alter_table("oauth_client") as batch:
        batch.add_column(sa.Column("token_generation", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("tokens_revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_oauth_client_tokens_revoked_at", ["tokens_revoked_at"])


def downgrade() -> None:
    with op.batch_alter_table("oauth_client") as batch:
        batch.drop_index("ix_oauth_client_tokens_revoked_at")
        batch.drop_column("tokens_revoked_at")
        batch.drop_column("token_generation")
