"""operations: agencies (followed from trusteeship) and revenue reports, transactions and royalties,
alliances, patent pools, overseas marks and designations, the guidance fund, talent, milestones;
platform tables

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ipops.migrations import create_indicator_table, create_platform_tables, drop_platform_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables()
    create_indicator_table()
    op.create_table(
        "agency",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("business_lines", sa.JSON(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("profile_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agency"),
    )
    op.create_table(
        "alliance",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("industry", sa.String(32), nullable=False),
        sa.Column("founded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alliance"),
        sa.UniqueConstraint("name", name="uq_alliance_name"),
    )
    op.create_table(
        "commissioner",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("employer_credit_code", sa.String(18), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_commissioner"),
    )
    op.create_index("ix_commissioner_registered_on", "commissioner", ["registered_on"], unique=False)
    op.create_table(
        "fund",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("size_fen", sa.BigInteger(), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fund"),
        sa.UniqueConstraint("name", name="uq_fund_name"),
    )
    op.create_table(
        "milestone",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(300), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.String(1000), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_milestone"),
    )
    op.create_table(
        "overseas_mark",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("ir_number", sa.String(10), nullable=False),
        sa.Column("basic_mark_number", sa.String(10), nullable=False),
        sa.Column("mark", sa.String(200), nullable=False),
        sa.Column("owner_credit_code", sa.String(18), nullable=False),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("nice_classes", sa.JSON(), nullable=False),
        sa.Column("ir_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_overseas_mark"),
        sa.UniqueConstraint("ir_number", name="uq_overseas_mark_ir_number"),
    )
    op.create_table(
        "training_session",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(300), nullable=False),
        sa.Column("organiser", sa.String(200), nullable=False),
        sa.Column("attendance", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_training_session"),
    )
    op.create_index("ix_training_session_held_on", "training_session", ["held_on"], unique=False)
    op.create_table(
        "alliance_member",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("alliance_id", sa.String(32), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["alliance_id"], ["alliance.id"], name="fk_alliance_member_alliance_id_alliance"),
        sa.PrimaryKeyConstraint("id", name="pk_alliance_member"),
    )
    op.create_index("ix_alliance_member_alliance_id", "alliance_member", ["alliance_id"], unique=False)
    op.create_table(
        "designation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mark_id", sa.String(32), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("protected_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["mark_id"], ["overseas_mark.id"], name="fk_designation_mark_id_overseas_mark"),
        sa.PrimaryKeyConstraint("id", name="pk_designation"),
        sa.UniqueConstraint("mark_id", "country", name="uq_designation_country"),
    )
    op.create_index("ix_designation_mark_id", "designation", ["mark_id"], unique=False)
    op.create_table(
        "investment",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("fund_id", sa.String(32), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("project", sa.String(300), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("equity_pct", sa.Numeric(7, 4), nullable=False),
        sa.Column("invested_on", sa.Date(), nullable=False),
        sa.Column("pledge_loan_id", sa.String(64), nullable=True),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("exit_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"], name="fk_investment_fund_id_fund"),
        sa.PrimaryKeyConstraint("id", name="pk_investment"),
    )
    op.create_index("ix_investment_credit_code", "investment", ["credit_code"], unique=False)
    op.create_index("ix_investment_fund_id", "investment", ["fund_id"], unique=False)
    op.create_table(
        "pool",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("industry", sa.String(32), nullable=False),
        sa.Column("alliance_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alliance_id"], ["alliance.id"], name="fk_pool_alliance_id_alliance"),
        sa.PrimaryKeyConstraint("id", name="pk_pool"),
        sa.UniqueConstraint("name", name="uq_pool_name"),
    )
    op.create_table(
        "revenue_report",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("agency_id", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("revenue_fen", sa.BigInteger(), nullable=False),
        sa.Column("evidence", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name="fk_revenue_report_agency_id_agency"),
        sa.PrimaryKeyConstraint("id", name="pk_revenue_report"),
        sa.UniqueConstraint("agency_id", "year", "version", name="uq_revenue_report_version"),
    )
    op.create_index("ix_revenue_report_agency_id", "revenue_report", ["agency_id"], unique=False)
    op.create_table(
        "designation_state_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("designation_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["designation_id"], ["designation.id"], name="fk_designation_state_change_designation_id_designation"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_designation_state_change"),
    )
    op.create_index(
        "ix_designation_state_change_designation_id", "designation_state_change", ["designation_id"], unique=False
    )
    op.create_table(
        "ip_transaction",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("right_kind", sa.String(16), nullable=False),
        sa.Column("right_numbers", sa.JSON(), nullable=False),
        sa.Column("transferor_credit_code", sa.String(18), nullable=False),
        sa.Column("transferor_name", sa.String(200), nullable=False),
        sa.Column("transferee_credit_code", sa.String(18), nullable=False),
        sa.Column("transferee_name", sa.String(200), nullable=False),
        sa.Column("territory", sa.String(100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("payment_form", sa.String(24), nullable=False),
        sa.Column("contracted_on", sa.Date(), nullable=False),
        sa.Column("recordal_number", sa.String(64), nullable=True),
        sa.Column("recordal_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.String(64), nullable=True),
        sa.Column("navigation_project_id", sa.String(64), nullable=True),
        sa.Column("pool_id", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rescinded_on", sa.Date(), nullable=True),
        sa.Column("upload_id", sa.String(32), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pool.id"], name="fk_ip_transaction_pool_id_pool"),
        sa.PrimaryKeyConstraint("id", name="pk_ip_transaction"),
    )
    op.create_index("ix_ip_transaction_agency_id", "ip_transaction", ["agency_id"], unique=False)
    op.create_index("ix_ip_transaction_contracted_on", "ip_transaction", ["contracted_on"], unique=False)
    op.create_index("ix_ip_transaction_pool_id", "ip_transaction", ["pool_id"], unique=False)
    op.create_index(
        "ix_ip_transaction_transferee_credit_code", "ip_transaction", ["transferee_credit_code"], unique=False
    )
    op.create_index(
        "ix_ip_transaction_transferor_credit_code", "ip_transaction", ["transferor_credit_code"], unique=False
    )
    op.create_table(
        "pool_member",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("pool_id", sa.String(32), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["pool_id"], ["pool.id"], name="fk_pool_member_pool_id_pool"),
        sa.PrimaryKeyConstraint("id", name="pk_pool_member"),
    )
    op.create_index("ix_pool_member_pool_id", "pool_member", ["pool_id"], unique=False)
    op.create_table(
        "pool_patent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.String(32), nullable=False),
        sa.Column("patent_number", sa.String(20), nullable=False),
        sa.Column("owner_credit_code", sa.String(18), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pool.id"], name="fk_pool_patent_pool_id_pool"),
        sa.PrimaryKeyConstraint("id", name="pk_pool_patent"),
        sa.UniqueConstraint("pool_id", "patent_number", name="uq_pool_patent_number"),
    )
    op.create_index("ix_pool_patent_pool_id", "pool_patent", ["pool_id"], unique=False)
    op.create_table(
        "pool_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("royalty_basis", sa.String(300), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pool.id"], name="fk_pool_term_pool_id_pool"),
        sa.PrimaryKeyConstraint("id", name="pk_pool_term"),
        sa.UniqueConstraint("pool_id", "version", name="uq_pool_term_version"),
    )
    op.create_index("ix_pool_term_pool_id", "pool_term", ["pool_id"], unique=False)
    op.create_table(
        "revenue_report_state_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["revenue_report.id"], name="fk_revenue_report_state_change_report_id_revenue_report"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_revenue_report_state_change"),
    )
    op.create_index(
        "ix_revenue_report_state_change_report_id", "revenue_report_state_change", ["report_id"], unique=False
    )
    op.create_table(
        "royalty_report",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("transaction_id", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"], ["ip_transaction.id"], name="fk_royalty_report_transaction_id_ip_transaction"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_royalty_report"),
        sa.UniqueConstraint("transaction_id", "year", name="uq_royalty_report_year"),
    )
    op.create_index("ix_royalty_report_transaction_id", "royalty_report", ["transaction_id"], unique=False)
    op.create_table(
        "transaction_state_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"], ["ip_transaction.id"], name="fk_transaction_state_change_transaction_id_ip_transaction"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_transaction_state_change"),
    )
    op.create_index(
        "ix_transaction_state_change_transaction_id", "transaction_state_change", ["transaction_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("transaction_state_change")
    op.drop_table("royalty_report")
    op.drop_table("revenue_report_state_change")
    op.drop_table("pool_term")
    op.drop_table("pool_patent")
    op.drop_table("pool_member")
    op.drop_table("ip_transaction")
    op.drop_table("designation_state_change")
    op.drop_table("revenue_report")
    op.drop_table("pool")
    op.drop_table("investment")
    op.drop_table("designation")
    op.drop_table("alliance_member")
    op.drop_table("training_session")
    op.drop_table("overseas_mark")
    op.drop_table("milestone")
    op.drop_table("fund")
    op.drop_table("commissioner")
    op.drop_table("alliance")
    op.drop_table("agency")
    op.drop_table("indicator_contribution")
    drop_platform_tables()
