"""enterprises, enrolments, patents and trademarks, the fee docket, work logs, work queue, profile copies

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
        "enterprise",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("size", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("gbt29490_certified_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_enterprise")),
    )
    op.create_table(
        "enterprise_loan",
        sa.Column("loan_id", sa.String(length=64), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("mixed_pledge", sa.Boolean(), nullable=False),
        sa.Column("patent_numbers", sa.JSON(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("loan_id", name=op.f("pk_enterprise_loan")),
    )
    op.create_index(op.f("ix_enterprise_loan_credit_code"), "enterprise_loan", ["credit_code"], unique=False)
    op.create_table(
        "enterprise_project",
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("undertaking_org", sa.String(length=200), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_enterprise_project")),
    )
    op.create_index(op.f("ix_enterprise_project_credit_code"), "enterprise_project", ["credit_code"], unique=False)
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("start_reason", sa.String(length=500), nullable=False),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        sa.Column("transferred_to_enrolment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_enrolment_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["credit_code"], ["enterprise.credit_code"], name=op.f("fk_enrolment_credit_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
    )
    op.create_index(op.f("ix_enrolment_agency_id"), "enrolment", ["agency_id"], unique=False)
    op.create_index(op.f("ix_enrolment_credit_code"), "enrolment", ["credit_code"], unique=False)
    op.create_index(
        "ux_enrolment_active_enterprise",
        "enrolment",
        ["credit_code"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "first_patent",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("patent_number", sa.String(length=20), nullable=False),
        sa.Column("grant_date", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_code"], ["enterprise.credit_code"], name=op.f("fk_first_patent_credit_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_first_patent")),
    )
    op.create_table(
        "patent",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filing_date", sa.Date(), nullable=False),
        sa.Column("grant_date", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lapsed_date", sa.Date(), nullable=True),
        sa.Column("docket_from_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_code"], ["enterprise.credit_code"], name=op.f("fk_patent_credit_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_patent")),
    )
    op.create_index(op.f("ix_patent_credit_code"), "patent", ["credit_code"], unique=False)
    op.create_table(
        "trademark",
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("mark", sa.String(length=200), nullable=False),
        sa.Column("nice_class", sa.Integer(), nullable=True),
        sa.Column("registration_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_code"], ["enterprise.credit_code"], name=op.f("fk_trademark_credit_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_trademark")),
    )
    op.create_index(op.f("ix_trademark_credit_code"), "trademark", ["credit_code"], unique=False)
    op.create_table(
        "work_queue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_work_queue_item_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["credit_code"], ["enterprise.credit_code"], name=op.f("fk_work_queue_item_credit_code_enterprise")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_queue_item")),
        sa.UniqueConstraint(
            "agency_id", "source_kind", "reference", "credit_code", name="uq_work_queue_item_agency_id"
        ),
    )
    op.create_index(op.f("ix_work_queue_item_agency_id"), "work_queue_item", ["agency_id"], unique=False)
    op.create_table(
        "work_upload",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_work_upload_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_upload")),
    )
    op.create_index(op.f("ix_work_upload_agency_id"), "work_upload", ["agency_id"], unique=False)
    op.create_table(
        "fee_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patent_number", sa.String(length=20), nullable=False),
        sa.Column("patent_year", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("grace_end_date", sa.Date(), nullable=False),
        sa.Column("fee_fen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rules_version", sa.String(length=32), nullable=False),
        sa.Column("lapse_detected_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patent_number"], ["patent.number"], name=op.f("fk_fee_deadline_patent_number_patent")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_deadline")),
        sa.UniqueConstraint("patent_number", "patent_year", name="uq_fee_deadline_patent_number"),
    )
    op.create_index("ix_fee_deadline_status_due", "fee_deadline", ["status", "due_date"], unique=False)
    op.create_table(
        "work_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("service_type", sa.String(length=32), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("patent_numbers", sa.JSON(), nullable=False),
        sa.Column("trademark_numbers", sa.JSON(), nullable=False),
        sa.Column("document_refs", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("upload_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_work_log_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["credit_code"], ["enterprise.credit_code"], name=op.f("fk_work_log_credit_code_enterprise")
        ),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], name=op.f("fk_work_log_enrolment_id_enrolment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_log")),
    )
    op.create_index("ix_work_log_agency_date", "work_log", ["agency_id", "work_date"], unique=False)
    op.create_index(op.f("ix_work_log_credit_code"), "work_log", ["credit_code"], unique=False)
    op.create_index(op.f("ix_work_log_upload_id"), "work_log", ["upload_id"], unique=False)
    op.create_table(
        "fee_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("paid_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("surcharge_fen", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["fee_deadline.id"], name=op.f("fk_fee_payment_deadline_id_fee_deadline")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_payment")),
        sa.UniqueConstraint("deadline_id", name=op.f("uq_fee_payment_deadline_id")),
    )
    op.create_table(
        "fee_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(length=16), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["fee_deadline.id"], name=op.f("fk_fee_reminder_deadline_id_fee_deadline")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_reminder")),
        sa.UniqueConstraint("deadline_id", "milestone", "offset_days", name="uq_fee_reminder_deadline_id"),
    )


def downgrade() -> None:
    op.drop_table("fee_reminder")
    op.drop_table("fee_payment")
    op.drop_index(op.f("ix_work_log_upload_id"), table_name="work_log")
    op.drop_index(op.f("ix_work_log_credit_code"), table_name="work_log")
    op.drop_index("ix_work_log_agency_date", table_name="work_log")
    op.drop_table("work_log")
    op.drop_index("ix_fee_deadline_status_due", table_name="fee_deadline")
    op.drop_table("fee_deadline")
    op.drop_index(op.f("ix_work_upload_agency_id"), table_name="work_upload")
    op.drop_table("work_upload")
    op.drop_index(op.f("ix_work_queue_item_agency_id"), table_name="work_queue_item")
    op.drop_table("work_queue_item")
    op.drop_index(op.f("ix_trademark_credit_code"), table_name="trademark")
    op.drop_table("trademark")
    op.drop_index(op.f("ix_patent_credit_code"), table_name="patent")
    op.drop_table("patent")
    op.drop_table("first_patent")
    op.drop_index("ux_enrolment_active_enterprise", table_name="enrolment")
    op.drop_index(op.f("ix_enrolment_credit_code"), table_name="enrolment")
    op.drop_index(op.f("ix_enrolment_agency_id"), table_name="enrolment")
    op.drop_table("enrolment")
    op.drop_index(op.f("ix_enterprise_project_credit_code"), table_name="enterprise_project")
    op.drop_table("enterprise_project")
    op.drop_index(op.f("ix_enterprise_loan_credit_code"), table_name="enterprise_loan")
    op.drop_table("enterprise_loan")
    op.drop_table("enterprise")
