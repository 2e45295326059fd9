"""Checks inside one side's team (version 3): a lone dissenter, a contested fact, trust.

They read a dense array of raw answers [N, 2, P, K] (engagements or a robustness batch, side,
person within the side, question), NaN where a person has not answered, so that the verdict
and the robustness check use one and the same arithmetic.
"""

from __future__ import annotations

import numpy as np

from ..bank import Bank


def team_questions(bank: Bank) -> list[str]:
    """The questions the team checks read: lone-dissent questions and fact questions."""
    wanted = set(bank.dissent_questions) | {q.id for q in bank.questions if q.fact}
    return [q.id for q in bank.questions if q.id in wanted]


def lone_dissent(raw: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """[N, 2, K] distance of a lone dissenter from the mean of the rest of the team, and
    [N, 2, K] the dissenter's position on the person axis (-1: none).

    A lone dissenter is the lowest or highest answer of a team of three or more, at least
    `threshold` scale points from the mean of the others, while the others lie within less
    than `threshold` of each other (so it is one person, not a split team).
    """
    if raw.shape[2] == 0 or raw.shape[3] == 0:
        none = np.zeros(raw.shape[:2] + raw.shape[3:])
        return none, np.full(none.shape, -1, dtype=np.int64)
    have = ~np.isnan(raw)
    n = have.sum(axis=2)                                              # [N, 2, K]
    order = np.argsort(np.where(have, raw, np.inf), axis=2, kind="stable")
    srt = np.take_along_axis(raw, order, axis=2)                      # NaN last
    total = np.where(have, raw, 0.0).sum(axis=2)
    last = np.maximum(n - 1, 0)[:, :, None, :]
    lo = srt[:, :, 0]
    lo2 = srt[:, :, 1] if raw.shape[2] > 1 else lo
    hi = np.take_along_axis(srt, last, axis=2)[:, :, 0]
    hi2 = np.take_along_axis(srt, np.maximum(last - 1, 0), axis=2)[:, :, 0]
    ok = n >= 3
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_lo = (total - lo) / np.maximum(n - 1, 1)                 # mean without the lowest
        rest_hi = (total - hi) / np.maximum(n - 1, 1)
        low_d = np.where(ok & (hi - lo2 < threshold), rest_lo - lo, 0.0)
        high_d = np.where(ok & (hi2 - lo < threshold), hi - rest_hi, 0.0)
    low_d, high_d = np.nan_to_num(low_d), np.nan_to_num(high_d)
    dist = np.maximum(low_d, high_d)
    top = np.take_along_axis(order, last, axis=2)[:, :, 0]
    pos = np.where(low_d >= high_d, order[:, :, 0], top)
    found = dist >= threshold
    out_pos: np.ndarray = np.where(found, pos, -1)
    out_dist: np.ndarray = np.where(found, dist, 0.0)
    return out_dist, out_pos


def contested(raw: np.ndarray, spread: float, cut: np.ndarray) -> np.ndarray:
    """[N, 2, K] people of one side disagree on a fact: their answers are `spread` points or
    more apart, or lie on both sides of the point `cut` [K] where the fact counts as
    established (NaN: no such point). Only for questions where `cut` or spread applies."""
    have = ~np.isnan(raw)
    n = have.sum(axis=2)
    hi = np.where(have, raw, -np.inf).max(axis=2, initial=-np.inf)
    lo = np.where(have, raw, np.inf).min(axis=2, initial=np.inf)
    wide = (n >= 2) & (hi - lo >= spread)
    with np.errstate(invalid="ignore"):
        straddle = (n >= 2) & (lo < cut) & (hi >= cut)
    out: np.ndarray = wide | straddle
    return out


def fact_cuts(bank: Bank, qids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """[K] bool: is the question a fact; [K] the raw point from which a readiness item counts
    the fact as established (NaN: none)."""
    qmap = bank.question_map
    is_fact = np.array([qmap[q].fact for q in qids], dtype=bool)
    cut = np.full(len(qids), np.nan)
    for item in bank.readiness.items:
        if item.question in qids:
            q = qmap[item.question]
            # smallest raw point whose favourable position reaches the item's minimum
            ok = [p for p in q.scale.points if q.favourable(p) >= item.min]
            if ok:
                cut[qids.index(item.question)] = min(ok) if not q.reverse else max(ok)
    return is_fact, cut


def low_trust(trust: np.ndarray, floor: float) -> np.ndarray:
    """[N] both sides' trust scores [N, 2] known and below the floor."""
    out: np.ndarray = (np.nan_to_num(trust, nan=101.0) < floor).all(axis=-1)
    return out
