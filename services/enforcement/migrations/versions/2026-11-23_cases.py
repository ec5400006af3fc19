"""enforcement cases, parties, rights, timeline, deadlines, calendar, ratings; platform tables

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from ipops.migrations import create_platform_tables, drop_platform_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# China's official 2025 and 2026 public holidays and make-up working days (国办发明电 [2024] 12 and
# the notice of 2025-11-04), written out so this revision stays static; the same days are in
# enforcement/domain/holidays_cn.toml and a test checks that both agree.
HOLIDAYS = [
    ("2025-01-01", "2025-01-01", "元旦 New Year's Day"),
    ("2025-01-28", "2025-02-04", "春节 Spring Festival"),
    ("2025-04-04", "2025-04-06", "清明节 Qingming"),
    ("2025-05-01", "2025-05-05", "劳动节 Labour Day"),
    ("2025-05-31", "2025-06-02", "端午节 Dragon Boat Festival"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节 National Day and Mid-Autumn"),
    ("2026-01-01", "2026-01-03", "元旦 New Year's Day"),
    ("2026-02-15", "2026-02-23", "春节 Spring Festival"),
    ("2026-04-04", "2026-04-06", "清明节 Qingming"),
    ("2026-05-01", "2026-05-05", "劳动节 Labour Day"),
    ("2026-06-19", "2026-06-21", "端午节 Dragon Boat Festival"),
    ("2026-09-25", "2026-09-27", "中秋节 Mid-Autumn Festival"),
    ("2026-10-01", "2026-10-07", "国庆节 National Day"),
]
WORKDAYS = [
    ("2025-01-26", "春节调休上班 Spring Festival make-up day"),
    ("2025-02-08", "春节调休上班 Spring Festival make-up day"),
    ("2025-04-27", "劳动节调休上班 Labour Day make-up day"),
    ("2025-09-28", "国庆节调休上班 National Day make-up day"),
    ("2025-10-11", "国庆节调休上班 National Day make-up day"),
    ("2026-01-04", "元旦调休上班 New Year make-up day"),
    ("2026-02-14", "春节调休上班 Spring Festival make-up day"),
    ("2026-02-28", "春节调休上班 Spring Festival make-up day"),
    ("2026-05-09", "劳动节调休上班 Labour Day make-up day"),
    ("2026-09-20", "国庆节调休上班 National Day make-up day"),
    ("2026-10-10", "国庆节调休上班 National Day make-up day"),
]

# The case timeline is append-only: on PostgreSQL the database itself refuses to change history.
APPEND_ONLY_FUNCTION = """
CREATE FUNCTION case_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_event is append-only';
END;
$$
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event
FOR EACH ROW EXECUTE FUNCTION case_event_append_only()
"""


def _seed_calendar() -> None:
    table = sa.table(
        "calendar_day",
        sa.column("day", sa.Date()),
        sa.column("kind", sa.String()),
        sa.column("name", sa.String()),
        sa.column("updated_by", sa.String()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    seeded_at = datetime(2026, 11, 23, tzinfo=UTC)
    rows = []
    for first, last, name in HOLIDAYS:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            rows.append({"day": day, "kind": "holiday", "name": name})
            day += timedelta(days=1)
    rows += [{"day": date.fromisoformat(day), "kind": "workday", "name": name} for day, name in WORKDAYS]
    op.bulk_insert(table, [{**row, "updated_by": "seed", "updated_at": seeded_at} for row in rows])


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_calendar_day"),
    )
    op.create_table(
        "enforcement_case",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("case_type", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("complex", sa.Boolean(), nullable=False),
        sa.Column("requester_agency_id", sa.String(64), nullable=True),
        sa.Column("related_case_id", sa.String(32), nullable=True),
        sa.Column("resolution_reason", sa.String(64), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("under_review_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mediated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mediation_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column("acceptance_due_date", sa.Date(), nullable=False),
        sa.Column("handling_started_date", sa.Date(), nullable=True),
        sa.Column("handling_due_date", sa.Date(), nullable=True),
        sa.Column("handling_max_date", sa.Date(), nullable=True),
        sa.Column("acceptance_overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handling_overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_within_deadline", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["related_case_id"], ["enforcement_case.id"], name="fk_enforcement_case_related_case_id_enforcement_case"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_enforcement_case"),
    )
    op.create_index("ix_enforcement_case_case_type", "enforcement_case", ["case_type"])
    op.create_index("ix_enforcement_case_closed_at", "enforcement_case", ["closed_at"])
    op.create_index("ix_enforcement_case_received_at", "enforcement_case", ["received_at"])
    op.create_index("ix_enforcement_case_requester_agency_id", "enforcement_case", ["requester_agency_id"])
    op.create_index("ix_enforcement_case_status", "enforcement_case", ["status"])
    op.create_table(
        "case_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(1000), nullable=False),
        sa.Column("submitted_by_role", sa.String(16), nullable=True),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_document_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("id", name="pk_case_document"),
        sa.UniqueConstraint("case_id", "sha256", name="uq_case_document_case_id_sha256"),
    )
    op.create_index("ix_case_document_case_id", "case_document", ["case_id"])
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_event_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("id", name="pk_case_event"),
    )
    op.create_index("ix_case_event_case_id", "case_event", ["case_id"])
    op.create_table(
        "case_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("granted_by", sa.String(200), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement_case.id"], name="fk_case_extension_case_id_enforcement_case"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_extension"),
    )
    op.create_index("ix_case_extension_case_id", "case_extension", ["case_id"])
    op.create_table(
        "case_handler",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("handler_id", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_handler_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("id", name="pk_case_handler"),
        sa.UniqueConstraint("case_id", "handler_id", name="uq_case_handler_case_id_handler_id"),
    )
    op.create_index("ix_case_handler_case_id", "case_handler", ["case_id"])
    op.create_index("ix_case_handler_handler_id", "case_handler", ["handler_id"])
    op.create_table(
        "case_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_party_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("id", name="pk_case_party"),
    )
    op.create_index("ix_case_party_case_id", "case_party", ["case_id"])
    op.create_index("ix_case_party_credit_code", "case_party", ["credit_code"])
    op.create_table(
        "case_pause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("clock", sa.String(16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_pause_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("id", name="pk_case_pause"),
    )
    op.create_index("ix_case_pause_case_id", "case_pause", ["case_id"])
    op.create_table(
        "case_rating",
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(1000), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_rating_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_rating"),
    )
    op.create_index("ix_case_rating_rated_at", "case_rating", ["rated_at"])
    op.create_table(
        "case_right",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("patent_type", sa.String(32), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_case_right_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("id", name="pk_case_right"),
        sa.UniqueConstraint("case_id", "kind", "number", name="uq_case_right_case_id_kind_number"),
    )
    op.create_index("ix_case_right_case_id", "case_right", ["case_id"])
    op.create_index("ix_case_right_number", "case_right", ["number"])
    op.create_table(
        "case_state_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("move", sa.String(32), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement_case.id"], name="fk_case_state_change_case_id_enforcement_case"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_state_change"),
    )
    op.create_index("ix_case_state_change_case_id", "case_state_change", ["case_id"])
    op.create_table(
        "rating_token",
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["enforcement_case.id"], name="fk_rating_token_case_id_enforcement_case"),
        sa.PrimaryKeyConstraint("case_id", name="pk_rating_token"),
        sa.UniqueConstraint("token_sha256", name="uq_rating_token_token_sha256"),
    )
    _seed_calendar()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_FUNCTION)
        op.execute(APPEND_ONLY_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER case_event_append_only ON case_event")
        op.execute("DROP FUNCTION case_event_append_only()")
    op.drop_table("rating_token")
    op.drop_index("ix_case_state_change_case_id", table_name="case_state_change")
    op.drop_table("case_state_change")
    op.drop_index("ix_case_right_number", table_name="case_right")
    op.drop_index("ix_case_right_case_id", table_name="case_right")
    op.drop_table("case_right")
    op.drop_index("ix_case_rating_rated_at", table_name="case_rating")
    op.drop_table("case_rating")
    op.drop_index("ix_case_pause_case_id", table_name="case_pause")
    op.drop_table("case_pause")
    op.drop_index("ix_case_party_credit_code", table_name="case_party")
    op.drop_index("ix_case_party_case_id", table_name="case_party")
    op.drop_table("case_party")
    op.drop_index("ix_case_handler_handler_id", table_name="case_handler")
    op.drop_index("ix_case_handler_case_id", table_name="case_handler")
    op.drop_table("case_handler")
    op.drop_index("ix_case_extension_case_id", table_name="case_extension")
    op.drop_table("case_extension")
    op.drop_index("ix_case_event_case_id", table_name="case_event")
    op.drop_table("case_event")
    op.drop_index("ix_case_document_case_id", table_name="case_document")
    op.drop_table("case_document")
    op.drop_index("ix_enforcement_case_status", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_requester_agency_id", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_received_at", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_closed_at", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_case_type", table_name="enforcement_case")
    op.drop_table("enforcement_case")
    op.drop_table("calendar_day")
    drop_platform_tables()
