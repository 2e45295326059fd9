"""The engagement store (SQLite by default, PostgreSQL by URL)."""

from .store import Engagement, Respondent, SavedAnswer, Store

__all__ = ["Engagement", "Respondent", "SavedAnswer", "Store"]
