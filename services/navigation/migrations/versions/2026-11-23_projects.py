"""projects, their moves, deliverables and milestones; platform tables

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


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "project",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("gbt_part", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("industry", sa.String(32), nullable=False),
        sa.Column("undertaking_org_id", sa.String(64), nullable=False),
        sa.Column("undertaking_org_name", sa.String(200), nullable=False),
        sa.Column("beneficiary_credit_code", sa.String(18), nullable=True),
        sa.Column("beneficiary_name", sa.String(200), nullable=True),
        sa.Column("budget_fen", sa.BigInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("planned_end_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("phase", sa.String(16), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("under_review_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_project"),
        sa.CheckConstraint("budget_fen >= 0", name="ck_project_budget_not_negative"),
    )
    op.create_index("ix_project_kind", "project", ["kind"])
    op.create_index("ix_project_status", "project", ["status"])
    op.create_index("ix_project_undertaking_org_id", "project", ["undertaking_org_id"])
    op.create_index("ix_project_beneficiary_credit_code", "project", ["beneficiary_credit_code"])
    op.create_table(
        "project_state_change",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("move", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("from_phase", sa.String(16), nullable=True),
        sa.Column("to_phase", sa.String(16), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_project_state_change"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name="fk_project_state_change_project_id_project"),
    )
    op.create_index("ix_project_state_change_project_id", "project_state_change", ["project_id"])
    op.create_table(
        "project_deliverable",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("document_ref", sa.String(500), nullable=True),
        sa.Column("cut_off_date", sa.Date(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("dataset_id", sa.String(36), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_project_deliverable"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name="fk_project_deliverable_project_id_project"),
        sa.UniqueConstraint("project_id", "kind", name="uq_project_deliverable_project_id_kind"),
    )
    op.create_index("ix_project_deliverable_project_id", "project_deliverable", ["project_id"])
    op.create_table(
        "project_milestone",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_project_milestone"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name="fk_project_milestone_project_id_project"),
    )
    op.create_index("ix_project_milestone_project_id", "project_milestone", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_project_milestone_project_id", table_name="project_milestone")
    op.drop_table("project_milestone")
    op.drop_index("ix_project_deliverable_project_id", table_name="project_deliverable")
    op.drop_table("project_deliverable")
    op.drop_index("ix_project_state_change_project_id", table_name="project_state_change")
    op.drop_table("project_state_change")
    for name in ("beneficiary_credit_code", "undertaking_org_id", "status", "kind"):
        op.drop_index(f"ix_project_{name}", table_name="project")
    op.drop_table("project")
    drop_platform_tables()
