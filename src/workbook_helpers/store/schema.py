"""The store's tables at the newest schema revision (SQLAlchemy Core, portable SQL only)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
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
    # revision 0006: the engagement's language (BCP 47 tag): reports, dashboard, setup
    Column("lang", String(35), nullable=False, server_default="en"),
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
    # revision 0005: optional e-mail address (shown to facilitators only)
    Column("email", String(320), nullable=True),
    # revision 0006: the respondent's language; NULL: not set (the engagement's is used)
    Column("lang", String(35), nullable=True),
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
    # revision 0004: the round the answer belongs to
    Column("round", String(64), nullable=False, server_default="baseline"),
    # revision 0006: the language the answer (and its comment) was given in; NULL: not known
    Column("lang", String(35), nullable=True),
    ForeignKeyConstraint(["engagement_id", "respondent_id"],
                         ["respondents.engagement_id", "respondents.id"], ondelete="CASCADE"),
    Index("ix_answers_current", "engagement_id", "round", "respondent_id", "question_id",
          "about", "id"),
)

# ---- revision 0004: rounds, who answers in each round, actions ---------------------------------
rounds = Table(
    "rounds",
    metadata,
    Column("engagement_id", String(64), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("bank", String(500), nullable=False, server_default=""),
    Column("title", String(200), nullable=False, server_default=""),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["engagement_id"], ["engagements.id"], ondelete="CASCADE"),
    Index("ix_rounds_position", "engagement_id", "position", unique=True),
)

round_members = Table(
    "round_members",
    metadata,
    Column("engagement_id", String(64), primary_key=True),
    Column("round_id", String(64), primary_key=True),
    Column("respondent_id", String(64), primary_key=True),
    Column("token", String(64), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["engagement_id", "round_id"], ["rounds.engagement_id", "rounds.id"],
                         ondelete="CASCADE"),
    ForeignKeyConstraint(["engagement_id", "respondent_id"],
                         ["respondents.engagement_id", "respondents.id"], ondelete="CASCADE"),
    Index("ix_round_members_token", "token", unique=True),
)

actions = Table(
    "actions",
    metadata,
    Column("engagement_id", String(64), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(10), nullable=False, server_default="open"),
    Column("round", String(64), nullable=False),
    Column("list_id", String(64), nullable=True),
    Column("flag", String(40), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["engagement_id"], ["engagements.id"], ondelete="CASCADE"),
)

action_events = Table(
    "action_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("engagement_id", String(64), nullable=False),
    Column("action_id", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    ForeignKeyConstraint(["engagement_id", "action_id"], ["actions.engagement_id", "actions.id"],
                         ondelete="CASCADE"),
    Index("ix_action_events", "engagement_id", "action_id", "id"),
)

#: The latest score of each round, kept so that the portfolio reads 1,000 engagements without
#: scoring them again: valid while `signature` (the round's answers, members and bank) holds.
round_scores = Table(
    "round_scores",
    metadata,
    Column("engagement_id", String(64), primary_key=True),
    Column("round_id", String(64), primary_key=True),
    Column("signature", String(400), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("relationship_type", String(40), nullable=False),
    Column("completeness", Float, nullable=False),
    Column("share", Float, nullable=True),
    Column("importance", Float, nullable=True),
    Column("cause", String(20), nullable=False, server_default=""),
    Column("last_answer_at", DateTime(timezone=True), nullable=True),
    Column("scored_at", DateTime(timezone=True), nullable=False),
    # revision 0005: the list scores per side as JSON ({"control": {"host": 75.0, ...}}),
    # the norm base; NULL in scores kept before it (they are scored again)
    Column("lists", Text, nullable=True),
    ForeignKeyConstraint(["engagement_id", "round_id"], ["rounds.engagement_id", "rounds.id"],
                         ondelete="CASCADE"),
)

# ---- revision 0005: every invitation and reminder ---------------------------------------------
#: One row per message to one respondent: `kind` invite | remind, `status` pending (being
#: sent, or the run stopped), sent, failed (with `reason`).
messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("engagement_id", String(64), nullable=False),
    Column("round_id", String(64), nullable=False),
    Column("respondent_id", String(64), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("address", String(320), nullable=False, server_default=""),
    Column("status", String(10), nullable=False, server_default="pending"),
    Column("reason", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    ForeignKeyConstraint(["engagement_id", "respondent_id"],
                         ["respondents.engagement_id", "respondents.id"], ondelete="CASCADE"),
    Index("ix_messages_who", "engagement_id", "round_id", "respondent_id", "kind", "id"),
)
