"""data sets with their landscapes, district enterprises, high-value portfolios

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
    op.create_table(
        "dataset",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("filename", sa.String(300), nullable=True),
        sa.Column("stored_name", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("application_count", sa.Integer(), nullable=False),
        sa.Column("landscape", sa.JSON(), nullable=False),
        sa.Column("analysis_ms", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dataset"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name="fk_dataset_project_id_project"),
    )
    op.create_index("ix_dataset_project_id", "dataset", ["project_id"])
    op.create_table(
        "district_enterprise",
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", name="pk_district_enterprise"),
    )
    op.create_table(
        "portfolio",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("project_id", sa.String(36), nullable=True),
        sa.Column("owner_org_id", sa.String(64), nullable=True),
        sa.Column("patent_count", sa.Integer(), nullable=False),
        sa.Column("invention_count", sa.Integer(), nullable=False),
        sa.Column("pct_count", sa.Integer(), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("first_qualified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_portfolio"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name="fk_portfolio_project_id_project"),
    )
    op.create_index("ix_portfolio_credit_code", "portfolio", ["credit_code"])
    op.create_index("ix_portfolio_owner_org_id", "portfolio", ["owner_org_id"])
    op.create_table(
        "portfolio_patent",
        sa.Column("portfolio_id", sa.String(36), nullable=False),
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("patent_type", sa.String(24), nullable=False),
        sa.Column("pct", sa.Boolean(), nullable=False),
        sa.Column("pct_application_number", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("portfolio_id", "application_number", name="pk_portfolio_patent"),
        sa.ForeignKeyConstraint(["portfolio_id"], ["portfolio.id"], name="fk_portfolio_patent_portfolio_id_portfolio"),
    )


def downgrade() -> None:
    op.drop_table("portfolio_patent")
    op.drop_index("ix_portfolio_owner_org_id", table_name="portfolio")
    op.drop_index("ix_portfolio_credit_code", table_name="portfolio")
    op.drop_table("portfolio")
    op.drop_table("district_enterprise")
    op.drop_index("ix_dataset_project_id", table_name="dataset")
    op.drop_table("dataset")
