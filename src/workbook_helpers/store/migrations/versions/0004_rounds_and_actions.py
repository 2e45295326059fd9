"""Rounds (every answer, link and kept score belongs to one), round members, actions with their
history.

Every existing engagement becomes its `baseline` round: its answers belong to it and each of
its respondents is a member of it with the link token they already had.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    """Create the new tables, then make every engagement's data its baseline round."""
    op.create_table(
        "rounds",
        sa.Column("engagement_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("bank", sa.String(500), nullable=False, server_default=""),
        sa.Column("title", sa.String(200), nullable=False, server_default=""),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagements.id"], ondelete="CASCADE"))
    op.create_index("ix_rounds_position", "rounds", ["engagement_id", "position"], unique=True)
    op.create_table(
        "round_members",
        sa.Column("engagement_id", sa.String(64), primary_key=True),
        sa.Column("round_id", sa.String(64), primary_key=True),
        sa.Column("respondent_id", sa.String(64), primary_key=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id", "round_id"],
                                ["rounds.engagement_id", "rounds.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["engagement_id", "respondent_id"],
                                ["respondents.engagement_id", "respondents.id"],
                                ondelete="CASCADE"))
    op.create_index("ix_round_members_token", "round_members", ["token"], unique=True)
    op.create_table(
        "actions",
        sa.Column("engagement_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="open"),
        sa.Column("round", sa.String(64), nullable=False),
        sa.Column("list_id", sa.String(64), nullable=True),
        sa.Column("flag", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagements.id"], ondelete="CASCADE"))
    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("engagement_id", sa.String(64), nullable=False),
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["engagement_id", "action_id"],
                                ["actions.engagement_id", "actions.id"], ondelete="CASCADE"))
    op.create_index("ix_action_events", "action_events", ["engagement_id", "action_id", "id"])
    op.create_table(
        "round_scores",
        sa.Column("engagement_id", sa.String(64), primary_key=True),
        sa.Column("round_id", sa.String(64), primary_key=True),
        sa.Column("signature", sa.String(400), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("relationship_type", sa.String(40), nullable=False),
        sa.Column("completeness", sa.Float, nullable=False),
        sa.Column("share", sa.Float, nullable=True),
        sa.Column("importance", sa.Float, nullable=True),
        sa.Column("cause", sa.String(20), nullable=False, server_default=""),
        sa.Column("last_answer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id", "round_id"],
                                ["rounds.engagement_id", "rounds.id"], ondelete="CASCADE"))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("round", sa.String(64), nullable=False,
                                   server_default="baseline"))
    op.drop_index("ix_answers_current", table_name="answers")
    op.create_index("ix_answers_current", "answers",
                    ["engagement_id", "round", "respondent_id", "question_id", "about", "id"])

    conn = op.get_bind()
    eng = sa.table("engagements", sa.column("id"), sa.column("created_at"))
    resp = sa.table("respondents", sa.column("engagement_id"), sa.column("id"),
                    sa.column("token"), sa.column("created_at"))
    rnd = sa.table("rounds", sa.column("engagement_id"), sa.column("id"),
                   sa.column("position"), sa.column("bank"), sa.column("title"),
                   sa.column("opened_at"))
    mem = sa.table("round_members", sa.column("engagement_id"), sa.column("round_id"),
                   sa.column("respondent_id"), sa.column("token"), sa.column("added_at"))
    rows = [{"engagement_id": e, "id": "baseline", "position": 0, "bank": "",
             "title": "Baseline", "opened_at": created or datetime.now(UTC)}
            for e, created in conn.execute(sa.select(eng.c.id, eng.c.created_at))]
    if rows:
        conn.execute(rnd.insert(), rows)
    members = [{"engagement_id": e, "round_id": "baseline", "respondent_id": r,
                "token": token or secrets.token_urlsafe(24),
                "added_at": created or datetime.now(UTC)}
               for e, r, token, created in conn.execute(
                   sa.select(resp.c.engagement_id, resp.c.id, resp.c.token, resp.c.created_at))]
    if members:
        conn.execute(mem.insert(), members)
