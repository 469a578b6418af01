"""Bookings held against a day's quota: daily_counts.booked (taken in the booking's own
transaction, like `issued`), and both counts starting at 0 when the other one creates the row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daily_counts") as batch:
        batch.alter_column("issued", existing_type=sa.Integer, server_default="0")
        batch.add_column(sa.Column("booked", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("daily_counts") as batch:
        batch.drop_column("booked")
        batch.alter_column("issued", existing_type=sa.Integer, server_default=None)
