"""What the store hands out: engagements, respondents, saved answers, rounds and actions
(frozen records, no behaviour beyond simple questions about themselves)."""

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


@dataclass(frozen=True)
class Engagement:
    """One prospective partnership being assessed."""

    id: str
    title: str
    host_org: str
    partner_org: str
    created_at: datetime
    bank_version: str | None = None
    revealed: bool = False
    anonymous: bool = False
    expectations: bool = True
    lang: str = "en"  # revision 0006: reports, dashboard and setup speak it

    def org(self, side: str) -> str:
        """The organisation name of a side."""
        return self.host_org if side == "host" else self.partner_org


@dataclass(frozen=True)
class Respondent:
    """A person answering for one side of an engagement, as invited to one round (`token` is
    their personal link for that round; None when they are not invited to it)."""

    engagement: str
    id: str
    name: str
    side: str
    role: str
    token: str | None
    round: str = BASELINE
    email: str | None = None  # revision 0005; shown to facilitators only
    lang: str | None = None  # revision 0006; None: the engagement's language applies


@dataclass(frozen=True)
class SavedAnswer:
    """What `record_answer` stored: when, and whether it changed anything."""

    answered_at: datetime
    changed: bool



@dataclass(frozen=True)
class StoredAnswer:
    """A respondent's current answer to one question, as the questionnaire shows it."""

    value: int | None
    dont_know: bool
    comment: str
    answered_at: datetime
