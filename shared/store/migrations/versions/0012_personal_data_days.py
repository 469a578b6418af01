"""How long the site keeps citizens' personal data (site.personal_data_days): a booking's name
and phone number, a closed complaint's contact.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.add_column(
            sa.Column("personal_data_days", sa.Integer, nullable=False, server_default="90")
        )


def downgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.drop_column("personal_data_days")
