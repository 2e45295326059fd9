"""The engagement store (SQLite by default, PostgreSQL by URL)."""

from .messages import Message
from .records import Action, ActionEvent, Round
from .store import ALL_ROUNDS, Engagement, Respondent, SavedAnswer, Store

__all__ = ["ALL_ROUNDS", "Action", "ActionEvent", "Engagement", "Message", "Respondent", "Round",
           "SavedAnswer", "Store"]
