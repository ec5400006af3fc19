"""the indicator ledger (issue #12): `indicator_contribution`, where trusteeship records what each
enterprise contributes to trusteeship_smes, certified_organisations and
enterprises_with_valid_patents; the enterprise's size class is declared with the figures behind it
(`employees`, `yearly_revenue_fen`, optional); a GB/T 29490 certificate gets its expiry and
withdrawal dates. Existing certificates expire three years after their certification date (the
standard's validity), unless the district office records otherwise.

The ledger's rows for existing enterprises are written by the recount
(`POST /api/v1/trusteeship/statistics/indicators/recount`, run once after this upgrade), through
the same rules as every later change, not by this revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

from ipops.migrations import create_indicator_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _three_years_after(day: date) -> date:
    """The certificate's default expiry (29 February certified: 1 March three years on)."""
    try:
        return day.replace(year=day.year + 3)
    except ValueError:
        return day.replace(year=day.year + 3, day=28) + timedelta(days=1)


def upgrade() -> None:
    create_indicator_table()
    with op.batch_alter_table("enterprise") as batch:
        batch.add_column(sa.Column("employees", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("yearly_revenue_fen", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("gbt29490_expiry_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("gbt29490_withdrawn_date", sa.Date(), nullable=True))
    conn = op.get_bind()
    certified = conn.execute(
        sa.text("SELECT credit_code, gbt29490_certified_date FROM enterprise WHERE gbt29490_certified_date IS NOT NULL")
    ).all()
    for code, day in certified:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        conn.execute(
            sa.text("UPDATE enterprise SET gbt29490_expiry_date = :expiry WHERE credit_code = :code"),
            {"expiry": _three_years_after(day), "code": code},
        )


def downgrade() -> None:
    with op.batch_alter_table("enterprise") as batch:
        batch.drop_column("gbt29490_withdrawn_date")
        batch.drop_column("gbt29490_expiry_date")
        batch.drop_column("yearly_revenue_fen")
        batch.drop_column("employees")
    op.drop_index("ix_indicator_contribution_indicator_year", table_name="indicator_contribution")
    op.drop_table("indicator_contribution")
