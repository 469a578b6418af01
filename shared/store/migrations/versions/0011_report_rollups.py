"""Closed months' report figures kept once (report_months, report_rollups, report_counts), so a
year's report reads twelve months of sums instead of every ticket.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTCDateTime = sa.DateTime()
KEYS = ("service", "agency", "counter")
FIGURES = (
    "tickets",
    "arrived",
    "source_kiosk",
    "source_appointment",
    "source_walk_in",
    "called",
    "served",
    "no_show",
    "transferred",
    "expired",
    "within_target",
    "over_service_minutes",
)


def _keys() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", BigId, primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        *(sa.Column(k, sa.String(32), nullable=False) for k in KEYS),
        sa.Column("staff", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "report_months",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("built_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "report_rollups",
        *_keys(),
        sa.Column("local", sa.String(13), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in FIGURES),
        *(sa.Column(f"{m}_{a}", sa.Float) for m in ("wait", "service") for a in ("sum", "max")),
    )
    op.create_table(
        "report_counts",
        *_keys(),
        sa.Column("measure", sa.String(8), nullable=False),
        sa.Column("tenth", sa.Float, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
    )
    for table in ("report_rollups", "report_counts"):
        op.create_index(f"ix_{table}_month", table, ["month"])


def downgrade() -> None:
    for table in ("report_counts", "report_rollups", "report_months"):
        op.drop_table(table)
