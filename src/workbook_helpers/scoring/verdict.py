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
  missing or unknown on a side, or a hobby alliance (which counts here too) (1);
* the form is also at least 1 when the bank asks about the structure of the deal but fewer
  than `min_structure_coverage` of those questions have answers: a fit waits for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bank import Bank
from ..domain import SIDES
from .expectations import ExpectationTables
from .forms import FormChoice, FormTable
from .readiness import ReadinessTable
from .tables import ScoreTables

VERDICTS = np.array(["fit", "conditional", "no-fit"], dtype=object)
CAUSES = ("form", "far", "share", "blocking", "readiness", "form-dispute", "low-trust",
          "lone-dissent", "contested-fact", "major-gap", "hobby")
# causes that only order the things to resolve; the verdict names them "blocking"
CAUSE_NAMES = {"major-gap": "blocking", "hobby": "blocking"}


@dataclass(frozen=True)
class DecisionInputs:
    """Everything the verdict reads, computed once for all engagements."""

    tables: ScoreTables
    flags: pd.DataFrame
    forms: FormTable
    choice: FormChoice
    mismatch: np.ndarray
    readiness: ReadinessTable
    expectations: ExpectationTables


def cause_levels(bank: Bank, unreadable: np.ndarray, margin: np.ndarray, gaps: np.ndarray,
                 div: np.ndarray, share: np.ndarray, disputed: np.ndarray, hobby: np.ndarray,
                 ready: np.ndarray, coverage: np.ndarray | None = None,
                 low_trust: np.ndarray | None = None, dissent: np.ndarray | None = None,
                 contested: np.ndarray | None = None) -> np.ndarray:
    """[N, 9] the level (0, 1, 2) of each cause in CAUSES, from bare arrays.

    `gaps` [N, L] and `div` [N, 2, L] are the cross-side gaps and each team's divergence per
    list, `share` [N, 2] each side's willingness to share, `hobby` [N, 2] the hobby check,
    `ready` [N] every readiness condition met, `disputed` [N] each side clearly pictures a
    different form, `low_trust`, `dissent` and `contested` [N] the version-3 team checks.
    The robustness check calls it on perturbed copies of one engagement, the verdict on every
    engagement. While the form is disputed no cause can say more than "conditional": which
    deal to judge is not settled yet.
    """
    th = bank.thresholds
    n = len(margin)
    no = np.zeros(n, dtype=bool)
    disputed = np.asarray(disputed, dtype=bool)
    low_trust = no if low_trust is None else low_trust
    dissent = no if dissent is None else dissent
    contested = no if contested is None else contested
    form_level = np.where(unreadable, 1, np.where(margin >= bank.forms.clear_margin, 0,
                                                  np.where(margin > 0, 1, 2)))
    if coverage is not None and bank.forms.form_questions():
        form_level = np.maximum(form_level,
                                (coverage < bank.forms.min_structure_coverage).astype(int))
    g = np.nan_to_num(gaps, nan=0.0)
    # far apart: only on the lists that say what the deal is and what each side will share
    # (the form model's lists); a gap in priority or resourcing is a thing to resolve
    form_lists = np.array([d in bank.forms.profile_lists() for d in bank.dimension_ids()],
                          dtype=bool)
    far_level = np.where(((g >= th.no_fit_gap) & form_lists).sum(axis=-1) >= th.far_lists,
                         2, 0)
    major = (g >= th.no_fit_gap).any(axis=-1)
    low_share = np.nan_to_num(share, nan=101.0).min(axis=-1)
    share_level = np.where(low_share < th.share_nothing, 2,
                           np.where(low_share < th.share_low, 1, 0))
    split = (np.nan_to_num(div, nan=0.0) >= th.internal_divergence).any(axis=(-1, -2))
    blocking = (g >= th.cross_side_gap).any(axis=-1) | split | hobby.any(axis=-1)
    out: np.ndarray = np.stack([form_level, far_level, share_level,
                                blocking.astype(int), np.where(ready, 0, 1),
                                disputed.astype(int), low_trust.astype(int),
                                dissent.astype(int), contested.astype(int),
                                major.astype(int), hobby.any(axis=-1).astype(int)], axis=-1)
    out = np.where(disputed[:, None], np.minimum(out, 1), out)
    return out


# which cause names the verdict when several share the top level: for a no-fit, another form
# fitting better comes first; for a conditional, the sides' picture of the deal, then trust,
# then each team's own agreement, then the things to resolve between the sides
TIE_ORDER = {2: ("form", "far", "share"),
             1: ("form-dispute", "low-trust", "lone-dissent", "contested-fact", "major-gap",
                 "hobby", "readiness", "blocking", "form", "share")}


def top_cause(levels: np.ndarray) -> np.ndarray:
    """[N] the cause that sets each verdict (of the causes at the highest level)."""
    top = levels.max(axis=-1)
    out = np.array(["clear"] * len(levels), dtype=object)
    for level, order in TIE_ORDER.items():
        for kind in reversed(order):
            hit = (top == level) & (levels[:, CAUSES.index(kind)] == level)
            out = np.where(hit, CAUSE_NAMES.get(kind, kind), out)
    return out


def side_status(bank: Bank, fc: FormChoice, coverage: np.ndarray, readable: np.ndarray,
                answering: np.ndarray, mismatch: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each side's own picture [N, 2] (known or not), whether it is disputed [N] and the
    status [N] ('agreed', 'disputed', 'unclear').

    `coverage` and `readable` are [N, 3] (pooled, host, partner), `answering` [N, 2] the
    people answering per side, `mismatch` [N] how clearly each side prefers its own form.
    """
    has_structure = bool(bank.forms.form_questions())
    minimum = bank.forms.min_structure_coverage if has_structure else 0.0
    side_known = (answering > 0) & readable[:, 1:] & (coverage[:, 1:] >= minimum) & \
        (fc.best[:, 1:] >= 0)
    disputed = side_known.all(axis=1) & (mismatch > 0)
    unclear = ~readable[:, 0] | (has_structure & (coverage[:, 0] < minimum))
    status = np.where(disputed, "disputed", np.where(unclear, "unclear", "agreed"))
    return side_known, disputed, status


def _wide(sl: pd.DataFrame, engagements: list[str], dims: list[str], col: str) -> np.ndarray:
    """[E, L] one column of the side-list table, engagements by dimensions (NaN: none)."""
    out = np.full((len(engagements), len(dims)), np.nan)
    if len(sl):
        e = pd.Index(engagements).get_indexer(sl["engagement"])
        li = pd.Index(dims).get_indexer(sl["list"])
        ok = (e >= 0) & (li >= 0)
        out[e[ok], li[ok]] = sl[col].to_numpy(dtype=float)[ok]
    return out


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
    th, t = bank.thresholds, d.tables
    eng = t.engagements.set_index("engagement")
    idx = eng.index
    engagements = list(idx)
    answering, too_few, insufficient = _enough_answers(t.respondents, eng, bank)

    fc, sl, dims = d.choice, t.side_lists, bank.dimension_ids()
    pooled_label, margin = fc.labels[:, 0], fc.margin[:, 0]
    gaps = _wide(sl, engagements, dims, "gap")                                  # [E, L]
    div = np.stack([_wide(sl, engagements, dims, f"{s}_divergence") for s in SIDES], axis=1)
    share = share_axis(t, bank, engagements)
    hobby = d.readiness.hobby
    ready = d.readiness.all_met(bank)
    team = d.readiness.team
    side_known, disputed, status = side_status(
        bank, fc, d.forms.coverage, d.forms.readable, answering[list(SIDES)].to_numpy(),
        d.mismatch)
    levels = cause_levels(bank, pooled_label == "other", margin, gaps, div, share, disputed,
                          hobby, ready, d.forms.coverage[:, 0],
                          team.low_trust if team is not None else None,
                          team.any_dissent() if team is not None else None,
                          team.any_contested() if team is not None else None)
    pooled_label = np.where(disputed, "disputed", pooled_label)
    list_blocking = _blocking_flags(d.flags, idx)
    top = levels.max(axis=1)
    cause = top_cause(levels)
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
        "host_known": side_known[:, 0],
        "partner_known": side_known[:, 1],
        "form_status": status,
        "disputed": disputed,
        "low_trust": team.low_trust if team is not None else np.zeros(len(idx), bool),
        "type_mismatch": np.where(disputed, d.mismatch, 0.0),
        "completeness": eng["completeness"].to_numpy(),
        "respondents": eng["respondents"].to_numpy(),
        "host_answering": answering["host"].to_numpy(),
        "partner_answering": answering["partner"].to_numpy(),
        "blocking_flags": (list_blocking + disputed + hobby.any(axis=1)).astype(int),
        "readiness_met": ready,
        "results_visible": ~too_few.any(axis=1),
        "far_lists": (np.nan_to_num(gaps, nan=0.0) >= th.no_fit_gap).sum(axis=1),
        "host_share": share[:, 0],
        "partner_share": share[:, 1],
        **{f"level_{c}": levels[:, i] for i, c in enumerate(CAUSES)},
    }, index=idx)
    return _with_list_scores(out, sl)


def _blocking_flags(flags: pd.DataFrame, idx: pd.Index) -> np.ndarray:
    """How many blocking list and question flags each engagement has."""
    if not len(flags):
        return np.zeros(len(idx))
    counts: np.ndarray = (flags[flags["blocking"].astype(bool)].groupby("engagement").size()
                          .reindex(idx, fill_value=0).to_numpy())
    return counts


def _with_list_scores(out: pd.DataFrame, sl: pd.DataFrame) -> pd.DataFrame:
    """The summary with each list's host, partner and gap scores as `<list>_<who>` columns."""
    if not len(sl):
        return out
    wide = sl.set_index(["engagement", "list"])[["host", "partner", "gap"]].unstack("list")
    wide.columns = [f"{lid}_{who}" for who, lid in wide.columns]
    return out.join(wide)


def _enough_answers(people: pd.DataFrame, eng: pd.DataFrame, bank: Bank
                    ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Per engagement: how many people answer on each side, whether a side has too few,
    and whether the answers are insufficient for a verdict."""
    th = bank.thresholds
    idx = eng.index
    answering = (people[people["answered"] > 0].groupby(["engagement", "side"]).size()
                 .unstack("side") if len(people) else pd.DataFrame(index=idx))
    answering = answering.reindex(index=idx, columns=list(SIDES)).fillna(0).astype(int)
    too_few = (answering < th.min_respondents_per_side).to_numpy()
    # each side must have answered enough on its own: one full side does not make up for
    # a side that answered only a few questions
    side_done = (people.groupby(["engagement", "side"])[["answered", "expected"]].sum()
                 if len(people) else pd.DataFrame(columns=["answered", "expected"]))
    side_comp = (side_done["answered"] / side_done["expected"].where(side_done["expected"] > 0)
                 ).unstack("side") if len(side_done) else pd.DataFrame(index=idx)
    side_comp = side_comp.reindex(index=idx, columns=list(SIDES)).fillna(0.0).to_numpy()
    insufficient = (eng["completeness"] < th.completeness_min).to_numpy() | \
        too_few.any(axis=1) | (side_comp < th.completeness_min).any(axis=1)
    return answering, too_few, insufficient


def _side_label(answering: np.ndarray, labels: np.ndarray) -> list[str | None]:
    """A side's own form, or None when nobody on that side has answered."""
    return [str(lab) if n > 0 else None for n, lab in zip(answering, labels, strict=True)]


def fc_label(d: DecisionInputs, row: int) -> str | None:
    """The pooled runner-up form of one engagement (None when there is none)."""
    i = int(d.choice.second[row, 0])
    return d.forms.forms[i] if i >= 0 else None
