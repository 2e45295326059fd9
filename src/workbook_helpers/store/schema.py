"""The store's tables at the newest schema revision (SQLAlchemy Core, portable SQL only)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    true,
)

metadata = MetaData()

engagements = Table(
    "engagements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("host_org", String(200), nullable=False),
    Column("partner_org", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # revision 0002
    Column("bank_version", String(40), nullable=True),
    Column("revealed", Boolean, nullable=False, server_default=false()),
    Column("anonymous", Boolean, nullable=False, server_default=false()),
    # revision 0003
    Column("expectations", Boolean, nullable=False, server_default=true()),
)

respondents = Table(
    "respondents",
    metadata,
    Column("engagement_id", String(64), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("side", String(10), nullable=False),
    Column("role", String(200), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # revision 0002
    Column("token", String(64), nullable=True),
    ForeignKeyConstraint(["engagement_id"], ["engagements.id"], ondelete="CASCADE"),
    Index("ix_respondents_token", "token", unique=True),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("engagement_id", String(64), nullable=False),
    Column("respondent_id", String(64), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("value", Integer, nullable=True),
    Column("dont_know", Boolean, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    # revision 0002
    Column("source", String(20), nullable=False, server_default="app"),
    # revision 0003: 'self' (the respondent's own answer) or 'other-side' (what they expect
    # the other side's team to answer)
    Column("about", String(12), nullable=False, server_default="self"),
    ForeignKeyConstraint(["engagement_id", "respondent_id"],
                         ["respondents.engagement_id", "respondents.id"], ondelete="CASCADE"),
    Index("ix_answers_current", "engagement_id", "respondent_id", "question_id", "about", "id"),
)
