"""A ticket sent to a colleague's counter waits for that counter only (tickets.for_counter_id).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("for_counter_id", sa.Integer(), nullable=True))  # see 0016


def downgrade() -> None:
    op.drop_column("tickets", "for_counter_id")
