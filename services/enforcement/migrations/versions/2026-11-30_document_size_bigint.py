"""a document's size is a 64-bit integer: the contract allows evidence up to 10 GiB, and a 32-bit
column refused every size from 2 GiB (PostgreSQL: value out of range, found by fuzzing)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_document") as batch:
        batch.alter_column("size_bytes", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    large = op.get_bind().scalar(sa.text("SELECT count(*) FROM case_document WHERE size_bytes > 2147483647"))
    if large:
        raise RuntimeError(f"{large} documents are 2 GiB or larger; the older schema cannot hold their size")
    with op.batch_alter_table("case_document") as batch:
        batch.alter_column("size_bytes", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
