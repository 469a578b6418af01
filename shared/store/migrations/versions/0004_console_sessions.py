"""The staff console: browser sessions, what an account change changed in the events log, and
room for the role `agency_supervisor` (17 characters) in staff.role, and each service's
waiting-time target for the reports' service level.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("detail", sa.String(200), nullable=True))
    with op.batch_alter_table("staff") as batch:
        batch.alter_column("role", type_=sa.String(32), existing_type=sa.String(16))
    with op.batch_alter_table("services") as batch:
        batch.add_column(
            sa.Column("wait_target_minutes", sa.Integer, nullable=False, server_default="30")
        )


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("wait_target_minutes")
    with op.batch_alter_table("staff") as batch:
        batch.alter_column("role", type_=sa.String(16), existing_type=sa.String(32))
    with op.batch_alter_table("events") as batch:
        batch.drop_column("detail")
    op.drop_index("ix_staff_sessions_staff_id", "staff_sessions")
    op.drop_table("staff_sessions")
