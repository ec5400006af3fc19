"""agency registry: the agency's credit code; trusteeship contract fields optional

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Trusteeship owns the district's one registry of agencies: an agency registered for another
programme (operations) has no trusteeship purchase contract, so the contract's number and period
may be empty (its quota is then 0). Existing agencies keep their contracts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTRACT_COLUMNS = [
    ("contract_number", sa.String(64)),
    ("contract_start_date", sa.Date()),
    ("contract_end_date", sa.Date()),
]


def upgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("credit_code", sa.String(18), nullable=True))
        batch.create_unique_constraint("uq_agency_credit_code", ["credit_code"])
        for name, type_ in CONTRACT_COLUMNS:
            batch.alter_column(name, existing_type=type_, nullable=True)


def downgrade() -> None:
    # An agency without a contract cannot be held by the old schema: it leaves the registry.
    op.execute("DELETE FROM work_queue_item WHERE agency_id IN (SELECT id FROM agency WHERE contract_number IS NULL)")
    op.execute("DELETE FROM agency WHERE contract_number IS NULL")
    with op.batch_alter_table("agency") as batch:
        for name, type_ in CONTRACT_COLUMNS:
            batch.alter_column(name, existing_type=type_, nullable=False)
        batch.drop_constraint("uq_agency_credit_code", type_="unique")
        batch.drop_column("credit_code")
