"""Which national days off the site observes (site.national_holidays): none, the national
holidays, or all with cuti bersama.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.add_column(
            sa.Column("national_holidays", sa.String(6), nullable=False, server_default="none")
        )


def downgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.drop_column("national_holidays")
