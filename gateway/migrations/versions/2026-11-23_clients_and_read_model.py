"""oauth clients and the public read model; platform tables

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


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "oauth_client",
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("tenant_id", sa.String(100), nullable=True),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        _at("created_at"),
        sa.Column("created_by", sa.String(100), nullable=False),
        _at("secret_rotated_at", True),
        _at("disabled_at", True),
        sa.PrimaryKeyConstraint("client_id", name="pk_oauth_client"),
    )
    op.create_table(
        "rm_state",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        _at("reset_at"),
        sa.PrimaryKeyConstraint("id", name="pk_rm_state"),
    )
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
        "rm_project",
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("industry", sa.String(200), nullable=False),
        sa.Column("undertaking_org", sa.String(200), nullable=False),
        _at("accepted_at"),
        sa.PrimaryKeyConstraint("project_id", name="pk_rm_project"),
    )
    op.create_table(
        "rm_case",
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("case_type", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        _at("opened_at"),
        _at("closed_at", True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_rm_case"),
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


def downgrade() -> None:
    op.drop_index("ix_rm_fact_metric", table_name="rm_fact")
    for table in ("rm_fact", "rm_case", "rm_project", "rm_enterprise", "rm_loan", "rm_state", "oauth_client"):
        op.drop_table(table)
    drop_platform_tables()
