"""The site's break window and length (site.breaks), which the wait forecast expects counters
to take.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.add_column(sa.Column("breaks", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.drop_column("breaks")
