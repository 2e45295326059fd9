"""Personal respondent links, reveal/anonymous state, bank version, answer source.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    """Add the new columns and give every existing respondent a link token."""
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("bank_version", sa.String(40), nullable=True))
        for flag in ("revealed", "anonymous"):
            batch.add_column(sa.Column(flag, sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("token", sa.String(64), nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("source", sa.String(20), nullable=False,
                                   server_default="app"))
    conn = op.get_bind()
    resp = sa.table("respondents", sa.column("engagement_id"), sa.column("id"),
                    sa.column("token"))
    rows = conn.execute(sa.select(resp.c.engagement_id, resp.c.id)).all()
    for eng, rid in rows:
        conn.execute(resp.update()
                     .where(resp.c.engagement_id == eng, resp.c.id == rid)
                     .values(token=secrets.token_urlsafe(24)))
    op.create_index("ix_respondents_token", "respondents", ["token"], unique=True)
