"""When each account last logged in, and at which counter (staff.last_login_at,
staff.last_login_counter): the accounts page shows them, so that accounts nobody uses stand out.
Filled from the events log's last `staff_login` of each account (one pass over the log).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("last_login_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("last_login_counter", sa.String(32), nullable=True))
    events = sa.table(
        "events",
        sa.column("id"),
        sa.column("at", UTCDateTime()),
        sa.column("kind"),
        sa.column("staff"),
        sa.column("counter_code"),
    )
    staff = sa.table(
        "staff",
        sa.column("username"),
        sa.column("last_login_at", UTCDateTime()),
        sa.column("last_login_counter"),
    )
    conn = op.get_bind()
    last = (
        sa.select(sa.func.max(events.c.id).label("id"))
        .where(events.c.kind == "staff_login", events.c.staff.is_not(None))
        .group_by(events.c.staff)
        .subquery()
    )
    found = sa.select(events.c.staff, events.c.at, events.c.counter_code).join(
        last, events.c.id == last.c.id
    )
    for username, at, counter_code in conn.execute(found).all():
        conn.execute(
            sa.update(staff)
            .where(staff.c.username == username)
            .values(last_login_at=at, last_login_counter=counter_code)
        )


def downgrade() -> None:
    # not in a batch: SQLite would copy the table, which the tables referring to it forbid;
    # SQLite 3.35 and later drop a column in place
    op.drop_column("staff", "last_login_counter")
    op.drop_column("staff", "last_login_at")
