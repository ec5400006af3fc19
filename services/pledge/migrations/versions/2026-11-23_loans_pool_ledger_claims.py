"""enterprises, rights and appraisals, loans with history and collateral, pledge registrations,
pool agreements, ledger, claims, recoveries, insurance policies; bank suspension columns

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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_enterprise")),
    )
    op.create_table(
        "pool",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool")),
    )
    op.create_table(
        "insurance_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_number", sa.String(length=64), nullable=False),
        sa.Column("insurer", sa.String(length=200), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("enterprise_credit_code", sa.String(length=18), nullable=False),
        sa.Column("insured_rights", sa.JSON(), nullable=False),
        sa.Column("sum_insured_fen", sa.BigInteger(), nullable=False),
        sa.Column("premium_fen", sa.BigInteger(), nullable=False),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_credit_code"],
            ["enterprise.credit_code"],
            name=op.f("fk_insurance_policy_enterprise_credit_code_enterprise"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_policy")),
        sa.UniqueConstraint("insurer", "policy_number", name=op.f("uq_insurance_policy_insurer_policy_number")),
    )
    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("journal_id", sa.String(length=36), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("debit_fen", sa.BigInteger(), nullable=False),
        sa.Column("credit_fen", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["pool.id"], name=op.f("fk_ledger_entry_pool_id_pool")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
    )
    op.create_index(op.f("ix_ledger_entry_journal_id"), "ledger_entry", ["journal_id"], unique=False)
    op.create_index(op.f("ix_ledger_entry_pool_id"), "ledger_entry", ["pool_id"], unique=False)
    op.create_table(
        "pledged_right",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("patent_type", sa.String(length=32), nullable=True),
        sa.Column("trademark_class", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner_credit_code", sa.String(length=18), nullable=False),
        sa.Column("filing_date", sa.Date(), nullable=True),
        sa.Column("grant_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_credit_code"],
            ["enterprise.credit_code"],
            name=op.f("fk_pledged_right_owner_credit_code_enterprise"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledged_right")),
        sa.UniqueConstraint("kind", "number", name=op.f("uq_pledged_right_kind_number")),
    )
    op.create_index(op.f("ix_pledged_right_number"), "pledged_right", ["number"], unique=False)
    op.create_table(
        "pool_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name=op.f("fk_pool_agreement_bank_id_bank")),
        sa.ForeignKeyConstraint(["pool_id"], ["pool.id"], name=op.f("fk_pool_agreement_pool_id_pool")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_agreement")),
        sa.UniqueConstraint("bank_id", "version", name=op.f("uq_pool_agreement_bank_id_version")),
    )
    op.create_index(op.f("ix_pool_agreement_bank_id"), "pool_agreement", ["bank_id"], unique=False)
    op.create_table(
        "appraisal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("right_id", sa.Integer(), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.Column("valuer", sa.String(length=200), nullable=False),
        sa.Column("appraised_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["right_id"], ["pledged_right.id"], name=op.f("fk_appraisal_right_id_pledged_right")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal")),
    )
    op.create_index(op.f("ix_appraisal_right_id"), "appraisal", ["right_id"], unique=False)
    op.create_table(
        "loan",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_credit_code", sa.String(length=18), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("outstanding_fen", sa.BigInteger(), nullable=False),
        sa.Column("ip_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("other_collateral_fen", sa.BigInteger(), nullable=False),
        sa.Column("ip_share_bp", sa.Integer(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("guarantor", sa.String(length=200), nullable=True),
        sa.Column("insurer", sa.String(length=200), nullable=True),
        sa.Column("valuer", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("coverage_note", sa.String(length=500), nullable=True),
        sa.Column("overdue_since_date", sa.Date(), nullable=True),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("dpd_bucket", sa.String(length=32), nullable=False),
        sa.Column("default_principal_fen", sa.BigInteger(), nullable=True),
        sa.Column("collateral_at_risk_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disbursed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("defaulted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("compensated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["pool_agreement.id"], name=op.f("fk_loan_agreement_id_pool_agreement")
        ),
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name=op.f("fk_loan_bank_id_bank")),
        sa.ForeignKeyConstraint(
            ["enterprise_credit_code"],
            ["enterprise.credit_code"],
            name=op.f("fk_loan_enterprise_credit_code_enterprise"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan")),
    )
    op.create_index(op.f("ix_loan_bank_id"), "loan", ["bank_id"], unique=False)
    op.create_index(op.f("ix_loan_enterprise_credit_code"), "loan", ["enterprise_credit_code"], unique=False)
    op.create_index(op.f("ix_loan_status"), "loan", ["status"], unique=False)
    op.create_table(
        "claim",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("bank_id", sa.String(length=64), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("loss_fen", sa.BigInteger(), nullable=False),
        sa.Column("pool_fen", sa.BigInteger(), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("capped_by", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["pool_agreement.id"], name=op.f("fk_claim_agreement_id_pool_agreement")
        ),
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name=op.f("fk_claim_bank_id_bank")),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_claim_loan_id_loan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    op.create_index(op.f("ix_claim_bank_id"), "claim", ["bank_id"], unique=False)
    op.create_index(op.f("ix_claim_loan_id"), "claim", ["loan_id"], unique=False)
    op.create_table(
        "loan_collateral",
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("right_id", sa.Integer(), nullable=False),
        sa.Column("appraised_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_loan_collateral_loan_id_loan")),
        sa.ForeignKeyConstraint(
            ["right_id"], ["pledged_right.id"], name=op.f("fk_loan_collateral_right_id_pledged_right")
        ),
        sa.PrimaryKeyConstraint("loan_id", "right_id", name=op.f("pk_loan_collateral")),
    )
    op.create_index(
        "uq_loan_collateral_live_right",
        "loan_collateral",
        ["right_id"],
        unique=True,
        postgresql_where=sa.text("released_at IS NULL"),
        sqlite_where=sa.text("released_at IS NULL"),
    )
    op.create_table(
        "loan_dpd_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("as_of_date", sa.Date(), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_loan_dpd_record_loan_id_loan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_dpd_record")),
    )
    op.create_index(op.f("ix_loan_dpd_record_loan_id"), "loan_dpd_record", ["loan_id"], unique=False)
    op.create_table(
        "loan_state_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("move", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_loan_state_change_loan_id_loan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_state_change")),
    )
    op.create_index(op.f("ix_loan_state_change_loan_id"), "loan_state_change", ["loan_id"], unique=False)
    op.create_table(
        "pledge_registration",
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("registration_number", sa.String(length=64), nullable=True),
        sa.Column("registered_date", sa.Date(), nullable=True),
        sa.Column("refused_reason", sa.String(length=500), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_pledge_registration_loan_id_loan")),
        sa.PrimaryKeyConstraint("loan_id", name=op.f("pk_pledge_registration")),
    )
    op.create_table(
        "repayment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_date", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_repayment_loan_id_loan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repayment")),
    )
    op.create_index(op.f("ix_repayment_loan_id"), "repayment", ["loan_id"], unique=False)
    op.create_table(
        "recovery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_recovery_claim_id_claim")),
        sa.ForeignKeyConstraint(["loan_id"], ["loan.id"], name=op.f("fk_recovery_loan_id_loan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery")),
    )
    op.create_index(op.f("ix_recovery_loan_id"), "recovery", ["loan_id"], unique=False)
    op.add_column("bank", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("bank", sa.Column("suspension_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    # SQLite drops columns by copying the table: batch mode does that there and is a no-op on PG.
    with op.batch_alter_table("bank") as batch:
        batch.drop_column("suspension_reason")
        batch.drop_column("suspended_at")
    op.drop_index(op.f("ix_recovery_loan_id"), table_name="recovery")
    op.drop_table("recovery")
    op.drop_index(op.f("ix_repayment_loan_id"), table_name="repayment")
    op.drop_table("repayment")
    op.drop_table("pledge_registration")
    op.drop_index(op.f("ix_loan_state_change_loan_id"), table_name="loan_state_change")
    op.drop_table("loan_state_change")
    op.drop_index(op.f("ix_loan_dpd_record_loan_id"), table_name="loan_dpd_record")
    op.drop_table("loan_dpd_record")
    op.drop_index(
        "uq_loan_collateral_live_right",
        table_name="loan_collateral",
        postgresql_where=sa.text("released_at IS NULL"),
        sqlite_where=sa.text("released_at IS NULL"),
    )
    op.drop_table("loan_collateral")
    op.drop_index(op.f("ix_claim_loan_id"), table_name="claim")
    op.drop_index(op.f("ix_claim_bank_id"), table_name="claim")
    op.drop_table("claim")
    op.drop_index(op.f("ix_loan_status"), table_name="loan")
    op.drop_index(op.f("ix_loan_enterprise_credit_code"), table_name="loan")
    op.drop_index(op.f("ix_loan_bank_id"), table_name="loan")
    op.drop_table("loan")
    op.drop_index(op.f("ix_appraisal_right_id"), table_name="appraisal")
    op.drop_table("appraisal")
    op.drop_index(op.f("ix_pool_agreement_bank_id"), table_name="pool_agreement")
    op.drop_table("pool_agreement")
    op.drop_index(op.f("ix_pledged_right_number"), table_name="pledged_right")
    op.drop_table("pledged_right")
    op.drop_index(op.f("ix_ledger_entry_pool_id"), table_name="ledger_entry")
    op.drop_index(op.f("ix_ledger_entry_journal_id"), table_name="ledger_entry")
    op.drop_table("ledger_entry")
    op.drop_table("insurance_policy")
    op.drop_table("pool")
    op.drop_table("enterprise")
