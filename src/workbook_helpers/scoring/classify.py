"""Relationship type from the bank's ordered rules (first match wins), with reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..bank import Bank, TypeRule

TYPE_LABELS = {
    "strategic-alliance": "a strategic alliance",
    "joint-venture": "a joint venture",
    "outsourcing": "outsourcing",
    "licensing": "licensing",
    "supply-chain": "supply-chain integration",
    "other": "another kind of relationship",
}


def classify_frame(wide: pd.DataFrame, bank: Bank) -> pd.Series:
    """Relationship type for every row of a wide frame (columns = list ids, values 0-100).

    A condition on a list with no score is not met, so such rows fall through to later rules.
    """
    rules = bank.relationship_types.rules
    masks = []
    for rule in rules:
        mask = np.ones(len(wide), dtype=bool)
        for list_id, bound in rule.when.items():
            col = (wide[list_id] if list_id in wide.columns
                   else pd.Series(np.nan, index=wide.index)).to_numpy(dtype=float)
            ok = ~np.isnan(col)
            if bound.min is not None:
                ok &= np.nan_to_num(col, nan=-1.0) >= bound.min
            if bound.max is not None:
                ok &= np.nan_to_num(col, nan=101.0) <= bound.max
            mask &= ok
        masks.append(mask)
    fallback = rules[-1].type
    chosen = np.select(masks, [r.type for r in rules], default=fallback)
    return pd.Series(chosen, index=wide.index, name="relationship_type")


def rule_for(bank: Bank, rtype: str) -> TypeRule:
    """The first rule of the bank that yields `rtype`."""
    return next(r for r in bank.relationship_types.rules if r.type == rtype)


def _fmt(value: float | None) -> str:
    return "no answers" if value is None or np.isnan(value) else f"{value:.0f}"


def type_reason(bank: Bank, rtype: str, scores: dict[str, float | None], who: str) -> str:
    """A plain sentence naming the scores that put `who` in `rtype`."""
    rule = rule_for(bank, rtype)
    titles = {lst.id: lst.title.lower() for lst in bank.lists}
    parts = []
    for list_id, bound in rule.when.items():
        cond = []
        if bound.min is not None:
            cond.append(f"at least {bound.min:.0f}")
        if bound.max is not None:
            cond.append(f"at most {bound.max:.0f}")
        parts.append(f"{titles.get(list_id, list_id)} {_fmt(scores.get(list_id))} "
                     f"({' and '.join(cond)})")
    label = TYPE_LABELS.get(rtype, rtype)
    if parts:
        return (f"{who} point to {label}: " + ", ".join(parts) + ". " + rule.summary)
    return f"{who} match no alliance pattern, so the form is {label}. {rule.summary}"
