"""Languages: each engagement's language (reports and facilitator pages), each respondent's
language (the questionnaire opens in it), and the language each answer was given in (its
comment is kept as written, with that language).

Existing engagements speak English ('en', as everything did before); existing respondents and
answers get no language (NULL: "not set", the questionnaire then follows the engagement).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    """Add `engagements.lang` (default 'en'), `respondents.lang` and `answers.lang`."""
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("lang", sa.String(35), nullable=False, server_default="en"))
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("lang", sa.String(35), nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("lang", sa.String(35), nullable=True))
