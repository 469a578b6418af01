"""When each row of wrong tries last grew (login_failures.last_failed_at), so that the names
and addresses strangers typed are forgotten a day after their last wrong try.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_failures") as batch:
        batch.add_column(sa.Column("last_failed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("login_failures") as batch:
        batch.drop_column("last_failed_at")
