"""Who gets which message: the round's respondents, how far each got, and for each whether
the message goes out or why not (already invited, finished, reminded too recently, no address).
Reading only: nothing is recorded or sent here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from ..apps.links import respondent_link
from ..bank import Bank
from ..bank.choice import bank_for
from ..exceptions import BadInputError, Problem
from ..store import Message, Respondent, Round, Store
from ..store.base import now as utc_now

#: Seconds a respondent needs per step of the questionnaire (an answer, or an estimate of
#: the other side's answer), for the "takes about N minutes" sentence.
SECONDS_PER_STEP = 20
DEFAULT_INTERVAL = timedelta(hours=48)


class Progress:
    """How far a respondent got in a round (`answered` of `total` questions)."""

    answered: int
    total: int

    @property
    def started(self) -> bool:
        """Whether the respondent has answered anything in the round."""
        return self.answered > 0

    @property
    def finished(self) -> bool:
        """Whether the respondent has answered every question of the round."""
        return self.total > 0 and self.answered >= self.total


@dataclass(frozen=True)
class Planned(Progress):
    """One respondent's message of a run: what it says and whether it goes out (`skip` is
    empty) or why not."""

    respondent: Respondent
    kind: str
    address: str
    link: str
    answered: int
    total: int
    skip: str = ""
    last_sent: datetime | None = None

    @property
    def goes(self) -> bool:
        """Whether this message is to be sent in this run."""
        return not self.skip



def round_of(store: Store, engagement_id: str, round_id: str | None) -> Round:
    """The round named (default: the engagement's latest); NotFoundError otherwise."""
    rounds = store.rounds(engagement_id)
    if round_id is None:
        return rounds[-1]
    for r in rounds:
        if r.id == round_id:
            return r
    raise BadInputError(Problem(f"engagement '{engagement_id}' has no round '{round_id}'.",
                                column="--round",
                                fix=f"use one of: {', '.join(r.id for r in rounds)}."))


def progress(store: Store, bank: Bank, engagement_id: str, round_id: str,
             answers: pd.DataFrame | None = None) -> dict[str, tuple[int, int]]:
    """Per respondent of a round: (questions answered, questions asked) on the round's bank,
    counting their own answers (a don't-know is an answer), as the questionnaire counts
    (`answers`: the round's current answers when the caller has read them already)."""
    asked = {q.id for q in bank.questions}
    frame = store.current_answers(engagement_id, round_id) if answers is None else answers
    if len(frame):
        frame = frame[(frame["about"] == "self") & frame["question_id"].isin(asked)]
    counts = frame.groupby("respondent")["question_id"].nunique().to_dict() if len(frame) \
        else {}
    return {r.id: (int(counts.get(r.id, 0)), len(asked))
            for r in store.respondents(engagement_id, round_id)}


def minutes_needed(bank: Bank, expectations: bool) -> int:
    """How long the questionnaire takes, rounded up to 5 minutes (at least 5)."""
    steps = len(bank.questions) + (len(bank.expectation_questions) if expectations else 0)
    return max(5, 5 * math.ceil(steps * SECONDS_PER_STEP / 60 / 5))


def _last_sent(messages: Sequence[Message], respondent: str,
               kinds: Sequence[str]) -> datetime | None:
    times = [m.sent_at for m in messages if m.respondent == respondent and m.kind in kinds
             and m.status == "sent" and m.sent_at is not None]
    return max(times) if times else None


def plan_messages(store: Store, bank: Bank, engagement_id: str, round_id: str | None,
                  kind: str, *, to: Sequence[str] = (), again: bool = False,
                  interval: timedelta = DEFAULT_INTERVAL, at: datetime | None = None,
                  base: str | None = None, need_address: bool = True) -> list[Planned]:
    """Every respondent of the round (or those of `to`) with their message and whether it
    goes out.

    Invitations go to those without a sent invitation for the round (`again` sends anew).
    Reminders go to those invited who have not finished, unless a message (invitation or
    reminder) reached them within `interval`. Without an address (and `need_address`) a
    message cannot go out either.
    """
    if kind not in ("invite", "remind"):
        raise ValueError(f"kind must be invite or remind, not {kind!r}")
    rnd = round_of(store, engagement_id, round_id)
    rbank = bank_for(rnd.bank, bank)
    people = store.respondents(engagement_id, rnd.id)
    known = {p.id for p in people}
    unknown = [t for t in to if t not in known]
    if unknown:
        raise BadInputError(Problem(
            f"not respondents of round '{rnd.id}' of '{engagement_id}': {', '.join(unknown)}.",
            column="--to", fix=f"use ids listed by 'workbook respondent list {engagement_id}'"
            f" ({', '.join(sorted(known)) or 'none yet'})."))
    if to:
        people = [p for p in people if p.id in set(to)]
    done = progress(store, rbank, engagement_id, rnd.id)
    messages = store.messages(engagement_id, rnd.id)
    moment = at or utc_now()
    out = []
    for p in people:
        answered, total = done.get(p.id, (0, len(rbank.questions)))
        skip = ""
        if kind == "invite":
            last = _last_sent(messages, p.id, ("invite",))
            if last is not None and not again:
                skip = f"already invited on {last:%Y-%m-%d %H:%M} UTC (add --again to resend)"
        else:
            last = _last_sent(messages, p.id, ("invite", "remind"))
            if total and answered >= total:
                skip = f"finished ({answered} of {total} questions)"
            elif _last_sent(messages, p.id, ("invite",)) is None:
                skip = "not invited to this round yet (send the invitation first)"
            elif last is not None and moment - last < interval:
                hours = interval.total_seconds() / 3600
                skip = (f"last written to on {last:%Y-%m-%d %H:%M} UTC, less than "
                        f"{hours:g} hours ago")
        if not skip and need_address and not p.email:
            skip = (f"no e-mail address (add one with 'workbook respondent email "
                    f"{engagement_id} {p.id} ADDRESS', or use --eml DIR)")
        out.append(Planned(p, kind, p.email or "", respondent_link(p.token, base), answered,
                           total, skip, last))
    return out
