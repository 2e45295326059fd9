"""The action plan: each recorded action with whether it is overdue and, once a later round
is scored, whether the gap it answered has closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..presenting.speaking import N_, _
from ..store.records import Action
from .model import ScoreResult
from .trend import action_outcome

OUTCOME_TEXT = {
    "closed": N_("the gap it answered has closed"),
    "open": N_("the gap it answered is still open"),
    "new": N_("the gap it names has appeared since"),
    "none": N_("no such gap in either round"),
    "unknown": N_("it names no list or flag, so nothing to compare"),
}


@dataclass(frozen=True)
class PlannedAction:
    """One action as the plan shows it."""

    action: Action
    list_title: str
    overdue: bool
    outcome: str | None
    compared: tuple[str, str] | None

    @property
    def outcome_text(self) -> str:
        """The outcome in words ('' while no later round has been scored)."""
        return _(OUTCOME_TEXT.get(self.outcome or "", ""))


def action_plan(actions: Iterable[Action], results: Mapping[str, ScoreResult],
                rounds: list[str], today: date, upto: str | None = None) -> list[PlannedAction]:
    """The plan of an engagement's actions, as seen from round `upto` (default: the latest).

    `results` holds the score result of each round that has one, `rounds` the round ids in
    order. An action is compared between the round it was recorded in and `upto`.
    """
    upto = upto or (rounds[-1] if rounds else None)
    at = {r: i for i, r in enumerate(rounds)}
    out: list[PlannedAction] = []
    for a in actions:
        if upto is not None and at.get(a.round, 0) > at.get(upto, len(rounds)):
            continue  # recorded after the round shown
        title = ""
        for res in results.values():
            if a.list_id and a.list_id in res.dimensions:
                title = res.dimensions[a.list_id].title
                break
        outcome: str | None = None
        compared: tuple[str, str] | None = None
        if upto is not None and a.round != upto and a.round in results and upto in results \
                and results[upto].verdict != "insufficient-data":
            outcome = action_outcome(a.list_id, a.flag, results[a.round], results[upto])
            compared = (a.round, upto)
        out.append(PlannedAction(a, title or (a.list_id or ""), a.overdue(today), outcome,
                                 compared))
    order = {"open": 0, "done": 1, "dropped": 2}
    return sorted(out, key=lambda p: (order.get(p.action.status, 3), p.action.due, p.action.id))
