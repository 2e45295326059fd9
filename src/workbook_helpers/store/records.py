"""What the store hands out about rounds and actions (frozen records, no behaviour beyond
simple questions about themselves)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

ACTION_STATUSES = ("open", "done", "dropped")
BASELINE = "baseline"


@dataclass(frozen=True)
class Round:
    """One assessment round of an engagement (`baseline` first, then e.g. health checks).

    `bank` names the question bank the round is asked and scored on: empty for the bank in
    use (`--bank` / `WORKBOOK_BANK` / the shipped one), the name of a shipped bank such as
    `health_check_bank`, or a bank file's path.
    """

    engagement: str
    id: str
    position: int
    bank: str
    opened_at: datetime
    title: str = ""


@dataclass(frozen=True)
class ActionEvent:
    """One change of an action's status (the first is its creation, status 'open')."""

    status: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Action:
    """A commitment recorded in or after a workshop, with its status history."""

    engagement: str
    id: int
    text: str
    owner: str
    due: date
    status: str
    round: str
    list_id: str | None = None
    flag: str | None = None
    created_at: datetime | None = None
    history: tuple[ActionEvent, ...] = field(default_factory=tuple)

    def overdue(self, today: date) -> bool:
        """Whether the action is still open after its due date."""
        return self.status == "open" and self.due < today
