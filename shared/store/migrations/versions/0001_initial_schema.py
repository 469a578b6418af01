"""Initial schema: site, agencies, services, counters, staff, tickets, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    site = op.create_table(
        "site",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("ticker", sa.JSON(), nullable=False),
        sa.Column("unstarted_on_next", sa.String(16), nullable=False),
        sa.Column("tracking_url", sa.String(300), nullable=True),
        sa.Column("current_day", sa.Date(), nullable=True),
        sa.Column("config_version", sa.Integer(), nullable=False),
    )
    op.bulk_insert(
        site,
        [
            {
                "id": 1,
                "name": "Mal Pelayanan Publik",
                "timezone": "Asia/Jakarta",
                "holidays": [],
                "ticker": [],
                "unstarted_on_next": "done",
                "config_version": 0,
            }
        ],
    )
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name_id", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=False),
        sa.Column("prefix", sa.String(3), nullable=False),
        sa.Column("name_id", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("standard", sa.JSON(), nullable=False),
        sa.Column("completion_minutes", sa.Integer(), nullable=False),
        sa.Column("fee_rupiah", sa.Integer(), nullable=False),
        sa.Column("daily_quota", sa.Integer(), nullable=True),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("priority_allowed", sa.Boolean(), nullable=False),
        sa.Column("service_minutes", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "counters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=True),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("selection", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("current_ticket_id", BigId, nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "counter_services",
        sa.Column("counter_id", sa.Integer(), sa.ForeignKey("counters.id"), primary_key=True),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_counter_services_service", "counter_services", ["service_id"])
    op.create_table(
        "number_sequences",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("prefix", sa.String(3), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    op.create_table(
        "daily_counts",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), primary_key=True),
        sa.Column("issued", sa.Integer(), nullable=False),
    )
    op.create_table(
        "tickets",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), nullable=False),
        sa.Column("prefix", sa.String(3), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(12), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("original_issued_at", UTCDateTime(), nullable=False),
        sa.Column("called_at", UTCDateTime(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("counter_id", sa.Integer(), sa.ForeignKey("counters.id"), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("call_count", sa.Integer(), nullable=False),
        sa.Column("transferred_from_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
    )
    op.create_index(
        "uq_tickets_issued_number",
        "tickets",
        ["day", "prefix", "seq"],
        unique=True,
        sqlite_where=sa.text("transferred_from_id IS NULL"),
        postgresql_where=sa.text("transferred_from_id IS NULL"),
    )
    op.create_index(
        "ix_tickets_waiting",
        "tickets",
        ["day", "service_id", "priority", "original_issued_at"],
        sqlite_where=sa.text("state = 'waiting'"),
        postgresql_where=sa.text("state = 'waiting'"),
    )
    op.create_index("ix_tickets_day_number", "tickets", ["day", "number"])
    op.create_index("ix_tickets_day_counter", "tickets", ["day", "counter_id"])
    op.create_index(
        "ix_tickets_done",
        "tickets",
        ["day", "service_id", "finished_at"],
        sqlite_where=sa.text("state = 'done'"),
        postgresql_where=sa.text("state = 'done'"),
    )
    op.create_table(
        "events",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.Column("number", sa.String(12), nullable=True),
        sa.Column("service_code", sa.String(32), nullable=True),
        sa.Column("counter_code", sa.String(32), nullable=True),
        sa.Column("staff", sa.String(64), nullable=True),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=True),
        sa.Column("related_ticket_id", BigId, nullable=True),
    )
    op.create_index("ix_events_day_kind", "events", ["day", "kind"])
    op.create_index("ix_events_ticket", "events", ["ticket_id"])


def downgrade() -> None:
    for table in (
        "events",
        "tickets",
        "daily_counts",
        "number_sequences",
        "counter_services",
        "counters",
        "staff",
        "services",
        "agencies",
        "site",
    ):
        op.drop_table(table)
