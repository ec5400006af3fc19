"""the operator's applicant alias table: groups keyed by the canonical's name key, one row per
variant key (a spelling belongs to one group)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applicant_alias",
        sa.Column("canonical_key", sa.String(400), nullable=False),
        sa.Column("canonical", sa.String(200), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("canonical_key", name="pk_applicant_alias"),
    )
    op.create_table(
        "applicant_alias_variant",
        sa.Column("variant_key", sa.String(400), nullable=False),
        sa.Column("canonical_key", sa.String(400), nullable=False),
        sa.PrimaryKeyConstraint("variant_key", name="pk_applicant_alias_variant"),
        sa.ForeignKeyConstraint(
            ["canonical_key"],
            ["applicant_alias.canonical_key"],
            name="fk_applicant_alias_variant_canonical_key_applicant_alias",
        ),
    )
    op.create_index("ix_applicant_alias_variant_canonical_key", "applicant_alias_variant", ["canonical_key"])


def downgrade() -> None:
    op.drop_index("ix_applicant_alias_variant_canonical_key", table_name="applicant_alias_variant")
    op.drop_table("applicant_alias_variant")
    op.drop_table("applicant_alias")
