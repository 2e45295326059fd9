"""The verdict for every engagement at once: one row per engagement, fully vectorised.

This is the single place the verdict is decided; the per-engagement JSON reads it from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..bank import Bank
from .tables import SIDES, ScoreTables

CAUSE_VERDICT = {"insufficient": "insufficient-data", "form": "no-fit", "far": "no-fit",
                 "blocking": "conditional", "clear": "fit"}


def summarise(t: ScoreTables, flags: pd.DataFrame, types: dict[str, pd.Series],
              bank: Bank) -> pd.DataFrame:
    """Verdict, its cause, the relationship types and the list scores of every engagement."""
    th = bank.thresholds
    eng = t.engagements.set_index("engagement")
    idx = eng.index
    people = t.respondents
    answering = (people[people["answered"] > 0].groupby(["engagement", "side"]).size()
                 .unstack("side") if len(people) else pd.DataFrame(index=idx))
    answering = answering.reindex(index=idx, columns=list(SIDES)).fillna(0).astype(int)
    too_few = answering < th.min_respondents_per_side
    pooled = types["pooled"].reindex(idx)
    host, partner = types["host"].reindex(idx), types["partner"].reindex(idx)
    mismatch = host.notna() & partner.notna() & (host != partner)
    sl = t.side_lists
    far = (sl[sl["gap"] >= th.no_fit_gap].groupby("engagement").size()
           .reindex(idx, fill_value=0) > 0) if len(sl) else pd.Series(False, index=idx)
    blocking = (flags[flags["blocking"].astype(bool)].groupby("engagement").size()
                .reindex(idx, fill_value=0)) if len(flags) else pd.Series(0, index=idx)
    blocking = blocking + mismatch.astype(int) + too_few.sum(axis=1)
    insufficient = (eng["completeness"] < th.completeness_min) | too_few.any(axis=1)
    alliance = pooled.isin(bank.relationship_types.alliance_forms)
    cause = np.select([insufficient.to_numpy(), ~alliance.to_numpy(), far.to_numpy(),
                       blocking.to_numpy() > 0], ["insufficient", "form", "far", "blocking"],
                      default="clear")
    out = pd.DataFrame({
        "verdict": pd.Series(cause, index=idx).map(CAUSE_VERDICT),
        "cause": cause,
        "relationship_type": pooled,
        "host_type": host,
        "partner_type": partner,
        "completeness": eng["completeness"],
        "respondents": eng["respondents"],
        "host_answering": answering["host"],
        "partner_answering": answering["partner"],
        "blocking_flags": blocking.astype(int),
        "results_visible": ~too_few.any(axis=1),
    }, index=idx)
    if len(sl):
        wide = sl.set_index(["engagement", "list"])[["host", "partner", "gap"]].unstack("list")
        wide.columns = [f"{lid}_{who}" for who, lid in wide.columns]
        out = out.join(wide)
    return out
