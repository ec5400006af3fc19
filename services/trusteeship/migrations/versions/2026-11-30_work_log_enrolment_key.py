"""work_log: one composite foreign key to its enrolment instead of three (issue #17)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

A work log named its agency, its enterprise and its enrolment through three foreign keys
(`agency_id -> agency.id`, `credit_code -> enterprise.credit_code`, `enrolment_id ->
enrolment.id`). PostgreSQL checks a foreign key row by row, one query with a `FOR KEY SHARE` lock
each, so a 10,000-row bulk upload made 30,000 checks at the end of its COPY, most of the
upload's time (benchmarks/profile.md, "Bulk work logs"). Now one key,
`(enrolment_id, agency_id, credit_code) -> enrolment (id, agency_id, credit_code)`, is checked
once per row, and it keeps every guarantee the three gave, because all three columns are NOT NULL
(so the key is always checked, never skipped as MATCH SIMPLE skips a key with a null in it):
- the enrolment exists: a row of `enrolment` has that id;
- the work log's agency and enterprise are that enrolment's: the same row has that agency_id
  and that credit_code (a guarantee the three separate keys did not give);
- the agency and the enterprise exist: `enrolment.agency_id` and `enrolment.credit_code` are
  themselves foreign keys to `agency` and `enterprise`, and the row matched holds these values;
- none of them can be deleted, nor the enrolment's agency or enterprise changed, under a work
  log: the key (NO ACTION) refuses it on `enrolment`, and enrolment's own keys on agency and
  enterprise.
A foreign key must name a unique key of the table it refers to, hence `uq_enrolment_id_agency_id_
credit_code` on `enrolment (id, agency_id, credit_code)`; it is implied by the primary key
(never refuses a row) and costs one small index on a table of some thousand rows. Existing work
logs satisfy the new key: both ways of writing one (`POST /work-logs`, the bulk upload) take its
agency and enterprise from the active enrolment it is logged under.

SQLite alters tables by copying them (batch mode); the copy would lose the WHERE clause of the
one-active-enrolment index, so that index is dropped around it and made again, as in 0006.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENROLMENT_KEY = "uq_enrolment_id_agency_id_credit_code"
# The composite key keeps the name the enrolment key had (the naming convention names a foreign
# key after its first column), so revision 0006's downgrade still finds it by that name.
WORK_LOG_KEY = "fk_work_log_enrolment_id_enrolment"
SINGLE_KEYS = [
    ("fk_work_log_agency_id_agency", "agency", ["agency_id"], ["id"]),
    ("fk_work_log_credit_code_enterprise", "enterprise", ["credit_code"], ["credit_code"]),
    (WORK_LOG_KEY, "enrolment", ["enrolment_id"], ["id"]),
]


def upgrade() -> None:
    op.drop_index("ux_enrolment_active_enterprise", table_name="enrolment")
    with op.batch_alter_table("enrolment") as batch:
        batch.create_unique_constraint(ENROLMENT_KEY, ["id", "agency_id", "credit_code"])
    _active_index()
    with op.batch_alter_table("work_log") as batch:
        for name, _table, _columns, _referred in SINGLE_KEYS:
            batch.drop_constraint(name, type_="foreignkey")
        batch.create_foreign_key(
            WORK_LOG_KEY, "enrolment", ["enrolment_id", "agency_id", "credit_code"], ["id", "agency_id", "credit_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("work_log") as batch:
        batch.drop_constraint(WORK_LOG_KEY, type_="foreignkey")
        for name, table, columns, referred in SINGLE_KEYS:
            batch.create_foreign_key(name, table, columns, referred)
    op.drop_index("ux_enrolment_active_enterprise", table_name="enrolment")
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_constraint(ENROLMENT_KEY, type_="unique")
    _active_index()


def _active_index() -> None:
    """At most one active enrolment per enterprise (made again after SQLite's batch copy, which
    would not keep its WHERE clause). The same definition as in revision 0006, copied rather than
    imported: a revision is a frozen record of what it did, so it shares no code that could change
    after it landed."""
    op.create_index(
        "ux_enrolment_active_enterprise",
        "enrolment",
        ["credit_code"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )
