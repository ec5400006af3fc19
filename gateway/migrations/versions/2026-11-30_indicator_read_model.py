"""read model of the indicator system: the services' contributions, their sources, the milestones
of goals 七-九; the gateway's own derivations (loans, enterprises, facts) go

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ipops.migrations import create_indicator_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    create_indicator_table()
    op.create_table(
        "rm_indicator_source",
        sa.Column("owner", sa.String(32), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        _at("announced_at"),
        sa.PrimaryKeyConstraint("owner", name="pk_rm_indicator_source"),
    )
    op.create_table(
        "rm_milestone",
        sa.Column("milestone_id", sa.String(64), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(300), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.String(2000), nullable=False),
        _at("recorded_at"),
        sa.PrimaryKeyConstraint("milestone_id", name="pk_rm_milestone"),
    )
    with op.batch_alter_table("rm_case") as batch:
        batch.add_column(sa.Column("closed_within_deadline", sa.Boolean(), nullable=True))
    # The figures these rows made are now the services' contributions; the rows are rebuilt from
    # nothing (the new projection signature makes the gateway consume every topic again).
    op.drop_index("ix_rm_fact_metric", table_name="rm_fact")
    for table in ("rm_fact", "rm_enterprise", "rm_loan"):
        op.drop_table(table)


def downgrade() -> None:
    # The older tables come back empty; the older gateway sees another projection and rebuilds.
    op.create_table(
        "rm_loan",
        sa.Column("loan_id", sa.String(64), nullable=False),
        sa.Column("bank_id", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("mixed_pledge", sa.Boolean(), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        _at("approved_at", True),
        _at("disbursed_at", True),
        _at("defaulted_at", True),
        _at("closed_at", True),
        sa.PrimaryKeyConstraint("loan_id", name="pk_rm_loan"),
    )
    op.create_table(
        "rm_enterprise",
        sa.Column("credit_code", sa.String(18), nullable=False),
        _at("first_enrolled_at", True),
        _at("first_patent_at", True),
        sa.PrimaryKeyConstraint("credit_code", name="pk_rm_enterprise"),
    )
    op.create_table(
        "rm_fact",
        sa.Column("fact_id", sa.String(120), nullable=False),
        sa.Column("metric", sa.String(80), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        _at("occurred_at"),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("fact_id", name="pk_rm_fact"),
    )
    op.create_index("ix_rm_fact_metric", "rm_fact", ["metric"])
    with op.batch_alter_table("rm_case") as batch:
        batch.drop_column("closed_within_deadline")
    op.drop_table("rm_milestone")
    op.drop_table("rm_indicator_source")
    op.drop_index("ix_indicator_contribution_indicator_year", table_name="indicator_contribution")
    op.drop_table("indicator_contribution")
