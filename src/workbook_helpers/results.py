"""Scores for engagements held in the store (the glue used by the CLI, apps and reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .bank import Bank
from .scoring import ScoreResult, score_engagement, score_portfolio
from .store import Store

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def engagement_result(store: Store, bank: Bank, engagement_id: str,
                      answers: pd.DataFrame | None = None) -> ScoreResult:
    """The typed score result of one engagement in the store, with its organisation names
    (`answers`: its current answers when the caller has read them already)."""
    eng = store.engagement(engagement_id)
    if answers is None:
        answers = store.current_answers(engagement_id)
    result = score_engagement(answers, bank, engagement_id, store.roster(engagement_id))
    return result.with_engagement({"host": eng.host_org, "partner": eng.partner_org}, eng.title)


def portfolio_results(store: Store, bank: Bank) -> dict[str, ScoreResult]:
    """Scores of every engagement in the store, computed in one pass."""
    results = score_portfolio(store.current_answers(), bank, store.roster())
    for eng in store.engagements().itertuples(index=False):
        if eng.engagement in results:
            results[eng.engagement] = results[eng.engagement].with_engagement(
                {"host": eng.host_org, "partner": eng.partner_org}, eng.title)
    return results
