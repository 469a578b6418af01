"""Ticket pages: a random token per ticket, and the site's public address.

The site's `tracking_url` (a URL pattern with `{number}`) becomes `public_url`, the base
address of the web server; a pattern's base (the part before its first `{`) is kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _base(pattern: str | None) -> str | None:
    if not pattern:
        return None
    base = pattern.split("{", 1)[0].rstrip("/")
    for suffix in ("/t", "/ticket"):
        base = base.removesuffix(suffix)
    return base or None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("token", sa.String(32), nullable=True))
    op.create_index("ix_tickets_token", "tickets", ["token"])
    with op.batch_alter_table("site") as batch:
        batch.add_column(sa.Column("public_url", sa.String(300), nullable=True))
    conn = op.get_bind()
    site = sa.table("site", sa.column("id"), sa.column("tracking_url"), sa.column("public_url"))
    for row in conn.execute(sa.select(site.c.id, site.c.tracking_url)).all():
        conn.execute(
            site.update().where(site.c.id == row.id).values(public_url=_base(row.tracking_url))
        )
    with op.batch_alter_table("site") as batch:
        batch.drop_column("tracking_url")


def downgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.add_column(sa.Column("tracking_url", sa.String(300), nullable=True))
        batch.drop_column("public_url")
    op.drop_index("ix_tickets_token", "tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("token")
