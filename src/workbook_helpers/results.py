"""Scores for engagements held in the store (the glue used by the CLI, apps and reports)."""

from __future__ import annotations

from typing import Any

from .bank import Bank
from .scoring import score_engagement, score_portfolio
from .store import Store


def engagement_result(store: Store, bank: Bank, engagement_id: str) -> dict[str, Any]:
    """The contract's score output for one engagement in the store (plus organisation names)."""
    eng = store.engagement(engagement_id)
    result = score_engagement(store.current_answers(engagement_id), bank, engagement_id,
                              store.roster(engagement_id))
    result["organisations"] = {"host": eng.host_org, "partner": eng.partner_org}
    result["title"] = eng.title
    return result


def portfolio_results(store: Store, bank: Bank) -> dict[str, dict[str, Any]]:
    """Scores of every engagement in the store, computed in one pass."""
    results = score_portfolio(store.current_answers(), bank, store.roster())
    for eng in store.engagements().itertuples(index=False):
        if eng.engagement in results:
            results[eng.engagement]["organisations"] = {"host": eng.host_org,
                                                        "partner": eng.partner_org}
            results[eng.engagement]["title"] = eng.title
    return results
