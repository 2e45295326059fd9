"""The roster of a round for the facilitator: per respondent, when they were invited and
reminded (sent messages only), whether the last message failed and why, and how far they got
(started, finished)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..bank import Bank
from ..bank.choice import bank_for
from ..store import Respondent, Store
from .plan import Progress, progress, round_of


@dataclass(frozen=True)
class RosterStatus(Progress):
    """One respondent of a round, as the setup page's and the dashboard's roster show them."""

    respondent: Respondent
    answered: int
    total: int
    invited: datetime | None
    reminded: datetime | None
    reminders: int
    failed: str

    @property
    def progress(self) -> str:
        """'not started', 'finished' or 'N of M answered'."""
        if self.finished:
            return "finished"
        if not self.started:
            return "not started"
        return f"{self.answered} of {self.total} answered"


def roster_status(store: Store, bank: Bank, engagement_id: str,
                  round_id: str | None = None, answers: Any = None) -> list[RosterStatus]:
    """The roster of a round (default: the latest), ordered as the store lists respondents
    (`answers`: the round's current answers when the caller has read them already)."""
    rnd = round_of(store, engagement_id, round_id)
    done = progress(store, bank_for(rnd.bank, bank), engagement_id, rnd.id, answers)
    messages = store.messages(engagement_id, rnd.id)
    out = []
    for p in store.respondents(engagement_id, rnd.id):
        mine = [m for m in messages if m.respondent == p.id]
        sent = [m for m in mine if m.status == "sent" and m.sent_at is not None]
        invites = [m.sent_at for m in sent if m.kind == "invite" and m.sent_at is not None]
        reminds = [m.sent_at for m in sent if m.kind == "remind" and m.sent_at is not None]
        last = mine[-1] if mine else None
        failed = last.reason if last is not None and last.status == "failed" else ""
        answered, total = done.get(p.id, (0, 0))
        out.append(RosterStatus(p, answered, total, max(invites) if invites else None,
                                max(reminds) if reminds else None, len(reminds), failed))
    return out
