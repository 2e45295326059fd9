"""The verdict for every engagement at once: one row per engagement, fully vectorised.

This is the single place the verdict is decided. Every cause has a level (0 fit, 1 conditional,
2 no-fit) and the verdict is the highest level found, so that no single cause can jump two
steps at once:

* form: the nearest form is an alliance form by a clear margin (0), by a small margin or not
  readable (1), or another form is nearer (2);
* far: the sides are far apart (`no_fit_gap`) on `far_lists` lists or more (2);
* share: a side is willing to share almost nothing (2) or very little (1);
* blocking: a gap between the sides, a split team, the two sides picturing different forms,
  a hobby alliance (1);
* readiness: a dedicated manager, an active sponsor of matching seniority or a committed budget
  missing or unknown on a side (1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bank import Bank
from .forms import FormChoice, FormTable
from .readiness import ReadinessTable
from .tables import SIDES, ScoreTables

VERDICTS = np.array(["fit", "conditional", "no-fit"], dtype=object)
CAUSES = ("form", "far", "share", "blocking", "readiness")


@dataclass(frozen=True)
class DecisionInputs:
    """Everything the verdict reads, computed once for all engagements."""

    tables: ScoreTables
    flags: pd.DataFrame
    forms: FormTable
    choice: FormChoice
    mismatch: np.ndarray
    readiness: ReadinessTable


def share_axis(t: ScoreTables, bank: Bank, engagements: list[str]) -> np.ndarray:
    """[E, 2] each side's willingness to share (mean of the fit map's share lists)."""
    ids = bank.forms.axes.share
    sl = t.side_lists
    out = np.full((len(engagements), 2, len(ids)), np.nan)
    if len(sl):
        sl = sl[sl["list"].isin(ids)]
        e = pd.Index(engagements).get_indexer(sl["engagement"])
        li = pd.Index(ids).get_indexer(sl["list"])
        for s, side in enumerate(SIDES):
            out[e, s, li] = sl[side].to_numpy(dtype=float)
    have = ~np.isnan(out)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(have.any(axis=2), np.where(have, out, 0).sum(axis=2)
                        / np.maximum(have.sum(axis=2), 1), np.nan)


def summarise(d: DecisionInputs, bank: Bank) -> pd.DataFrame:
    """Verdict, the level of every cause, the forms and the list scores of every engagement."""
    th = bank.thresholds
    t = d.tables
    eng = t.engagements.set_index("engagement")
    idx = eng.index
    engagements = list(idx)
    people = t.respondents
    answering = (people[people["answered"] > 0].groupby(["engagement", "side"]).size()
                 .unstack("side") if len(people) else pd.DataFrame(index=idx))
    answering = answering.reindex(index=idx, columns=list(SIDES)).fillna(0).astype(int)
    too_few = (answering < th.min_respondents_per_side).to_numpy()
    insufficient = (eng["completeness"] < th.completeness_min).to_numpy() | too_few.any(axis=1)

    fc = d.choice
    pooled_label = fc.labels[:, 0]
    margin = fc.margin[:, 0]
    form_level = np.where(pooled_label == "other", 1,
                          np.where(margin >= bank.forms.clear_margin, 0,
                                   np.where(margin > 0, 1, 2)))
    sl = t.side_lists
    far_count = (sl[sl["gap"] >= th.no_fit_gap].groupby("engagement").size()
                 .reindex(idx, fill_value=0).to_numpy()) if len(sl) else np.zeros(len(idx), int)
    far_level = np.where(far_count >= th.far_lists, 2, 0)
    share = share_axis(t, bank, engagements)
    low_share = np.nan_to_num(share, nan=101.0).min(axis=1)
    share_level = np.where(low_share < th.share_nothing, 2,
                           np.where(low_share < th.share_low, 1, 0))
    fl = d.flags
    list_blocking = (fl[fl["blocking"].astype(bool)].groupby("engagement").size()
                     .reindex(idx, fill_value=0).to_numpy()) if len(fl) else np.zeros(len(idx))
    hobby = d.readiness.hobby.any(axis=1)
    blocking_count = list_blocking + (d.mismatch > 0) + hobby
    blocking_level = np.where(blocking_count > 0, 1, 0)
    ready = d.readiness.all_met(bank)
    readiness_level = np.where(ready, 0, 1)
    levels = np.stack([form_level, far_level, share_level, blocking_level, readiness_level],
                      axis=1)
    top = levels.max(axis=1)
    cause = np.array(CAUSES, dtype=object)[levels.argmax(axis=1)]
    verdict = np.where(insufficient, "insufficient-data", VERDICTS[top])
    cause = np.where(insufficient, "insufficient", np.where(top == 0, "clear", cause))
    out = pd.DataFrame({
        "verdict": verdict,
        "cause": cause,
        "relationship_type": pooled_label,
        "runner_up": [fc_label(d, i) for i in range(len(idx))],
        "confidence": fc.confidence[:, 0],
        "alliance_margin": margin,
        "host_type": _side_label(answering["host"].to_numpy(), fc.labels[:, 1]),
        "partner_type": _side_label(answering["partner"].to_numpy(), fc.labels[:, 2]),
        "type_mismatch": d.mismatch,
        "completeness": eng["completeness"].to_numpy(),
        "respondents": eng["respondents"].to_numpy(),
        "host_answering": answering["host"].to_numpy(),
        "partner_answering": answering["partner"].to_numpy(),
        "blocking_flags": blocking_count.astype(int),
        "readiness_met": ready,
        "results_visible": ~too_few.any(axis=1),
        "far_lists": far_count,
        "host_share": share[:, 0],
        "partner_share": share[:, 1],
        **{f"level_{c}": levels[:, i] for i, c in enumerate(CAUSES)},
    }, index=idx)
    if len(sl):
        wide = sl.set_index(["engagement", "list"])[["host", "partner", "gap"]].unstack("list")
        wide.columns = [f"{lid}_{who}" for who, lid in wide.columns]
        out = out.join(wide)
    return out


def _side_label(answering: np.ndarray, labels: np.ndarray) -> list[str | None]:
    """A side's own form, or None when nobody on that side has answered."""
    return [str(lab) if n > 0 else None for n, lab in zip(answering, labels, strict=True)]


def fc_label(d: DecisionInputs, row: int) -> str | None:
    """The pooled runner-up form of one engagement (None when there is none)."""
    i = int(d.choice.second[row, 0])
    return d.forms.forms[i] if i >= 0 else None
