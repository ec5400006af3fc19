"""portfolio patents record their legal status; portfolios record what did not count (inventions not
in force, patents counted toward an earlier-qualified portfolio)

Existing patents have no recorded status, so by the rule they are not granted-in-force inventions:
every portfolio's invention count becomes 0 and no portfolio stays qualified until its list is
sent again with statuses (`first_qualified_at` is kept: it was announced). The downgrade restores
the old counts (inventions of any status, every PCT application of the portfolio).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("inventions_listed", "inventions_not_in_force", "inventions_counted_elsewhere", "pct_counted_elsewhere")
INVENTIONS = """(SELECT count(*) FROM portfolio_patent p WHERE p.portfolio_id = portfolio.id
    AND p.patent_type IN ('invention', 'pct_invention'))"""
PCT = """(SELECT count(*) FROM portfolio_patent p WHERE p.portfolio_id = portfolio.id
    AND (p.pct OR p.patent_type IN ('pct_invention', 'pct_utility_model')))"""


def upgrade() -> None:
    op.add_column("portfolio_patent", sa.Column("legal_status", sa.String(16), nullable=True))
    for name in COUNTS:
        op.add_column("portfolio", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("portfolio", sa.Column("counted_elsewhere_in", sa.JSON(), nullable=False, server_default="[]"))
    op.execute(
        f"UPDATE portfolio SET inventions_listed = {INVENTIONS}, inventions_not_in_force = {INVENTIONS}, "
        "invention_count = 0, qualified = false"
    )


def downgrade() -> None:
    op.execute(f"UPDATE portfolio SET invention_count = {INVENTIONS}, pct_count = {PCT}")
    op.execute("UPDATE portfolio SET qualified = (invention_count >= 50 AND pct_count >= 10)")
    with op.batch_alter_table("portfolio") as batch:
        for name in (*COUNTS, "counted_elsewhere_in"):
            batch.drop_column(name)
    with op.batch_alter_table("portfolio_patent") as batch:
        batch.drop_column("legal_status")
