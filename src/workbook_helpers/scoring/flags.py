"""Flags on lists and questions: where the sides disagree, a team is split, a side scores low,
or the two sides describe the structure of the deal differently. Thresholds come from the
bank; engagement-wide flags (form, readiness) are added by `scoring.result`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..bank import Bank
from ..domain import SIDES
from .tables import ScoreTables

FLAG_COLUMNS = ["engagement", "kind", "dimension", "side", "question_id", "magnitude",
                "threshold", "blocking", "weight", "order"]


def _frame(rows: pd.DataFrame, kind: str, side: object, qid: object, magnitude: pd.Series,
           threshold: float, blocking: bool, weight: object = 1.0,
           order: object = -1) -> pd.DataFrame:
    return pd.DataFrame({
        "engagement": rows["engagement"].to_numpy(),
        "kind": kind,
        "dimension": rows["list"].to_numpy(),
        "side": side if not isinstance(side, pd.Series) else side.to_numpy(),
        "question_id": qid if not isinstance(qid, pd.Series) else qid.to_numpy(),
        "magnitude": magnitude.to_numpy(dtype=float),
        "threshold": float(threshold),
        "blocking": blocking,
        "weight": weight if not isinstance(weight, pd.Series) else weight.to_numpy(),
        "order": order if not isinstance(order, pd.Series) else order.to_numpy(),
    })


def find_flags(t: ScoreTables, bank: Bank, list_order: dict[str, int]) -> pd.DataFrame:
    """Every flag for every engagement, as one frame (one row per flag)."""
    th = bank.thresholds
    parts: list[pd.DataFrame] = []
    sl, sq = t.side_lists, t.side_questions
    lorder = sl["list"].map(list_order)
    gap = sl[sl["gap"] >= th.cross_side_gap]
    parts.append(_frame(gap, "cross-side-gap", None, None, gap["gap"], th.cross_side_gap, True,
                        order=lorder[gap.index]))
    for side in SIDES:
        col = f"{side}_divergence"
        d = sl[sl[col] >= th.internal_divergence]
        parts.append(_frame(d, "internal-divergence", side, None, d[col],
                            th.internal_divergence, True, order=lorder[d.index]))
    structure = sq[~sq["scored"].astype(bool)] if len(sq) else sq
    sgap = structure[structure["gap"] >= th.structure_gap]
    parts.append(_frame(sgap, "structure-gap", None, sgap["question_id"], sgap["gap"],
                        th.structure_gap, False, 1.0, sgap["order"]))
    sq = sq[sq["scored"].astype(bool)] if len(sq) else sq
    qgap = sq[sq["gap"] >= th.question_gap]
    parts.append(_frame(qgap, "question-gap", None, qgap["question_id"], qgap["gap"],
                        th.question_gap, False, qgap["weight"], qgap["order"]))
    for side in SIDES:
        col = f"{side}_divergence"
        d = sq[sq[col] >= th.question_divergence]
        parts.append(_frame(d, "question-divergence", side, d["question_id"], d[col],
                            th.question_divergence, False, d["weight"], d["order"]))
        low = sq[sq[side] < th.low_score]
        parts.append(_frame(low, "low-score", side, low["question_id"], th.low_score - low[side],
                            th.low_score, False, low["weight"], low["order"]))
    flags = pd.concat([p for p in parts if not p.empty], ignore_index=True) \
        if any(not p.empty for p in parts) else pd.DataFrame(columns=FLAG_COLUMNS)
    if flags.empty:
        return flags
    # how far past its threshold a flag is, so unlike kinds can be ranked together
    flags["severity"] = (flags["magnitude"] / flags["threshold"].replace(0, np.nan)).fillna(1.0) \
        * flags["weight"].astype(float) * np.where(flags["blocking"], 2.0, 1.0)
    flags = flags.sort_values(["engagement", "severity", "order", "kind", "side"],
                              ascending=[True, False, True, True, True],
                              kind="mergesort", na_position="first")
    return flags.reset_index(drop=True)
