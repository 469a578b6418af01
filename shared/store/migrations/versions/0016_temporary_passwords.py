"""Whether an account's password was set by someone else (staff.password_temporary): such a
password serves only to choose one's own, at the counter app's or the console's login.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # not in a batch, which SQLite would run as a copy of the table (for NOT NULL), refused
    # where other tables refer to its rows; with a default, ALTER TABLE adds it in place
    op.add_column(
        "staff",
        sa.Column("password_temporary", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("staff", "password_temporary")  # in place (see 0015)
