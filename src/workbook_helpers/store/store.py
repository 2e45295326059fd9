"""The engagement store: engagements, respondents and answers with their full history.

Works on the embedded SQLite file by default and on any SQLAlchemy URL (PostgreSQL) given by
`WORKBOOK_DATABASE_URL`. Answers are appended, never updated in place: the current answer to
a question is decided by `domain.current_answers` (the latest `answered_at` instant; at equal
instants the later insert), the same rule the CLI applies to a CSV file. Every time is stored in
UTC.

`Store` is put together from one part per concern: engagements, respondents, the answer log,
imports, restores, rounds, actions, kept scores, messages and languages (each a mixin in its
own module of this package).
"""

from __future__ import annotations

from ..domain import ABOUT, SIDES
from .actions import ActionsMixin
from .answer_log import ANSWER_COLUMNS, AnswerLogMixin
from .base import now
from .importing import ImportMixin
from .languages import LanguagesMixin
from .messages import Message, MessagesMixin
from .records import Action, ActionEvent, Engagement, Respondent, Round, SavedAnswer, StoredAnswer
from .respondents import RespondentsMixin
from .restore import RestoreMixin
from .rounds import ALL_ROUNDS
from .scores import ScoresMixin

__all__ = ["ABOUT", "ALL_ROUNDS", "ANSWER_COLUMNS", "SIDES", "Action", "ActionEvent",
           "Engagement", "Message", "Respondent", "Round", "SavedAnswer", "Store",
           "StoredAnswer", "now"]


class Store(RespondentsMixin, AnswerLogMixin, ImportMixin, RestoreMixin, ActionsMixin,
            ScoresMixin, MessagesMixin, LanguagesMixin):
    """Access to one store (SQLite file or PostgreSQL database)."""
