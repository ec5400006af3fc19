"""guidance-fund investments linked to a loan (issue #13, 投贷联动): `loan_investment` keeps what
operations announces of an investment linked to a pledge loan of the same enterprise
(`ipops.operations.investment.made.v1`, `.exited.v1`), so the loan's read shows it. Nothing exists
to backfill: the rows arrive as events (operations' outbox and the topic keep them).

The downgrade drops the table; replaying the topic from the start rebuilds it after an upgrade.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loan_investment",
        sa.Column("investment_id", sa.String(64), nullable=False),
        sa.Column("loan_id", sa.String(36), nullable=False),
        sa.Column("fund_id", sa.String(64), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("invested_on", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("exit_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("exited_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_loan_investment_loan_id_loan")),
        sa.PrimaryKeyConstraint("investment_id", name="pk_loan_investment"),
    )
    op.create_index("ix_loan_investment_loan_id", "loan_investment", ["loan_id"])


def downgrade() -> None:
    op.drop_index("ix_loan_investment_loan_id", table_name="loan_investment")
    op.drop_table("loan_investment")
