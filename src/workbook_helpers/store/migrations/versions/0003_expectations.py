"""Expectation answers (what a respondent expects the other side to answer) and the
per-engagement switch that asks for them.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    """Every existing answer is a respondent's own (`about = self`); expectations are on."""
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("about", sa.String(12), nullable=False,
                                   server_default="self"))
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("expectations", sa.Boolean, nullable=False,
                                   server_default=sa.true()))
    op.drop_index("ix_answers_current", table_name="answers")
    op.create_index("ix_answers_current", "answers",
                    ["engagement_id", "respondent_id", "question_id", "about", "id"])
