"""Every error the workbook raises on purpose, in one place.

`BadInputError` and its children mean the user gave us something we cannot use (exit code 2);
the message names the file, row and column and says how to fix it. Anything else derived
from `WorkbookError` is an operational failure (exit code 1).
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbookError(Exception):
    """Base class of every error the workbook raises deliberately."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what is wrong, how to fix it."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    fix: str | None = None

    def render(self) -> str:
        """The problem as one line a person can act on."""
        where = [p for p in (self.file, _row(self.row), _col(self.column)) if p]
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


def _row(row: int | None) -> str | None:
    return None if row is None else f"row {row}"


def _col(column: str | None) -> str | None:
    return None if column is None else f"column '{column}'"


class BadInputError(WorkbookError):
    """The user's input cannot be used; carries one or more located problems."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


class InvalidIdError(BadInputError):
    """An engagement or respondent id is not a slug."""


class BankError(BadInputError):
    """The question bank file is malformed."""


class AnswersFileError(BadInputError):
    """An answers CSV (or JSON export) cannot be imported or scored."""


class NotFoundError(BadInputError):
    """An engagement, respondent or question named by the user does not exist."""


class ConflictError(BadInputError):
    """The action would clash with what the store already holds."""


class StoreError(WorkbookError):
    """The store cannot be reached, opened, upgraded or written."""


class MailServerError(WorkbookError):
    """The mail server cannot be reached, refuses the login, or fails while sending (exit 1;
    what was sent before stays recorded as sent)."""


class AccessDeniedError(WorkbookError):
    """A respondent link was used for data it does not grant."""


class LanguageError(BadInputError):
    """A language tag is malformed, or names a language the workbook does not speak."""


class CatalogueError(BadInputError):
    """An interface catalogue (`locale/<lang>/LC_MESSAGES/<domain>.po`) is missing or cannot
    be read; the message names the file, the line and the fix."""
