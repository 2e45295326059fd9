"""E-mail addresses of respondents, the record of every invitation and reminder, and each kept
round score's list scores (the norm base).

Existing respondents get no address (NULL: "not known"); existing kept scores get no list
scores (NULL), which the portfolio treats as "score again", so the norms never read a stale or
missing value.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    """Add `respondents.email`, `round_scores.lists` and the `messages` table."""
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))
    with op.batch_alter_table("round_scores") as batch:
        batch.add_column(sa.Column("lists", sa.Text, nullable=True))
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("engagement_id", sa.String(64), nullable=False),
        sa.Column("round_id", sa.String(64), nullable=False),
        sa.Column("respondent_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("address", sa.String(320), nullable=False, server_default=""),
        sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["engagement_id", "respondent_id"],
                                ["respondents.engagement_id", "respondents.id"],
                                ondelete="CASCADE"))
    op.create_index("ix_messages_who", "messages",
                    ["engagement_id", "round_id", "respondent_id", "kind", "id"])
