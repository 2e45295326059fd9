"""Form of relationship: the nearest form profile of the bank, for every engagement at once.

Each form is a profile in the bank: typical list scores and typical answers to the structure
(evidence) questions. For the pooled answers and for each side, the squared distance to every
form is a weighted mix of

* the profile part: mean over the form's lists of ((score - typical) / 100) squared, and
* the structure part: per structure question, how far the answers lie from the form's typical
  range (in scale points, divided by the bank's tolerance, capped at 1), squared.

The structure part only counts questions somebody answered, and the denominator shrinks with
it, so when the structure is unknown the profile alone decides. A form that `requires` a
question (a joint venture needs evidence of shared ownership) is ruled out unless some answer
to it lies within reach of the form's range (for a joint venture: a 4 or a 5 on shared
ownership). No cascade of rules: apart from that gate, the distances change smoothly with the
answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..bank import Bank
from .tables import ScoreTables

WHO = ("pooled", "host", "partner")


@dataclass(frozen=True)
class FormTable:
    """Distances and their parts, indexed [engagement, who, form] (who: pooled, host, partner)."""

    engagements: list[str]
    forms: list[str]
    dims: list[str]
    structure_ids: list[str]
    d2: np.ndarray             # [E, 3, F] squared distance (inf: ruled out)
    list_part: np.ndarray      # [E, 3, F, L] each list's share of d2
    struct_part: np.ndarray    # [E, 3, F, Q] each structure question's share of d2
    scores: np.ndarray         # [E, 3, L] list scores used
    struct_mean: np.ndarray    # [E, 3, Q] mean raw answer (side-balanced for pooled)
    struct_count: np.ndarray   # [E, 3, Q] number of answers
    coverage: np.ndarray       # [E, 3] share of structure questions answered
    readable: np.ndarray       # [E, 3] every profile list has a score
    alliance: np.ndarray       # [F] bool
    votes: np.ndarray = field(default_factory=lambda: np.zeros((0, 3, 0, 0)))
    # [E, 3, Q, P] number of answers at each scale point (offset from the first point)

    def index(self, engagement: str) -> int:
        """Row of one engagement."""
        return self.engagements.index(engagement)


@dataclass(frozen=True)
class FormChoice:
    """The decision read from the distances, [engagement, who]."""

    best: np.ndarray          # [E, 3] form index (-1: other)
    second: np.ndarray        # [E, 3] runner-up index (-1: none)
    prob: np.ndarray          # [E, 3, F]
    confidence: np.ndarray    # [E, 3]
    margin: np.ndarray        # [E, 3] best non-alliance d2 - best alliance d2
    labels: np.ndarray        # [E, 3] form id or "other"


def _side_scores(t: ScoreTables, engagements: list[str], dims: list[str]) -> np.ndarray:
    out = np.full((len(engagements), 3, len(dims)), np.nan)
    sl = t.side_lists
    if not len(sl):
        return out
    e = pd.Index(engagements).get_indexer(sl["engagement"])
    li = pd.Index(dims).get_indexer(sl["list"])
    ok = (e >= 0) & (li >= 0)
    for w, col in enumerate(WHO):
        out[e[ok], w, li[ok]] = sl[col].to_numpy(dtype=float)[ok]
    return out


def _mean_over_sides(x: np.ndarray) -> np.ndarray:
    """Mean over axis 1 (the two sides) of the sides that have a value; NaN when neither."""
    have = ~np.isnan(x)
    n = have.sum(axis=1)
    total = np.where(have, x, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def _structure(t: ScoreTables, spec: FormSpec, engagements: list[str]
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mismatch [E, 3, Q, F], mean answer [E, 3, Q], answer count [E, 3, Q] and the count
    of answers at each point [E, 3, Q, P]."""
    n_e, n_q, n_f = len(engagements), len(spec.qids), len(spec.forms)
    s = t.structure
    s = s[s["question_id"].isin(spec.qids)] if len(s) else s
    e = pd.Index(engagements).get_indexer(s["engagement"]) if len(s) else np.zeros(0, int)
    q = pd.Index(spec.qids).get_indexer(s["question_id"]) if len(s) else np.zeros(0, int)
    side = (s["side"].to_numpy() == "partner").astype(np.int64) if len(s) else np.zeros(0, int)
    v = s["value"].to_numpy(dtype=float) if len(s) else np.zeros(0)
    ok = e >= 0
    e, q, side, v = e[ok], q[ok], side[ok], v[ok]
    mm = answer_mismatch(spec, q, v)                                   # [A, F]
    size = n_e * 2 * n_q
    key = (e * 2 + side) * n_q + q
    count = np.bincount(key, minlength=size).astype(float)
    vsum = np.bincount(key, weights=v, minlength=size)
    msum = np.stack([np.bincount(key, weights=np.nan_to_num(mm[:, f]), minlength=size)
                     for f in range(n_f)], axis=-1) if len(key) else np.zeros((size, n_f))
    with np.errstate(invalid="ignore", divide="ignore"):
        side_m = np.where(count[:, None] > 0, msum / np.maximum(count, 1)[:, None], np.nan)
        side_v = np.where(count > 0, vsum / np.maximum(count, 1), np.nan)
    side_m = side_m.reshape(n_e, 2, n_q, n_f)
    side_v = side_v.reshape(n_e, 2, n_q)
    side_c = count.reshape(n_e, 2, n_q)
    side_m = np.where(np.isnan(spec.lo)[None, None], np.nan, side_m)
    n_p = spec.table.shape[1]
    point = np.clip((v - spec.qmin[q]).astype(np.int64), 0, n_p - 1) if len(q) else q
    votes = np.bincount(key * n_p + point, minlength=size * n_p).reshape(n_e, 2, n_q, n_p)
    return (pool_sides(side_m), pool_sides(side_v), pool_sides(side_c, total=True),
            pool_sides(votes.astype(float), total=True))


def pool_sides(x: np.ndarray, total: bool = False) -> np.ndarray:
    """[N, 2, ...] per side -> [N, 3, ...]: pooled (mean of the sides that have a value, or
    the sum when `total`) followed by host and partner."""
    pooled = x.sum(axis=1) if total else _mean_over_sides(x)
    out: np.ndarray = np.concatenate([pooled[:, None], x], axis=1)
    return out


@dataclass(frozen=True)
class FormSpec:
    """The bank's form profiles as arrays: typical scores, structure ranges, requirements."""

    forms: list[str]
    dims: list[str]
    qids: list[str]
    target: np.ndarray    # [F, L] typical list score (NaN: the form does not name the list)
    lo: np.ndarray        # [Q, F] typical range of each structure question
    hi: np.ndarray        # [Q, F]
    requires: np.ndarray  # [F, Q] bool
    alliance: np.ndarray  # [F] bool
    tolerance: float
    profile_weight: float
    structure_weight: float
    table: np.ndarray     # [Q, P, F] mismatch of each scale point (offset from qmin) per form
    qmin: np.ndarray      # [Q] first point of each structure question's scale
    categorical: np.ndarray  # [Q] bool: the options are categories that vote


def form_spec(bank: Bank) -> FormSpec:
    """The arrays of the bank's form model."""
    model = bank.forms
    forms: list[str] = [p.id for p in model.profiles]
    dims = [d for d in bank.dimension_ids() if any(d in p.lists for p in model.profiles)]
    qids = model.form_questions()
    n_f, n_l, n_q = len(forms), len(dims), len(qids)
    target = np.full((n_f, n_l), np.nan)
    lo = np.full((n_q, n_f), np.nan)
    hi = np.full((n_q, n_f), np.nan)
    requires = np.zeros((n_f, n_q), dtype=bool)
    for fi, form in enumerate(forms):
        prof = model.profile(form)
        for lid, v in prof.lists.items():
            target[fi, dims.index(lid)] = v
        for qid, t in prof.structure.items():
            lo[qids.index(qid), fi], hi[qids.index(qid), fi] = t.low, t.high
        for qid in prof.requires:
            requires[fi, qids.index(qid)] = True
    alliance = np.asarray([f in model.alliance_forms for f in forms], dtype=bool)
    qs = [bank.question_map[q] for q in qids]
    qmin = np.array([q.scale.min for q in qs], dtype=float)
    n_p = max((q.scale.max - q.scale.min + 1 for q in qs), default=1)
    table = np.full((n_q, n_p, n_f), np.nan)
    categorical = np.zeros(n_q, dtype=bool)
    for k, q in enumerate(qs):
        points = np.arange(q.scale.min, q.scale.max + 1, dtype=float)
        if q.categories is not None:
            # a category votes: 0 for the forms its option names, 1 for every other form
            categorical[k] = True
            for p, point in enumerate(q.scale.points):
                named: set[str] = set(q.categories.get(point, []))
                table[k, p] = np.array([0.0 if f in named else 1.0 for f in forms])
            continue
        col = points[:, None]
        off = np.maximum(lo[k] - col, 0) + np.maximum(col - hi[k], 0)      # [P, F]
        table[k, :len(points)] = np.minimum(off / model.structure_tolerance, 1.0)
    # a form that names no target on a question takes no part in it (as in version 2)
    table = np.where(np.isnan(lo)[:, None, :], np.nan, table)
    return FormSpec(forms, dims, qids, target, lo, hi, requires, alliance,
                    model.structure_tolerance, model.profile_weight, model.structure_weight,
                    table, qmin, categorical)


def answer_mismatch(spec: FormSpec, q: np.ndarray, value: np.ndarray) -> np.ndarray:
    """[..., F] how far each structure answer lies from each form (0-1): outside its typical
    range for a degree question, 0 or 1 (a vote) for a category question. NaN: no answer."""
    q = np.broadcast_to(q, value.shape)
    have = ~np.isnan(value)
    p = np.where(have, value - spec.qmin[q], 0).astype(np.int64)
    p = np.clip(p, 0, spec.table.shape[1] - 1)
    out: np.ndarray = np.where(have[..., None], spec.table[q, p], np.nan)
    return out


@dataclass(frozen=True)
class Distances:
    """Squared distances [N, W, F] and the share of each list and structure question."""

    d2: np.ndarray
    list_part: np.ndarray    # [N, W, F, L]
    struct_part: np.ndarray  # [N, W, F, Q]
    coverage: np.ndarray     # [N, W]
    readable: np.ndarray     # [N, W]


def distances(spec: FormSpec, scores: np.ndarray, mism: np.ndarray, known: np.ndarray,
              list_weight: np.ndarray | None = None, structure_scale: float = 1.0
              ) -> Distances:
    """Distances to every form from list scores [N, W, L] and structure mismatch [N, W, Q, F].

    `list_weight` [L] and `structure_scale` let the robustness check move the weights.
    """
    named = ~np.isnan(spec.target)                                     # [F, L]
    lw = np.ones(len(spec.dims)) if list_weight is None else list_weight
    diff2 = ((scores[..., None, :] - spec.target) / 100.0) ** 2        # [N, W, F, L]
    diff2 = np.nan_to_num(np.where(named, diff2, 0.0), nan=0.0) * lw
    n_named = np.maximum((named * lw).sum(axis=1), 1e-9)               # [F]
    readable = ~np.isnan(np.where(named.any(axis=0), scores, 0.0)).any(axis=-1)
    wp, ws = spec.profile_weight, spec.structure_weight * structure_scale
    list_part = wp * diff2 / n_named[:, None]
    n_q = len(spec.qids)
    coverage = known.mean(axis=-1) if n_q else np.zeros(scores.shape[:-1])
    m = np.swapaxes(mism, -1, -2)                                      # [N, W, F, Q]
    m_used = np.where(np.isnan(m), np.where(spec.requires, 1.0, 0.0), m)
    struct_part = (ws / max(n_q, 1)) * m_used ** 2
    den = (wp + ws * coverage)[..., None]
    d2 = (list_part.sum(axis=-1) + struct_part.sum(axis=-1)) / den
    # a form that requires evidence is ruled out when no answer supports it at all
    support = np.where(np.isnan(m), 0.0, 1.0 - m)
    lacking = (spec.requires & (support <= 0)).any(axis=-1)
    d2 = np.where(lacking, np.inf, d2)
    return Distances(d2, list_part / den[..., None], struct_part / den[..., None], coverage,
                     np.asarray(readable))


def form_table(t: ScoreTables, bank: Bank, engagements: list[str]) -> FormTable:
    """Every engagement's distance to every form, pooled and per side."""
    spec = form_spec(bank)
    scores = _side_scores(t, engagements, spec.dims)                    # [E, 3, L]
    mism, mean, cnt, votes = _structure(t, spec, engagements)           # [E, 3, Q, F]
    dist = distances(spec, scores, mism, cnt > 0)
    return FormTable(engagements, spec.forms, spec.dims, spec.qids, dist.d2, dist.list_part,
                     dist.struct_part, scores, mean, cnt, dist.coverage, dist.readable,
                     spec.alliance, votes)


def choose(ft: FormTable, bank: Bank) -> FormChoice:
    """Nearest form, runner-up, probabilities, confidence and alliance margin."""
    return choose_from(ft.d2, ft.coverage, ft.readable, ft.alliance, ft.forms, bank)


def choose_from(d2: np.ndarray, coverage: np.ndarray, readable: np.ndarray,
                alliance: np.ndarray, forms: list[str], bank: Bank) -> FormChoice:
    """The decision read from distances [N, W, F] (what `choose` does, on bare arrays)."""
    model = bank.forms
    order = np.argsort(d2, axis=2, kind="stable")
    best, second = order[..., 0], order[..., 1]
    finite = np.isfinite(d2)
    logits = np.where(finite, -d2 / model.temperature, -np.inf)
    logits = logits - logits.max(axis=2, keepdims=True)
    ex = np.exp(logits)
    prob = ex / ex.sum(axis=2, keepdims=True)
    top = np.take_along_axis(prob, best[..., None], axis=2)[..., 0]
    u = model.unknown_structure_confidence
    confidence = top * (u + (1 - u) * coverage)
    with np.errstate(invalid="ignore"):
        best_all = np.where(alliance, d2, np.inf).min(axis=2)
        best_non = np.where(~alliance, d2, np.inf).min(axis=2)
        margin = best_non - best_all
    second = np.where(np.take_along_axis(finite, second[..., None], axis=2)[..., 0], second, -1)
    best = np.where(readable, best, -1)
    second = np.where(readable, second, -1)
    names = np.array([*forms, "other"], dtype=object)
    labels = names[best]
    confidence = np.where(readable, confidence, 0.0)
    return FormChoice(best, second, prob, confidence, margin, labels)


def side_mismatch(ft: FormTable, fc: FormChoice, bank: Bank) -> np.ndarray:
    """[E] how clearly each side prefers its own form over the other side's (0: no mismatch)."""
    return mismatch_from(ft.d2, fc, bank)


def mismatch_from(d2: np.ndarray, fc: FormChoice, bank: Bank) -> np.ndarray:
    """`side_mismatch` on bare distances [N, 3, F]."""
    hb, pb = fc.best[:, 1], fc.best[:, 2]
    rows = np.arange(len(hb))
    valid = (hb >= 0) & (pb >= 0) & (hb != pb)
    hb0, pb0 = np.maximum(hb, 0), np.maximum(pb, 0)
    h_pref = d2[rows, 1, pb0] - d2[rows, 1, hb0]
    p_pref = d2[rows, 2, hb0] - d2[rows, 2, pb0]
    strength = np.minimum(h_pref, p_pref)
    strength = np.where(np.isfinite(strength), strength, 1.0)
    margin = bank.forms.mismatch_margin
    out: np.ndarray = np.where(valid & (strength >= margin), strength, 0.0)
    return out
