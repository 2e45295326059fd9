"""How firm a verdict is: does it (or the form) change if one answer moves by one point, or if
the lists weigh more or less in the form model?

For one engagement every single-answer change (each answered question, one point up and one
down) becomes a row of a batch; the batch is scored in one vectorised pass through the same
functions that decide the verdict (`forms.distances`, `forms.choose_from`,
`readiness.items_met`, `verdict.cause_levels`), so the answer is exact, not an estimate.
The weights are moved one at a time by the bank's band (each list's weight in the form model,
and the weight of the structure evidence, by +/- 25 % by default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bank import Bank
from ..presenting import wording as w
from .forms import FormSpec, answer_mismatch, choose_from, distances, form_spec, mismatch_from
from .model import AnswerChange, ClosestChange, Robustness, WeightChange
from .readiness import (
    TeamChecks,
    all_met,
    apply_contested,
    hobby_check,
    items_met,
    known_mean,
    sponsor_met,
    team_checks,
)
from .team import team_questions
from .verdict import DecisionInputs, cause_levels, side_status

WEIGHT_BAND = 0.25
RANK_NAMES = ("fit", "conditional", "no-fit")


@dataclass(frozen=True)
class _Change:
    person: int
    question: int
    old: int
    new: int


def _pair_mean_difference(x: np.ndarray) -> np.ndarray:
    """Mean |a - b| over pairs of known values along axis 1 ([B, n, L] -> [B, L]); 0 for < 2."""
    n = x.shape[1]
    if n < 2:
        return np.zeros((x.shape[0], x.shape[2]))
    i, j = np.triu_indices(n, 1)
    d = np.abs(x[:, i, :] - x[:, j, :])                    # [B, pairs, L]
    ok = ~np.isnan(d)
    cnt = ok.sum(axis=1)
    total = np.where(ok, d, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = np.where(cnt > 0, total / np.maximum(cnt, 1), 0.0)
    return out


class RobustnessCheck:
    """The robustness of one engagement's verdict and form."""

    def __init__(self, bank: Bank, d: DecisionInputs, row: int) -> None:
        self.bank = bank
        self.d = d
        self.row = row
        self.spec: FormSpec = form_spec(bank)
        self.dims = bank.dimension_ids()

    def run(self, answers: pd.DataFrame, roles: dict[str, str]) -> Robustness:
        """Check every one-point change of the engagement's answers and every weight move."""
        bank = self.bank
        qids = [q.id for q in bank.questions]
        a = answers[answers["question_id"].isin(qids) & ~answers["dont_know"].astype(bool)]
        a = a[pd.to_numeric(a["value"], errors="coerce").notna()]
        people = sorted(set(zip(a["side"], a["respondent"], strict=True)),
                        key=lambda sp: (sp[0] != "host", sp[1]))
        pidx = {r: k for k, (_, r) in enumerate(people)}
        side = np.array([s == "partner" for s, _ in people], dtype=int)
        n_p, n_q = len(people), len(qids)
        raw = np.full((n_p, n_q), np.nan)
        if len(a):
            qi = pd.Index(qids).get_indexer(a["question_id"])
            raw[[pidx[r] for r in a["respondent"]], qi] = a["value"].astype(float).to_numpy()
        changes = [_Change(p, q, int(raw[p, q]), int(raw[p, q]) + step)
                   for p in range(n_p) for q in range(n_q) if not np.isnan(raw[p, q])
                   for step in (-1, 1)
                   if bank.questions[q].scale.min <= raw[p, q] + step
                   <= bank.questions[q].scale.max]
        batch = np.repeat(raw[None], len(changes) + 1, axis=0)
        for b, c in enumerate(changes, start=1):
            batch[b, c.person, c.question] = c.new
        rank, label = self._decide(batch, side)
        base_rank, base_label = int(rank[0]), str(label[0])
        verdict_flips = [(c, int(rank[b + 1]), str(label[b + 1])) for b, c in enumerate(changes)
                         if rank[b + 1] != base_rank]
        form_flips = [(c, int(rank[b + 1]), str(label[b + 1])) for b, c in enumerate(changes)
                      if label[b + 1] != base_label]
        weight_flips = self._weights(raw, side, base_rank, base_label)
        sentence = None
        closest: ClosestChange | None = None
        if verdict_flips or form_flips:
            c, r, lab = (verdict_flips or form_flips)[0]
            sp, rid = people[c.person]
            q = bank.questions[c.question]
            sentence = w.answer_flip(sp, roles.get(rid, ""), q.text, c.old, c.new,
                                     RANK_NAMES[r], lab, r != base_rank)
            closest = AnswerChange(rid, q.id, c.old, c.new, RANK_NAMES[r], lab)
        elif weight_flips:
            what, more, r, lab = weight_flips[0]
            sentence = w.weight_flip(what, more, WEIGHT_BAND, RANK_NAMES[r], lab,
                                     r != base_rank)
            closest = WeightChange(what, 1 + (WEIGHT_BAND if more else -WEIGHT_BAND),
                                   RANK_NAMES[r], lab)
        return Robustness(
            verdict_stable=not verdict_flips and not any(r != base_rank
                                                         for _, _, r, _ in weight_flips),
            form_stable=not form_flips and not any(lab != base_label
                                                   for _, _, _, lab in weight_flips),
            closest_flip=sentence,
            answer_changes=len(changes),
            verdict_flips=len(verdict_flips),
            form_flips=len(form_flips),
            weight_changes=2 * (len(self.spec.dims) + 1),
            weight_flips=len(weight_flips),
            base_verdict=RANK_NAMES[base_rank],
            closest_change=closest,
        )

    # ---- the batch, scored like the verdict ------------------------------------------------
    def _state(self, batch: np.ndarray, side: np.ndarray) -> dict[str, np.ndarray]:
        """Every array the verdict reads, for each row of a batch of answer sets [B, P, Q]."""
        bank, spec = self.bank, self.spec
        qs = bank.questions
        lists = np.array([self.dims.index(q.list) if q.scored else -1 for q in qs])
        wts = np.array([q.weight for q in qs])
        lo = np.array([q.scale.min for q in qs], dtype=float)
        hi = np.array([q.scale.max for q in qs], dtype=float)
        rev = np.array([q.reverse for q in qs])
        pos = (batch - lo) / (hi - lo)
        fav = 100.0 * np.where(rev, 1.0 - pos, pos)             # [B, P, Q]
        n_l = len(self.dims)
        onehot = np.zeros((len(qs), n_l))
        scored = lists >= 0
        onehot[np.flatnonzero(scored), lists[scored]] = wts[scored]
        have = ~np.isnan(fav)
        num = np.where(have, fav, 0.0) @ onehot                 # [B, P, L]
        den = have.astype(float) @ onehot
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(den > 0, num / np.maximum(den, 1e-12), np.nan)
        sides = [np.flatnonzero(side == s) for s in (0, 1)]
        self._sides = sides
        side_scores = np.stack([known_mean(np.moveaxis(r[:, ix, :], 1, -1)) for ix in sides],
                               axis=1)                          # [B, 2, L]
        div = np.stack([_pair_mean_difference(r[:, ix, :]) for ix in sides], axis=1)
        # structure evidence
        qmap = {q.id: k for k, q in enumerate(qs)}
        sq = np.array([qmap[q] for q in spec.qids], dtype=int)
        sv = batch[:, :, sq]                                   # [B, P, Qf]
        mm = answer_mismatch(spec, np.arange(len(spec.qids)), sv)  # [B, P, Qf, F]
        side_m = np.stack([known_mean(np.moveaxis(mm[:, ix], 1, -1)) for ix in sides], axis=1)
        counts = np.stack([(~np.isnan(sv[:, ix])).sum(axis=1) for ix in sides], axis=1)
        # dense team answers [B, 2, P, K] for the team checks
        tq = [qmap[q] for q in team_questions(bank)]
        width = max((len(ix) for ix in sides), default=0)
        team = np.full((len(batch), 2, width, len(tq)), np.nan)
        for s_, ix in enumerate(sides):
            team[:, s_, :len(ix)] = batch[:, ix][:, :, tq]
        return {"fav": fav, "side_scores": side_scores, "div": div, "side_m": side_m,
                "counts": counts, "raw": batch, "team": team}

    def _levels(self, st: dict[str, np.ndarray], list_weight: np.ndarray | None = None,
                structure_scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        bank, spec, d, i = self.bank, self.spec, self.d, self.row
        ss = st["side_scores"]
        pooled = known_mean(np.moveaxis(ss, 1, -1))            # [B, L]
        dim_ix = [self.dims.index(x) for x in spec.dims]
        scores = np.stack([pooled, ss[:, 0], ss[:, 1]], axis=1)[:, :, dim_ix]
        side_m = st["side_m"]                                   # [B, 2, Qf, F]
        pooled_m = known_mean(np.moveaxis(side_m, 1, -1))
        mism = np.concatenate([pooled_m[:, None], side_m], axis=1)
        cnt = st["counts"]
        known = np.concatenate([(cnt.sum(axis=1) > 0)[:, None], cnt > 0], axis=1)
        dist = distances(spec, scores, mism, known, list_weight, structure_scale)
        fc = choose_from(dist.d2, dist.coverage, dist.readable, spec.alliance, spec.forms,
                         bank)
        mismatch = mismatch_from(dist.d2, fc, bank)
        gaps = np.abs(ss[:, 0] - ss[:, 1])
        share_ix = [self.dims.index(x) for x in bank.forms.axes.share]
        share = known_mean(ss[:, :, share_ix])
        ready, hobby, team = self._readiness(st)
        answering = np.broadcast_to(np.array([len(ix) for ix in self._sides]),
                                    (len(ss), 2))
        _, disputed, _ = side_status(bank, fc, dist.coverage, dist.readable, answering,
                                     mismatch)
        levels = cause_levels(bank, fc.labels[:, 0] == "other", fc.margin[:, 0], gaps,
                              st["div"], share, disputed, hobby, ready, dist.coverage[:, 0],
                              team.low_trust, team.any_dissent(), team.any_contested())
        insufficient = d.tables.engagements["completeness"].iat[i] < \
            bank.thresholds.completeness_min
        rank = levels.max(axis=1) if not insufficient else np.full(len(levels), -1)
        return rank, np.where(disputed, "disputed", fc.labels[:, 0])

    def _readiness(self, st: dict[str, np.ndarray]
                   ) -> tuple[np.ndarray, np.ndarray, TeamChecks]:
        bank, d, i = self.bank, self.d, self.row
        qmap = {q.id: k for k, q in enumerate(bank.questions)}
        fav, raw = st["fav"], st["raw"]
        sides = self._sides

        def side_means(values: np.ndarray) -> np.ndarray:   # [B, P, K] -> [B, 2, K]
            return np.stack([known_mean(np.moveaxis(values[:, ix], 1, -1)) for ix in sides],
                            axis=1)

        r = bank.readiness
        item_q = [qmap[x.question] for x in r.items]
        met = items_met(bank, side_means(fav[:, :, item_q]))
        sm = r.sponsor_match
        if sm is not None:
            level = side_means(raw[:, :, [qmap[sm.question]]])[..., 0]
            fallback = np.where(d.readiness.sponsor_from_role[i], d.readiness.sponsor_level[i],
                                np.nan)
            level = np.where(np.isnan(level), fallback, level)
        else:
            level = np.full(met.shape[:2], np.nan)
        trust = np.full(met.shape[:2], np.nan)
        if r.trust is not None:
            tq = [qmap[x] for x in r.trust.questions if x in qmap]
            trust = known_mean(side_means(fav[:, :, tq]))
        team = team_checks(bank, st["team"], trust)
        met, level = apply_contested(bank, team.qids, team.contested, met, level)
        spons = sponsor_met(bank, level)
        hb = r.hobby
        if hb is not None:
            prio = st["side_scores"][:, :, self.dims.index("priority")] \
                if "priority" in self.dims else np.full(met.shape[:2], np.nan)
            commit = known_mean(side_means(fav[:, :, [qmap[x] for x in
                                                     hb.commitment_questions]]))
            hobby = hobby_check(bank, prio, commit)
        else:
            hobby = np.zeros(met.shape[:2], dtype=bool)
        return all_met(bank, met, spons, hobby), hobby, team

    def _decide(self, batch: np.ndarray, side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._levels(self._state(batch, side))

    def _weights(self, raw: np.ndarray, side: np.ndarray, base_rank: int, base_label: str
                 ) -> list[tuple[str, bool, int, str]]:
        st = self._state(raw[None], side)
        flips = []
        titles = {lst.id: w.lower_noun(lst.title) for lst in self.bank.lists}
        n = len(self.spec.dims)
        for k, lid in enumerate([*self.spec.dims, None]):
            for more in (True, False):
                factor = 1 + WEIGHT_BAND if more else 1 - WEIGHT_BAND
                lw = np.ones(n)
                scale = 1.0
                if lid is None:
                    scale = factor
                else:
                    lw[k] = factor
                rank, label = self._levels(st, lw, scale)
                if int(rank[0]) != base_rank or str(label[0]) != base_label:
                    what = titles[lid] if lid else w._(w.STRUCTURE_EVIDENCE)
                    flips.append((what, more, int(rank[0]), str(label[0])))
        return flips
