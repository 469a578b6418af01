"""Appointments: a service's bookable slots (services.appointments), the bookings, and each
slot's count of bookings (taken in the booking's own transaction).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import BigId, UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("appointments", sa.JSON, nullable=True))
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
        sa.Column("service_id", sa.Integer, sa.ForeignKey("services.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("slot_at", UTCDateTime(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
    )
    op.create_index("ix_bookings_day", "bookings", ["day"])
    op.create_table(
        "slot_counts",
        sa.Column("service_id", sa.Integer, sa.ForeignKey("services.id"), primary_key=True),
        sa.Column("slot_at", UTCDateTime(), primary_key=True),
        sa.Column("booked", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("slot_counts")
    op.drop_index("ix_bookings_day", "bookings")
    op.drop_table("bookings")
    with op.batch_alter_table("services") as batch:
        batch.drop_column("appointments")
