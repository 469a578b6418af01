"""What a visit parked and called back keeps for the reports (tickets.visit_called_at, the call
it began with; tickets.served_before_park, its service minutes before its parks).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in place, not in a batch (see 0016): nullable, or with a default
    op.add_column("tickets", sa.Column("visit_called_at", UTCDateTime(), nullable=True))
    op.add_column(
        "tickets",
        sa.Column("served_before_park", sa.Float(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("tickets", "served_before_park")
    op.drop_column("tickets", "visit_called_at")
