"""Scores for engagements held in the store, per round (the glue used by the CLI, apps and
reports): the result of a round carries its round id and, after the first round, the trend."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from ..bank import Bank
from ..bank.choice import bank_for
from ..presenting.speaking import current as current_language
from ..store import Store
from . import ScoreResult, score_engagement
from .actionplan import PlannedAction, action_plan
from .trend import Trend, trend

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: rounds already scored in this process, by everything their result depends on (the round's
#: stamp from the store, the bank, the organisation names): a dashboard that polls re-scores
#: only the round that received answers, and only when it did
_SCORED: OrderedDict[tuple[object, ...], ScoreResult] = OrderedDict()
_SCORED_MAX = 64


def round_score(store: Store, bank: Bank, engagement_id: str, round_id: str | None = None,
                answers: pd.DataFrame | None = None, stamp: str | None = None, *,
                robustness: bool = True) -> ScoreResult:
    """The typed result of one round (default: the latest), without its trend.

    `stamp` (from `Store.round_stamps`) lets an unchanged round be answered from the
    process's cache; give it only with `answers` that are the store's current answers of
    that round (or none). `robustness` False: without the robustness check (an earlier
    round, read only for the trend)."""
    eng = store.engagement(engagement_id)
    rnd = store.round(engagement_id, round_id)
    rbank = bank_for(rnd.bank, bank, lang=current_language())
    # the result's sentences are worded in the current language (`speaking`): part of the key
    key = (store.url, engagement_id, rnd.id, stamp, id(rbank), rbank.version,
           eng.host_org, eng.partner_org, eng.title, current_language(), robustness)
    if stamp is not None and key in _SCORED:
        _SCORED.move_to_end(key)
        return _SCORED[key]
    if answers is None:
        answers = store.current_answers(engagement_id, rnd.id)
    result = score_engagement(answers, rbank, engagement_id,
                              store.roster(engagement_id, rnd.id), robustness=robustness)
    result = result.with_engagement({"host": eng.host_org, "partner": eng.partner_org},
                                    eng.title).with_round(rnd.id)
    if stamp is not None:
        _SCORED[key] = result
        while len(_SCORED) > _SCORED_MAX:
            _SCORED.popitem(last=False)
    return result


@dataclass(frozen=True)
class RoundHistory:
    """An engagement's rounds up to one, each scored, with the trend and the action plan."""

    rounds: list[str]
    results: dict[str, ScoreResult]
    trend: Trend | None
    plan: list[PlannedAction]

    @property
    def current(self) -> ScoreResult:
        """The result of the round asked about, with the trend up to it."""
        return self.results[self.rounds[-1]]


def round_history(store: Store, bank: Bank, engagement_id: str, round_id: str | None = None,
                  answers: pd.DataFrame | None = None, today: date | None = None,
                  stamps: dict[str, str] | None = None) -> RoundHistory:
    """Score every round up to `round_id` (default: the latest): the trend and the plan.

    With `stamps` (`Store.round_stamps`, read just before `answers`), rounds whose stamp
    did not change since they were last scored in this process are not scored again."""
    all_rounds = [r.id for r in store.rounds(engagement_id)]
    upto = store.round(engagement_id, round_id).id
    ids = all_rounds[: all_rounds.index(upto) + 1]
    # only the round asked about shows its robustness: the earlier ones feed the trend
    results = {r: round_score(store, bank, engagement_id, r,
                              answers if r == upto else None,
                              (stamps or {}).get(r), robustness=r == upto) for r in ids}
    tr = trend([(r, results[r]) for r in ids]) if len(ids) > 1 else None
    if tr is not None:
        results[upto] = results[upto].with_round(upto, tr)
    plan = action_plan(store.actions(engagement_id), results, all_rounds,
                       today or datetime.now(UTC).date(), upto)
    return RoundHistory(ids, results, tr, plan)


def engagement_result(store: Store, bank: Bank, engagement_id: str,
                      round_id: str | None = None) -> ScoreResult:
    """The typed score result of a round (default: the latest) with its organisation names
    and, when earlier rounds exist, the trend: the result of the engagement's view
    (`scoring.view.engagement_view`)."""
    from .view import engagement_view

    return engagement_view(store, bank, engagement_id, round_id).result
