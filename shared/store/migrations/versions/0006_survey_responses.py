"""The SKM survey: one answered questionnaire per finished visit.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.models import BigId, UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=False, unique=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("service_id", sa.Integer, sa.ForeignKey("services.id"), nullable=False),
        sa.Column("counter_id", sa.Integer, sa.ForeignKey("counters.id"), nullable=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        *[sa.Column(f"a{i}", sa.Integer, nullable=False) for i in range(1, 10)],
        sa.Column("age_band", sa.String(16), nullable=True),
        sa.Column("sex", sa.String(16), nullable=True),
        sa.Column("education", sa.String(16), nullable=True),
        sa.Column("occupation", sa.String(16), nullable=True),
        sa.Column("suggestion", sa.String(1000), nullable=True),
        sa.Column("entered_by", sa.String(64), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_survey_responses_day", "survey_responses", ["day"])


def downgrade() -> None:
    op.drop_index("ix_survey_responses_day", "survey_responses")
    op.drop_table("survey_responses")
